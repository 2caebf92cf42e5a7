"""A member walks an intervision cycle in a real browser: plan a session with the incident method, fill in
its phases, add an experiment in one of their own trajectories, and at the next session of the group record
the reflection on it. Every page is checked with axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.intervision import in_effect, services
from waardewerk.intervision.models import Experiment, IntervisionSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def test_a_session_from_incident_to_reflection(
    page, log_in, axe_check, professional, team_lead, functional_admin, password
):
    group = services.group_create(
        actor=functional_admin,
        name="OT-groep Oost",
        schedule="Elke zes weken",
        members=[professional, team_lead],
    )
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    log_in("prof", password)

    page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation")).get_by_role(
        "link", name=_text("^Intervisie$", "^Intervision$")
    ).click()
    expect(page).to_have_url(re.compile(r"/intervision/$"))
    axe_check(page, "my groups")
    page.get_by_role("link", name="OT-groep Oost").click()
    axe_check(page, "group page")

    # Plan the first session with the incident method.
    page.get_by_role("link", name=_text("Nieuwe bijeenkomst", "New session")).click()
    axe_check(page, "new session form")
    page.get_by_label(_text("^Datum", "^Date")).fill("2026-09-01")
    page.get_by_label(_text("^Methode", "^Method")).select_option("incident")
    page.get_by_label(_text("^Inbrenger", "^Case owner")).select_option(label="Pia Professional")
    page.get_by_role("button", name=_text("Bijeenkomst plannen", "Plan the session")).click()
    expect(page).to_have_url(re.compile(r"/record/$"))
    axe_check(page, "record form")

    # Fill in the phases (the browser keeps each note within its limit: the textarea's maxlength).
    page.get_by_label(_text("^Kernvraag", "^Core question")).fill("Hoe houd ik de regie bij de cliënt?")
    page.get_by_label(_text("^Informatieronde", "^Information round")).fill("Alleen vragen gesteld.")
    page.get_by_label(_text("^Analyse", "^Analysis")).fill("De werkgever verdrong de vraag van de cliënt.")
    save = page.get_by_role("button", name=_text("Verslag opslaan", "Save the record"))
    page.get_by_label(_text("^De keuze van de inbrenger", "^The case owner's choice")).fill(
        "Eerst het waardengesprek."
    )
    save.click()
    expect(page).to_have_url(re.compile(r"/intervision/sessions/[0-9a-f-]+/$"))
    expect(page.get_by_role("main")).to_contain_text("De werkgever verdrong de vraag van de cliënt.")
    axe_check(page, "session page")

    # Agree an experiment in one of my own trajectories.
    page.get_by_role("link", name=_text("Mijn experiment toevoegen", "Add my experiment")).click()
    axe_check(page, "experiment form")
    # Without what I will try nothing is saved, the message stands next to the field, the date stays.
    page.get_by_label(_text("^Tot", "^Until")).fill("2026-10-01")
    add = page.get_by_role("button", name=_text("Experiment toevoegen", "Add the experiment"))
    add.click()
    description = page.get_by_label(_text("^Wat ik ga proberen", "^What I will try"))
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(_text("^Tot", "^Until"))).to_have_value("2026-10-01")
    axe_check(page, "experiment form with an error")
    page.get_by_label(_text("^Wat ik ga proberen", "^What I will try")).fill(
        "Eerst het waardengesprek voeren."
    )
    page.get_by_label(_text("^In welk van mijn trajecten", "^In which of my trajectories")).select_option(
        str(trajectory.uuid)
    )
    add.click()
    expect(page.get_by_role("main")).to_contain_text("Eerst het waardengesprek voeren.")
    expect(page.get_by_role("main")).to_contain_text(trajectory.client.full_name)
    # The facilitator (the planner here) records who attended: the team lead sent apologies.
    page.get_by_role("link", name=_text("Vastleggen wie er waren", "Record who attended")).click()
    axe_check(page, "attendance form")
    page.get_by_role("group", name="Lea Leider").get_by_label(_text("Afgemeld", "Sent apologies")).check()
    page.get_by_role("button", name=_text("Aanwezigheid opslaan", "Save the attendance")).click()
    expect(page.get_by_role("main")).to_contain_text(re.compile("afgemeld|sent apologies"))
    first = IntervisionSession.objects.get(group=group)
    assert dict(first.attendance.values_list("member__username", "status")) == {
        "prof": "present",
        team_lead.username: "apologies",
    }
    assert first.method_version.method.key == "incident"
    assert first.notes["analysis"] == "De werkgever verdrong de vraag van de cliënt."

    # The next session of the group: the experiment comes back, and its owner records the reflection.
    second = services.session_create(
        actor=team_lead,
        group=group,
        date=first.date + dt.timedelta(days=42),
        method_key="learning-cycle",
        facilitator=team_lead,
    )
    page.goto(f"/intervision/sessions/{second.uuid}/")
    axe_check(page, "next session with a returning experiment")
    page.get_by_role("link", name=_text("Leg uw reflectie vast", "Record your reflection")).click()
    axe_check(page, "reflection form")
    page.get_by_label(_text("^Wat er gebeurde", "^What happened")).fill("De werkgever wachtte een week.")
    page.get_by_label(_text("^Wat ik heb geleerd", "^What I learned")).fill("Uitstel kost minder dan uitval.")
    page.get_by_role("button", name=_text("Mijn reflectie opslaan", "Save my reflection")).click()
    expect(page.get_by_role("main")).to_contain_text("Uitstel kost minder dan uitval.")
    axe_check(page, "next session after the reflection")
    experiment = Experiment.objects.get()
    assert experiment.reflection_session == second and experiment.trajectory == trajectory
    assert not page.console_errors


def test_a_case_from_presentation_to_the_follow_up_reflection(
    page, log_in, axe_check, professional, team_lead, password
):
    """The case owner presents a consented trajectory (checks the marked words, hides one, shares exactly
    what they saw); the session takes it as its case; a fellow member reviews it against the checkpoints and
    shares the review; at the next session the owner reflects on the experiment and links the reflection to
    the trajectory's evaluation."""
    from tests.intervision_cases import consented_case
    from waardewerk.intervision.models import CasePresentation, CaseReview, IntervisionGroup

    group = IntervisionGroup.objects.create(organisation=professional.organisation, name="OT-groep Oost")
    group.members.set([professional, team_lead])
    trajectory, _lwc = consented_case(professional)
    first = services.session_create(
        actor=professional,
        group=group,
        date=dt.date(2026, 9, 1),
        method_key="incident-short",
        facilitator=team_lead,
        case_owner=professional,
    )
    log_in("prof", password)
    page.goto(f"/intervision/groups/{group.uuid}/")
    page.get_by_role("link", name=_text("Een casus van mij inbrengen", "Present one of my cases")).click()
    axe_check(page, "new case presentation")
    page.get_by_label(_text("^Traject", "^Trajectory")).select_option(str(trajectory.uuid))
    page.get_by_label(_text("^Titel", "^Title")).fill("Terug naar de zorg na lange uitval")
    for part in ("timeline", "instruments", "plan", "evaluation"):
        page.locator(f"input[name=parts][value={part}]").check()
    page.get_by_label(_text("^Sector van de werkgever", "^Sector of the employer")).select_option("Q")
    page.get_by_role(
        "button", name=_text("Bekijk wat de groep gaat zien", "See what the group will see")
    ).click()
    expect(page).to_have_url(re.compile(r"/intervision/presentations/[0-9a-f-]+/$"))
    main = page.get_by_role("main")
    expect(main).not_to_contain_text("Fatima")
    expect(main).not_to_contain_text("Zorggroep")
    expect(page.locator("mark", has_text="Excel").first).to_be_visible()
    axe_check(page, "preview with marked words")

    # The owner hides a marked word and looks again.
    page.get_by_role(
        "link", name=_text("Onderdelen of te verbergen woorden wijzigen", "Change parts or words to hide")
    ).click()
    axe_check(page, "change the draft")
    page.get_by_label(_text("^Andere woorden om te verbergen", "^Other words to hide")).fill("Excel")
    page.get_by_role(
        "button", name=_text("Bekijk wat de groep gaat zien", "See what the group will see")
    ).click()
    expect(page.locator("mark", has_text="Excel")).to_have_count(0)
    page.get_by_role("button", name=_text("Dit mag de groep zien", "This is what the group may see")).click()
    expect(main).to_contain_text(_text("gedeeld met de groep", "shared with the group"))
    presentation = CasePresentation.objects.get()
    assert presentation.status == "shared" and "Excel" not in presentation.snapshot
    axe_check(page, "shared presentation")

    # The session takes the presentation as its case; the owner agrees an experiment in the trajectory.
    page.goto(f"/intervision/sessions/{first.uuid}/record/")
    page.get_by_label(_text("^Casuspresentatie", "^Case presentation")).select_option(str(presentation.uuid))
    page.get_by_label(_text("^Kernvraag", "^Core question")).fill("Wanneer bel ik de werkgever?")
    page.get_by_role("button", name=_text("Verslag opslaan", "Save the record")).click()
    expect(main.get_by_role("link", name="Terug naar de zorg na lange uitval")).to_be_visible()
    axe_check(page, "session with its case")
    page.get_by_role("link", name=_text("Mijn experiment toevoegen", "Add my experiment")).click()
    page.get_by_label(_text("^Wat ik ga proberen", "^What I will try")).fill(
        "In week twee de werkgever bellen."
    )
    page.get_by_label(_text("^In welk van mijn trajecten", "^In which of my trajectories")).select_option(
        str(trajectory.uuid)
    )
    page.get_by_label(_text("^Tot", "^Until")).fill("2026-10-01")
    page.get_by_role("button", name=_text("Experiment toevoegen", "Add the experiment")).click()
    expect(main).to_contain_text("In week twee de werkgever bellen.")

    # A fellow member reviews the case against the checkpoints and shares the review with the group.
    page.context.clear_cookies()
    log_in("lead", password)
    page.goto(f"/intervision/presentations/{presentation.uuid}/")
    expect(main).not_to_contain_text("Fatima")
    axe_check(page, "the presentation as a member sees it")
    page.get_by_role("button", name=_text("Deze casus aan de methode beoordelen", "Review this case")).click()
    expect(page).to_have_url(re.compile(r"/intervision/reviews/[0-9a-f-]+/$"))
    axe_check(page, "review against the checkpoints")
    page.get_by_label(_text("^Uw woorden", "^Your words")).nth(4).fill("De voorkeur van de cliënt ontbreekt.")
    page.get_by_label(_text("^Delen met", "^Share with")).select_option(str(group.uuid))
    page.get_by_role("button", name=_text("Beoordeling opslaan", "Save the review")).click()
    expect(main).to_contain_text("De voorkeur van de cliënt ontbreekt.")
    review = CaseReview.objects.get()
    assert review.group == group and review.reviewer == team_lead

    # The next session: the owner reflects on the experiment and links it to the trajectory's evaluation.
    second = services.session_create(
        actor=team_lead,
        group=group,
        date=first.date + dt.timedelta(days=42),
        method_key="learning-cycle",
        facilitator=team_lead,
    )
    page.context.clear_cookies()
    log_in("prof", password)
    page.goto(f"/intervision/sessions/{second.uuid}/")
    page.get_by_role("link", name=_text("Leg uw reflectie vast", "Record your reflection")).click()
    axe_check(page, "reflection form with the link to the evaluation")
    page.get_by_label(_text("^Wat er gebeurde", "^What happened")).fill("De werkgever dacht mee.")
    page.get_by_label(_text("^Wat ik heb geleerd", "^What I learned")).fill("Bel de werkgever in week twee.")
    page.get_by_label(_text("^Toon deze reflectie", "^Show this reflection")).check()
    page.get_by_role("button", name=_text("Mijn reflectie opslaan", "Save my reflection")).click()
    expect(main).to_contain_text("Bel de werkgever in week twee.")
    page.goto(f"/trajectories/{trajectory.uuid}/evaluation/")
    expect(main).to_contain_text("Bel de werkgever in week twee.")
    axe_check(page, "evaluation with the reflection from intervision")
    assert Experiment.objects.get().evaluation_linked_at is not None
    assert not page.console_errors


def test_the_content_editor_changes_a_method_for_the_organisation(
    page, log_in, axe_check, organisation, password
):
    """The content editor opens a method, changes a phase's timebox and adds a rule, saves it as the
    organisation's next version with the reason, and sees it in the version history; a bad file loads
    nothing and names its problems."""
    UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR, username="redactie")
    log_in("redactie", password)
    page.goto("/intervision/methods/balint/")
    axe_check(page, "method page for the content editor")
    page.get_by_role("link", name=_text("Op deze pagina wijzigen", "Change on this page")).click()
    expect(page).to_have_url(re.compile(r"/intervision/methods/balint/edit/$"))
    axe_check(page, "method edit form")
    first = page.locator("#phase-1")
    first.get_by_label(_text("^Tijd in minuten", "^Timebox in minutes")).fill("25")
    first.get_by_label(_text("^Regels \\(Nederlands\\)", "^Rules \\(Dutch\\)")).fill("Geen adviezen.")
    first.get_by_label(_text("^Regels \\(Engels\\)", "^Rules \\(English\\)")).fill("")
    save = page.get_by_role("button", name=_text("Opslaan als nieuwe versie", "Save as a new version"))
    save.click()  # without the reason nothing is saved
    note = page.get_by_label(_text("^Wat is er veranderd en waarom", "^What changed and why"))
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(first.get_by_label(_text("^Tijd in minuten", "^Timebox in minutes"))).to_have_value("25")
    axe_check(page, "method edit form with an error")
    note.fill("Onze casusinbreng duurt langer.")
    save.click()
    expect(page).to_have_url(re.compile(r"/intervision/methods/balint/$"))
    expect(page.get_by_role("main")).to_contain_text("Onze casusinbreng duurt langer.")
    axe_check(page, "method page with the organisation's versions")
    own = in_effect.version_in_effect("method", organisation.pk, "balint")
    assert own.definition["phases"][0]["minutes"] == 25 and own.note == "Onze casusinbreng duurt langer."

    # A bad file loads nothing; the page names its problems.
    bad = "key: balint\nversion: 2\ntitle: {nl: Balint}\nphases: []\n"
    page.get_by_label(_text("^Bestand", "^File")).set_input_files(
        files=[{"name": "balint.yaml", "mimeType": "application/yaml", "buffer": bad.encode()}]
    )
    page.get_by_label(_text("^Wat is er veranderd en waarom", "^What changed and why")).fill("Test")
    page.get_by_role("button", name=_text("Laden als nieuwe versie", "Load as a new version")).click()
    expect(page.locator("#import-problems")).to_contain_text("sources")
    axe_check(page, "method page with a refused file")
    assert in_effect.version_in_effect("method", organisation.pk, "balint").pk == own.pk

    # The checkpoints: switch one off with the reason.
    page.goto("/intervision/checkpoints/edit/")
    axe_check(page, "checkpoints edit form")
    first_checkpoint = page.locator("fieldset[id^=checkpoint-]").first
    first_checkpoint.get_by_label(_text("^Uitgezet", "^Switched off")).check()
    first_checkpoint.get_by_label(_text("^Waarom het is uitgezet", "^Why it is switched off")).fill(
        "Wij meten de intake anders."
    )
    page.get_by_label(_text("^Wat is er veranderd en waarom", "^What changed and why")).fill("Intake anders")
    page.get_by_role("button", name=_text("Opslaan als nieuwe versie", "Save as a new version")).click()
    expect(page.get_by_role("main")).to_contain_text("Wij meten de intake anders.")
    axe_check(page, "checkpoints with one switched off")
    assert not page.console_errors
