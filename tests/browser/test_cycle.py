"""One whole trajectory, intake to evaluation, in a real browser: conversation with the guide, measurements,
plan with grounds and agreement, progress, a change of course, evaluation, the report. Axe on every page."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory
from waardewerk.trajectories.models import Action, PlanVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phase(page, label, reason):
    page.locator("summary", has_text="Naar een andere fase").click()  # one form at a time, folded
    page.get_by_label("Nieuwe fase").select_option(label=label)
    page.get_by_label("Reden").fill(reason)
    page.get_by_role("button", name="Fase wijzigen").click()
    expect(page.locator(".ww-cycle__step--current")).to_contain_text(label)


GOAL = "Het doel, in de woorden van de cliënt"


def _fill_questionnaire(page, value="4"):
    # Every scored question (the optional question which work the answers are about has no score).
    for question in page.locator("fieldset.ww-question").all():
        scored = question.get_by_role("radio", name=re.compile(f"^{value} "))
        if scored.count():
            scored.check()
    page.get_by_role("button", name="Meting indienen").click()
    expect(page.get_by_text("De meting is opgeslagen.")).to_be_visible()


def test_a_whole_trajectory_from_intake_to_evaluation(page, log_in, axe_check, professional, password):
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__first_name="Noor",
        client__last_name="Bakker",
        context="participation_act",
    )
    url = f"/trajectories/{trajectory.uuid}/"
    log_in("prof", password)
    page.goto(url)
    expect(page.locator("#checklist-heading")).to_contain_text("Intake")

    # Intake: a conversation with the guide at hand; an agreement becomes an action.
    page.get_by_role("link", name="Gesprek vastleggen").click()
    expect(page.locator("#guide-heading")).to_be_visible()
    axe_check(page, "conversation with the guide")
    topics = page.locator("#id_topics input[type=checkbox]")
    topics.nth(0).check()
    topics.nth(1).check()
    page.get_by_label("Notities").fill("Noor vindt contact met mensen het belangrijkste in werk.")
    page.locator("details.ww-fold > summary", has_text="Afspraken").click()  # folded: optional
    page.get_by_label("Afspraak 1").fill("Drie vacatures in de zorg uitzoeken")
    # Within the range every date field has (at most ten years ahead, docs/security.md).
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    page.locator("#id_agreement-0-due_date").fill(due)
    page.get_by_role("button", name="Gesprek opslaan").click()
    expect(page.get_by_text("Drie vacatures in de zorg uitzoeken").first).to_be_visible()
    assert Action.objects.get(trajectory=trajectory).conversation is not None

    page.get_by_role("link", name=re.compile(r"^nieuw LWC")).click()
    _fill_questionnaire(page)
    page.goto(url)
    page.get_by_role("link", name=re.compile(r"^antwoorden cliënt IGM")).click()
    _fill_questionnaire(page, "3")
    page.goto(url)
    axe_check(page, "trajectory page with checklist")

    # Plan: a goal in the client's words, a choice with its three sources, the client's agreement.
    _phase(page, "Plan", "Intake afgerond")
    page.get_by_role("link", name="Plan schrijven").first.click()
    page.get_by_label(GOAL).fill("Ik wil werken met mensen, 16 uur per week.")
    page.locator("#goal-0-values").get_by_role("checkbox").first.check()
    page.get_by_label("Uit de kennisbank").select_option("werkervaringsplaats")
    page.get_by_label("Interventie of keuze").fill("Werkervaringsplaats in een verpleeghuis")
    page.get_by_label("Professionele expertise: uw afweging").fill("Leert het best in de praktijk.")
    axe_check(page, "plan form")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_text("Het plan is opgeslagen als nieuwe versie.")).to_be_visible()
    # The entry names no research, and the client's preference is still missing.
    expect(page.locator(".ww-missing")).to_have_count(2)
    page.get_by_role("button", name="Instemming vastleggen").click()
    expect(page.locator(".utrecht-status-badge--success").first).to_be_visible()
    axe_check(page, "plan page")

    # Execution and monitoring: the agreed action is done, a progress note.
    page.goto(url)
    _phase(page, "Uitvoering", "Plan afgesproken")
    page.get_by_role("button", name=re.compile("^Afgerond")).first.click()
    _phase(page, "Monitoring", "Stage loopt")
    page.locator("summary", has_text="Voortgangsnotitie schrijven").click()
    page.get_by_label("Voortgangsnotitie").fill("Eerste weken goed verlopen.")
    page.get_by_role("button", name="Voortgangsnotitie opslaan").click()
    expect(page.get_by_text("Eerste weken goed verlopen.")).to_be_visible()

    # Adjusting: a change of course for a reason, then the plan changes with it (version 2).
    _phase(page, "Bijsturing", "Reistijd te lang")
    page.get_by_role("link", name="Koers wijzigen (bijsturen)").click()
    page.get_by_label("Een gebeurtenis").check()
    page.get_by_label("Wat er gebeurde").fill("Noor is verhuisd.")
    page.get_by_label("Waarom de koers wijzigen").fill("De reistijd kost te veel energie.")
    page.get_by_label("De koerswijziging").fill("Werkplek dichter bij huis zoeken.")
    axe_check(page, "adjustment")
    page.get_by_role("button", name="Koerswijziging opslaan").click()
    page.get_by_role("link", name="Plan wijzigen").first.click()
    page.get_by_label(GOAL).fill("Ik wil werken met mensen, dicht bij huis.")
    page.get_by_label("Wat is er veranderd en waarom").fill("Na de verhuizing: werk dichter bij huis.")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.get_by_text(re.compile(r"^Versie 2, ")).first).to_be_visible()
    assert PlanVersion.objects.filter(trajectory=trajectory).count() == 2

    # Evaluation: the final LWC, the outcome, the client's words and the reflection.
    page.goto(url)
    _phase(page, "Evaluatie", "Werk gevonden")
    page.get_by_role("link", name=re.compile(r"^nieuw LWC")).click()
    _fill_questionnaire(page, "5")
    page.goto(url)
    page.get_by_role("link", name="Evaluatie en reflectie").click()
    page.get_by_label("Heeft de cliënt (betaald) werk?").select_option("yes")
    page.get_by_label("Werkgever").fill("Zorggroep Lindendaal")
    page.get_by_label("De eigen evaluatie van de cliënt").fill("Ik heb weer werk dat bij me past.")
    page.get_by_label("Wat werkte").fill("Kleine stappen.")
    page.get_by_label("Wat zou ik anders doen").fill("Eerder naar de reistijd kijken.")
    page.get_by_label("Welke kansen liet ik liggen").fill("Het netwerk van Noor.")
    axe_check(page, "evaluation")
    page.get_by_role("button", name="Evaluatie opslaan").click()
    current = page.locator("section[aria-labelledby=checklist-heading] > ul.ww-checklist")
    expect(current.locator(".ww-check--done")).to_have_count(4)  # the evaluation checklist is complete
    expect(current.locator(".ww-check--open")).to_have_count(0)

    # The timeline shows the tailoring, filterable by kind.
    page.locator(".ww-timeline-filter").get_by_role("link", name="Plan").click()
    expect(page.locator(".ww-timeline__item--plan")).to_have_count(3)  # two versions, one agreement
    expect(page.locator(".ww-timeline__item--conversation")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"\?kind=plan#timeline$"))  # the filter stays in the address
    page.reload()
    expect(page.locator(".ww-timeline__item--plan")).to_have_count(3)
    expect(page.locator(".ww-timeline__item--conversation")).to_have_count(0)

    # The report for the client's file, from the trajectory page.
    page.get_by_role("link", name="Rapportage (pdf)").click()
    link = page.locator(f'a[href="/trajectories/{trajectory.uuid}/report/?audience=file&lang=nl"]')
    with page.expect_download() as info:
        link.click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Ik wil werken met mensen, dicht bij huis." in text.replace("\n", " ")
    assert not page.console_errors
