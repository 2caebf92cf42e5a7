"""A professional keeps their development log in a real browser: log an accredited course with its
evidence file (a file that only pretends to be a PDF is refused and the rest of the form stays), make a
learning goal from its reflection, and export the log for the register as a PDF. Every page is checked with
axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.access_development import PDF
from waardewerk.development.models import Activity, LearningGoal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def test_an_activity_with_evidence_a_goal_from_it_and_the_export(
    page, log_in, axe_check, professional, password
):
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    log_in("prof", password)
    page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation")).get_by_role(
        "link", name=_text("^Mijn ontwikkeling$", "^My development$")
    ).click()
    expect(page).to_have_url(re.compile(r"/development/$"))
    axe_check(page, "my development")

    page.get_by_role("link", name=_text("Activiteit vastleggen", "Log an activity")).click()
    axe_check(page, "activity form")
    page.get_by_label(_text("^Soort", "^Kind")).select_option("course")
    page.get_by_label(_text("^Wat$", "^What$")).fill("Motiverende gespreksvoering")
    page.get_by_label(_text("^PE-id", "^PE id")).fill("PE-2026-123")
    page.get_by_label(_text("^Datum", "^Date")).fill(day)
    page.get_by_label(_text("^Netto uren", "^Net hours")).fill("8")
    page.get_by_label(_text("^Punten", "^Points")).fill("8")
    page.locator('input[name="registers"][value="registerplein"]').check()
    page.get_by_label(_text("^Persoonlijk", "^Personal")).fill("Ik laat meer stiltes vallen.")
    evidence = page.get_by_label(_text("^Bewijs", "^Evidence"))
    # A file whose name says PDF but whose content is not: refused, the rest of the form stays.
    evidence.set_input_files(
        files=[{"name": "certificaat.pdf", "mimeType": "application/pdf", "buffer": b"<html>"}]
    )
    save = page.get_by_role("button", name=_text("Activiteit opslaan", "Save the activity"))
    save.click()
    expect(page.get_by_label(_text("^Bewijs", "^Evidence"))).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(_text("^Wat$", "^What$"))).to_have_value("Motiverende gespreksvoering")
    expect(page.locator('input[name="registers"][value="registerplein"]')).to_be_checked()
    axe_check(page, "activity form with a refused file")
    assert not Activity.objects.exists()
    page.get_by_label(_text("^Bewijs", "^Evidence")).set_input_files(
        files=[{"name": "certificaat.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name=_text("Activiteit opslaan", "Save the activity")).click()
    expect(page).to_have_url(re.compile(r"/development/activities/[0-9a-f-]+/$"))
    expect(page.get_by_role("link", name=_text("Bewijs downloaden", "Download the evidence"))).to_be_visible()
    axe_check(page, "activity page")

    # A learning goal from this reflection.
    page.get_by_role(
        "link", name=_text("leerdoel van deze reflectie", "learning goal from this reflection")
    ).click()
    axe_check(page, "goal form")
    page.get_by_label(_text("^Leerdoel$", "^Learning goal$")).fill(
        "Stiltes laten vallen in het eerste gesprek"
    )
    page.get_by_role("button", name=_text("Leerdoel opslaan", "Save the learning goal")).click()
    expect(page).to_have_url(re.compile(r"/development/goals/[0-9a-f-]+/$"))
    expect(page.get_by_role("main")).to_contain_text("Motiverende gespreksvoering")
    axe_check(page, "goal page")
    goal = LearningGoal.objects.get()
    assert goal.source_activity == Activity.objects.get()

    # The export for the register, as a PDF.
    page.goto("/development/")
    page.get_by_role(
        "link", name=_text("Exporteren voor herregistratie", "Export for re-registration")
    ).click()
    axe_check(page, "export form")
    page.get_by_label(_text("^Register", "^Register")).select_option("registerplein")
    page.get_by_label(_text("^Van", "^From")).fill(f"{dt.date.today().year - 1}-01-01")
    page.get_by_label(_text("^Tot en met", "^Until")).fill(dt.date.today().isoformat())
    with page.expect_download() as download:
        page.get_by_role("button", name=_text("^Exporteren$", "^Export$")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert not page.console_errors, page.console_errors


def test_a_newcomer_and_their_mentor(page, log_in, axe_check, professional, colleague, password):
    """Pia asks Cor to be her mentor, shares a goal with him, and they both write in the relation."""
    from waardewerk.development import services

    services.goal_create(actor=professional, title="Stiltes laten vallen", shared_with_mentor=True)
    services.goal_create(actor=professional, title="Alleen voor mij")
    log_in("prof", password)
    page.goto("/development/mentoring/")
    axe_check(page, "mentoring")
    page.get_by_role("link", name=_text("Een mentor vragen", "Ask a mentor")).click()
    axe_check(page, "ask a mentor")
    page.get_by_label(_text("^Mijn mentor", "^My mentor")).select_option(label="Cor Collega")
    page.get_by_role("button", name=_text("Mentoraat beginnen", "Start the mentor relation")).click()
    expect(page).to_have_url(re.compile(r"/development/mentoring/[0-9a-f-]+/$"))
    expect(page.get_by_role("main")).to_contain_text("Stiltes laten vallen")
    expect(page.get_by_role("main")).not_to_contain_text("Alleen voor mij")
    axe_check(page, "mentor relation")
    relation = page.url
    page.get_by_role("link", name=_text("Gesprek toevoegen", "Add a meeting")).click()
    axe_check(page, "meeting form")
    page.get_by_label(_text("^Wat we bespraken", "^What we discussed")).fill("Kennismaking en verwachtingen.")
    page.get_by_role("button", name=_text("Gesprek opslaan", "Save the meeting")).click()
    expect(page.get_by_role("main")).to_contain_text("Kennismaking en verwachtingen.")
    page.get_by_role("link", name=_text("Notities wijzigen", "Change the notes")).click()
    axe_check(page, "notes form")
    page.get_by_label(_text("^Gedeelde notities", "^Shared notes")).fill("Elke drie weken een uur.")
    page.get_by_role("button", name=_text("Notities opslaan", "Save the notes")).click()
    expect(page.get_by_role("main")).to_contain_text("Elke drie weken een uur.")

    # The mentor sees the relation and what was shared with him, nothing else.
    page.get_by_role("button", name=_text("Uitloggen", "Log out")).click()
    log_in("colleague", password)
    page.goto(relation)
    expect(page.get_by_role("main")).to_contain_text("Elke drie weken een uur.")
    page.goto("/development/shared/")
    axe_check(page, "shared with me")
    expect(page.get_by_role("main")).to_contain_text("Stiltes laten vallen")
    expect(page.get_by_role("main")).not_to_contain_text("Alleen voor mij")
    page.get_by_role("link", name="Stiltes laten vallen").click()
    axe_check(page, "a shared goal")
    expect(page.get_by_role("link", name=_text("^Wijzigen$", "^Change$"))).to_have_count(0)
    assert not page.console_errors, page.console_errors
