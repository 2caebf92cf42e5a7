"""Taking an LWC and an IGM measurement for a demo client in a real browser, and seeing the effect view
change; every page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from waardewerk.instruments.models import Measurement
from waardewerk.sampledata.demo import DEMO_PASSWORD, create_demo
from waardewerk.trajectories.models import Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_take_lwc_and_igm_and_see_the_effect_view_update(page, log_in, axe_check):
    create_demo()
    trajectory = (
        Trajectory.objects.filter(
            responsible__username="marieke", end_date__isnull=True, measurements__isnull=False
        )
        .select_related("client")
        .order_by("client__last_name")
        .first()
    )
    before = Measurement.objects.filter(trajectory=trajectory).count()
    name = trajectory.client.full_name
    log_in("marieke", DEMO_PASSWORD)

    page.goto(f"/trajectories/{trajectory.uuid}/effect/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Effectmeting: {name}")
    rows_before = page.locator("#all-heading + .utrecht-table-container tbody tr").count()
    charts_before = page.locator("img.ww-chart__image").count()
    axe_check(page, "effect view")

    # LWC: half now (a draft), the rest later.
    page.get_by_role("link", name=re.compile(r"^nieuw LWC")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lijst Werk Capabilities")
    axe_check(page, "LWC form")
    first_value = page.locator("#group-use_skills")
    for radio in first_value.get_by_role("radio", name=re.compile("^4 ")).all():
        radio.check()
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_text("Het concept is opgeslagen")).to_be_visible()
    expect(page.locator("#group-use_skills input:checked")).to_have_count(3)

    # Submitting with answers missing names the questions; nothing is lost.
    page.get_by_role("button", name="Meting indienen").click()
    expect(page.get_by_role("alert")).to_contain_text("Beantwoord deze vraag.")
    axe_check(page, "LWC form with errors")
    for group in page.locator(".ww-question-group").all():
        for question in group.locator("fieldset.ww-question").all():
            scored = question.get_by_role("radio", name=re.compile("^4 "))
            if scored.count():  # the optional question which work the answers are about has no score
                scored.check()
    page.locator("#q-income-enabled").get_by_role("radio", name=re.compile("^2 ")).check()
    # Submitting draws the measurement's charts in the request (the test settings run tasks at once), which
    # on a loaded machine takes longer than a click's usual wait for the next page.
    page.get_by_role("button", name="Meting indienen").click(timeout=30_000)
    expect(page.get_by_text("De meting is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("capability set 6 van 7")).to_be_visible()
    expect(page.locator(".ww-row--act-on")).to_contain_text("Een goed inkomen")
    axe_check(page, "LWC result")

    # IGM: the client's own rating, with a note.
    page.get_by_role("link", name="Terug naar het traject").click()
    page.get_by_role("link", name=re.compile(r"^antwoorden cliënt IGM")).click()
    for question in page.locator("fieldset.ww-question").all():
        question.get_by_role("radio", name=re.compile("^4 ")).check()
    page.locator("#q-self_efficacy-note").fill("Voelt zich sterker na de stage.")
    axe_check(page, "IGM form")
    page.get_by_role("button", name="Meting indienen").click(timeout=30_000)
    expect(page.get_by_text("De meting is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Voelt zich sterker na de stage.")).to_be_visible()

    # The effect view shows both new measurements, in the charts' tables and in words.
    page.get_by_role("link", name="Effectmeting").first.click()
    expect(page.locator("#all-heading + .utrecht-table-container tbody tr")).to_have_count(rows_before + 2)
    changes = page.locator(".ww-changes")
    expect(changes).to_contain_text(re.compile(r"Capability set \d → 6"))
    expect(changes).to_contain_text(re.compile(r"IGM.*ingevuld door de cliënt: .*Eigen effectiviteit \d → 4"))
    # The new measurements join the charts already there (one per instrument and respondent), drawn anew.
    expect(page.locator("img.ww-chart__image")).to_have_count(charts_before)
    axe_check(page, "effect view after")
    assert Measurement.objects.filter(trajectory=trajectory).count() == before + 2
    assert not page.console_errors
