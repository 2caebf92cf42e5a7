"""A professional's day, in a real browser, with an accessibility check on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ActionFactory, ConversationFactory, TrajectoryFactory
from waardewerk.clients.models import Client
from waardewerk.trajectories.models import Phase, Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caseload(professional):
    names = [("Fatima", "", "El Amrani"), ("Jan", "de", "Vries"), ("Kees", "van der", "Berg")]
    trajectories = []
    for first, infix, last in names:
        t = TrajectoryFactory(
            responsible=professional,
            client__organisation=professional.organisation,
            client__first_name=first,
            client__infix=infix,
            client__last_name=last,
        )
        ConversationFactory(trajectory=t)
        ActionFactory(trajectory=t, description=f"CV bijwerken met {first}")
        trajectories.append(t)
    return trajectories


def test_log_in_search_and_open_a_dossier(page, log_in, axe_check, professional, password, caseload):
    page.goto("/accounts/login/")
    axe_check(page, "login")
    log_in("prof", password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")  # the start page
    page.get_by_role("link", name="Mijn caseload", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    expect(page.get_by_role("row")).to_have_count(4)  # header + 3 trajectories
    axe_check(page, "caseload")

    page.get_by_label("Zoeken op naam", exact=True).fill("de vries")
    expect(page.get_by_role("row")).to_have_count(2)  # htmx narrows the list while typing
    expect(page.get_by_role("link", name="Vries, Jan de")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=de(\+|%20)vries"))
    axe_check(page, "caseload search")

    page.get_by_role("link", name="Vries, Jan de").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jan de Vries")
    expect(page.locator(".ww-cycle__step--current")).to_contain_text("Intake")
    axe_check(page, "dossier")
    assert not page.console_errors


def test_register_client_start_trajectory_and_change_phase(page, log_in, axe_check, professional, password):
    log_in("prof", password)
    page.get_by_role("link", name="Cliënt registreren").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cliënt registreren")
    axe_check(page, "register")

    # Bad input first: the messages appear next to the fields and what was typed stays.
    page.get_by_label("Voornaam").fill("Samira")
    page.get_by_label("Geboortedatum").fill("2099-01-01")
    page.get_by_label("BSN (burgerservicenummer)").fill("123456789")
    page.get_by_role("button", name="Cliënt registreren").click()
    expect(page.get_by_text("De geboortedatum kan niet in de toekomst liggen.").first).to_be_visible()
    expect(page.get_by_text("Dit is geen geldig BSN").first).to_be_visible()
    expect(page.get_by_label("Voornaam")).to_have_value("Samira")
    axe_check(page, "register with errors")

    page.get_by_label("Achternaam").fill("Bouzid")
    page.get_by_label("Geboortedatum").fill("1990-05-17")
    page.get_by_label("BSN (burgerservicenummer)").fill("111222333")
    page.get_by_label("Postcode").fill("1234ab")
    page.get_by_role("button", name="Cliënt registreren").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Start een traject voor Samira Bouzid")
    axe_check(page, "start trajectory")
    page.get_by_label("Context").select_option("participation_act")
    page.get_by_label("Hulpvraag of opdracht").fill("Samira wil werken in de kinderopvang, 24 uur per week.")
    page.get_by_role("button", name="Traject starten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Samira Bouzid")
    expect(page.locator(".ww-cycle__step--current")).to_contain_text("Intake")
    expect(page.get_by_text("••••••333")).to_be_visible()
    axe_check(page, "new dossier")

    page.locator("summary", has_text="Naar een andere fase").click()  # the forms are folded, one at a time
    page.get_by_label("Nieuwe fase").select_option("plan")
    page.get_by_label("Reden").fill("Waarden en drijfveren zijn in kaart; samen een plan maken.")
    page.get_by_role("button", name="Fase wijzigen").click()
    expect(page.locator(".ww-cycle__step--current")).to_contain_text("Plan")
    expect(page.locator(".ww-timeline")).to_contain_text("Fase: Intake → Plan")
    expect(page.locator(".ww-timeline")).to_contain_text("samen een plan maken")

    client = Client.objects.get(last_name="Bouzid")
    assert client.bsn == "111222333" and client.postal_code == "1234 AB"
    trajectory = Trajectory.objects.get(client=client)
    assert trajectory.phase == Phase.PLAN and trajectory.responsible == professional
    assert not page.console_errors


def test_language_switch_to_english(page, log_in, axe_check, professional, password, caseload):
    log_in("prof", password)
    page.goto("/caseload/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_check(page, "caseload in English")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")


def test_close_a_trajectory(page, log_in, axe_check, professional, password, caseload):
    log_in("prof", password)
    trajectory = caseload[0]
    page.goto(f"/trajectories/{trajectory.uuid}/close/")
    axe_check(page, "close")
    page.get_by_label("Reden van beëindiging").select_option("paid_work")
    page.get_by_role("button", name="Traject afsluiten").click()
    # What cannot be undone asks first, and says what will happen; nothing is closed yet.
    expect(page.get_by_role("heading", level=1)).to_contain_text("afsluiten?")
    expect(page.get_by_role("alert")).to_contain_text("Betaald werk gevonden")
    axe_check(page, "confirm closing")
    trajectory.refresh_from_db()
    assert trajectory.end_date is None
    page.get_by_role("button", name="Ja, traject afsluiten").click()
    expect(page.get_by_text("Het traject is afgesloten.")).to_be_visible()
    trajectory.refresh_from_db()
    assert trajectory.end_reason == "paid_work" and trajectory.end_date is not None
    axe_check(page, "dossier after closing")


def test_functional_admin_sees_organisation(page, log_in, axe_check, functional_admin, password, team):
    log_in("admin", password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkplein Test")
    expect(
        page.get_by_role("cell", name="Klantmanagement").or_(
            page.get_by_role("rowheader", name="Klantmanagement")
        )
    ).to_be_visible()
    axe_check(page, "organisation")
