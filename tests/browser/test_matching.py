"""Matching in a real browser, axe-checked on every page: the professional registers an employer (a wrong
KvK number first), adds a job with its occupation and value profile, opens the client's fit list from the
trajectory page and proposes the job with a reason; the client sees it in the portal at phone size, answers
"interested" and gives consent for that employer; the professional then records that the profile went to
the employer."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_emergency_access import _portal_session
from tests.factories import TrajectoryFactory, lwc_answers, make_measurement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fit_list_proposal_and_the_clients_answer(
    page, browser, live_server, log_in, axe_check, professional, password
):
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__first_name="Samira",
        client__last_name="Bakker",
    )
    make_measurement(trajectory, "lwc", lwc_answers(a=2, contacts=(5, 2, 2), income=(4, 3, 2)))
    log_in("prof", password)

    # An employer: a wrong KvK number gets a message next to the field, then it is saved.
    page.get_by_role("navigation").get_by_role("link", name="Werkgevers en vacatures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkgevers")
    axe_check(page, "employers")
    page.get_by_role("link", name="Nieuwe werkgever").click()
    page.get_by_label("Naam", exact=True).fill("Groenvoorziening Lindendaal")
    page.get_by_label("KvK-nummer").fill("1234")
    page.get_by_role("button", name="Werkgever opslaan").click()
    expect(page.locator("#id_kvk_number-error")).to_contain_text("8 cijfers")
    axe_check(page, "employer form with an error")
    page.get_by_label("KvK-nummer").fill("9012 3403")
    page.get_by_role("button", name="Werkgever opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Groenvoorziening Lindendaal")
    page.get_by_label("Naam", exact=True).fill("Ahmed El Idrissi")
    page.get_by_role("button", name="Contactpersoon toevoegen").click()
    expect(page.get_by_role("button", name="Ahmed El Idrissi verwijderen")).to_be_visible()
    axe_check(page, "employer")

    # A job with its occupation and value profile.
    page.get_by_role("link", name="Nieuwe vacature").click()
    page.get_by_label("Functienaam").fill("Medewerker groenonderhoud")
    page.get_by_label("Beroep").select_option("0912")
    page.get_by_label("Uren per week").fill("24")
    axe_check(page, "job form")
    page.get_by_role("button", name="Vacature opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medewerker groenonderhoud")
    page.get_by_role("link", name="Waardenprofiel invullen").click()
    page.locator("#id_contacts").get_by_text("5", exact=True).click()
    page.locator("#id_income").get_by_text("3", exact=True).click()
    axe_check(page, "value profile")
    page.get_by_role("button", name="Waardenprofiel opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("opgeslagen")
    expect(page.get_by_role("table").last).to_contain_text("Bakker, Samira")  # the own caseload fits
    axe_check(page, "job with the caseload's fit")

    # The client's fit list, from the trajectory page; a decision without a reason is refused.
    page.goto(f"/trajectories/{trajectory.uuid}/")
    page.get_by_role("link", name="Vacatures die passen bij de werkwaarden van de cliënt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vacatures die passen bij Samira Bakker")
    expect(page.locator(".ww-card").first).to_contain_text("1 van 2 belangrijke waarden passen")
    page.get_by_text("Per werkwaarde, met de reden").click()
    expect(page.locator(".ww-card").first).to_contain_text("Belangrijk voor de cliënt (5 van 5)")
    axe_check(page, "fit list")
    page.get_by_text("voorstellen aan de cliënt").click()
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.get_by_text("Geef de reden van het besluit.").first).to_be_visible()
    page.get_by_text("voorstellen aan de cliënt").click()
    page.get_by_label("Reden").fill("Buiten werken in een vaste ploeg past bij wat Samira wil.")
    page.get_by_role("button", name="Besluit opslaan").click()
    expect(page.get_by_text("De cliënt heeft nog niet geantwoord.")).to_be_visible()

    # The client, at phone size: the proposed job, an answer and consent for this employer.
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    _portal_session(context, live_server, trajectory.client)
    me = context.new_page()
    me.goto("/portal/jobs/")
    expect(me.get_by_role("heading", level=1)).to_have_text("Vacatures voor mij")
    # First the card that asks for the availability and strengths, then one card per proposed job.
    expect(me.locator(".ww-card").first).to_contain_text("Wanneer kunt u werken")
    expect(me.locator(".ww-card").nth(1)).to_contain_text("Bij Groenvoorziening Lindendaal")
    axe_check(me, "portal jobs")
    assert me.evaluate("document.documentElement.scrollWidth") <= 390
    me.get_by_text("Ja, ik wil er meer over weten").click()
    me.get_by_label("Mijn begeleider mag mijn profiel naar deze werkgever sturen.").check()
    me.get_by_role("button", name="Mijn antwoord versturen").click()
    expect(me.get_by_role("status").first).to_contain_text("Uw antwoord is opgeslagen")
    expect(me.get_by_text("U wilt er meer over weten")).to_be_visible()
    me.get_by_role("navigation", name="Menu").get_by_role("link", name="Toestemming").click()
    expect(me.get_by_text("Mijn profiel naar een werkgever sturen")).to_be_visible()
    axe_check(me, "portal consent with an employer")
    context.close()

    # The professional sees the answer and records that the profile went to the employer.
    page.reload()
    expect(page.get_by_text("De cliënt antwoordde: geïnteresseerd.")).to_be_visible()
    page.get_by_role("link", name="Het kandidaatprofiel voor Medewerker groenonderhoud").click()
    expect(page.locator(".ww-dl")).to_contain_text("Waardevolle contacten op het werk")
    expect(page.locator("main")).not_to_contain_text("Bakker")
    axe_check(page, "candidate profile")
    page.go_back()
    page.get_by_role(
        "button", name="Vastleggen dat het profiel naar Groenvoorziening Lindendaal gaat"
    ).click()
    expect(page.get_by_role("status").first).to_contain_text("Vastgelegd")
    axe_check(page, "fit list after sharing")

    # The client starts there: a placement, and its first follow-up.
    page.get_by_role("link", name="Een plaatsing vastleggen").click()
    page.get_by_label("Vacature").select_option(
        label="Medewerker groenonderhoud, Groenvoorziening Lindendaal"
    )
    page.get_by_label("Startdatum").fill(trajectory.start_date.isoformat())
    page.get_by_label("Loonkostensubsidie").check()
    axe_check(page, "placement form")
    page.get_by_role("button", name="Plaatsing opslaan").click()
    expect(page.get_by_role("heading", level=2, name="Nazorg")).to_be_visible()
    page.get_by_text("Nazorgmoment vastleggen").first.click()
    page.locator("#id_f1-still_working").get_by_text("Ja", exact=True).click()
    page.get_by_label("Toelichting").first.fill("Gaat goed")
    axe_check(page, "placement with follow-ups")
    page.get_by_role("button", name="Nazorgmoment opslaan").first.click()
    expect(page.get_by_text("Werkt daar nog.")).to_be_visible()
    assert not page.console_errors, page.console_errors
