"""A member walks an intervision cycle in a real browser: plan a session with the incident method, fill in
its phases, add an experiment in one of their own trajectories, and at the next session of the group record
the reflection on it. Every page is checked with axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory
from waardewerk.intervision import services
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
    first = IntervisionSession.objects.get(group=group)
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
