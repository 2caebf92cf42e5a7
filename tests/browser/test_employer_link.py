"""The employer's one-time link in a real browser at phone size (390 px), axe-checked: the professional makes
the link on the job's page; the employer, without an account, fills in the job's value profile (first without
a name), sees the thanks, and the link no longer works; then a candidate profile shared with the employer is
answered through its own link."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from waardewerk.clients.actor import ClientActor
from waardewerk.matching import services
from waardewerk.trajectories import services as trajectory_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def trajectory_day() -> str:
    return timezone.localdate().isoformat()


def _phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    return context, context.new_page()


def test_the_employer_fills_in_the_profile_and_answers_at_phone_size(
    page, browser, live_server, log_in, axe_check, professional, password
):
    employer = services.employer_create(actor=professional, name="Bakkerij De Korrel", kvk_number="12345678")
    job = services.job_create(
        actor=professional, employer=employer, title="Broodbakker", occupation="0752", hours=32
    )
    log_in("prof", password)
    page.goto(f"/jobs/{job.uuid}/")
    page.get_by_role("button", name="Maak een eenmalige link waarmee de werkgever het invult").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link voor Bakkerij De Korrel")
    axe_check(page, "link made")
    url = page.get_by_label("De link").input_value()

    context, phone = _phone(browser, live_server)
    phone.goto(url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Wat biedt Broodbakker?")
    axe_check(phone, "employer link: value profile")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    for key in ("use_skills", "develop_skills", "involvement", "contacts", "own_goals", "income"):
        phone.locator(f"#id_{key}").get_by_text("4 · ja").click()
    phone.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(phone.get_by_text("Vul uw naam in.").first).to_be_visible()
    expect(phone.get_by_text("Kies een getal van 1 tot en met 5.").first).to_be_visible()
    axe_check(phone, "employer link with errors")
    phone.get_by_label("Uw naam").fill("Mira de Wit")
    phone.locator("#id_contribution").get_by_text("5 · heel veel").click()
    phone.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    axe_check(phone, "employer link done")
    phone.goto(url)
    expect(phone.get_by_text("De link is al gebruikt. Een link werkt één keer.")).to_be_visible()
    axe_check(phone, "employer link used")

    page.goto(f"/jobs/{job.uuid}/")
    expect(page.get_by_text("door Mira de Wit van de werkgever, via een eenmalige link")).to_be_visible()
    axe_check(page, "job filled in by the employer")

    # The employer's page: a note of the employer services (a future date first).
    page.goto(f"/employers/{employer.uuid}/")
    page.get_by_label("Datum").fill(trajectory_day())
    page.get_by_role("button", name="Notitie toevoegen").click()
    expect(page.get_by_text("Schrijf de notitie.").first).to_be_visible()
    axe_check(page, "employer note with an error")
    page.get_by_label("Toelichting").fill("Kennismaking met de bedrijfsleider")
    page.get_by_role("button", name="Notitie toevoegen").click()
    expect(page.get_by_text("Kennismaking met de bedrijfsleider")).to_be_visible()
    axe_check(page, "employer page with a note")

    # A candidate profile shared with the employer, answered through its link.
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    make_measurement(trajectory, "lwc", lwc_answers(a=2, income=(5, 2, 2), contacts=(5, 2, 2)))
    proposal = services.proposal_decide(
        actor=professional, trajectory=trajectory, job=job, decision="propose", reason="Past goed"
    )
    client_actor = ClientActor(trajectory.client)
    services.proposal_respond(actor=client_actor, proposal=proposal, response="interested")
    trajectory_services.consent_give(
        actor=client_actor,
        client=trajectory.client,
        kind="employer",
        party=employer.uuid,
        party_name=employer.name,
    )
    services.proposal_share(actor=professional, proposal=proposal)
    page.goto(f"/trajectories/{trajectory.uuid}/fit/")
    page.locator("#id_employer").select_option(label="Bakkerij De Korrel")
    page.get_by_text("2e spoor: werk bij een andere werkgever").click()
    page.get_by_role("button", name="Werkgever en spoor opslaan").click()
    expect(page.get_by_text("Werkt richting Bakkerij De Korrel")).to_be_visible()
    axe_check(page, "fit list with employer and track")
    page.get_by_role(
        "button",
        name="Maak een eenmalige link voor Bakkerij De Korrel om het profiel te zien en te antwoorden",
    ).click()
    url = page.get_by_label("De link").input_value()
    phone.goto(url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Een kandidaat voor Broodbakker")
    expect(phone.locator("main")).not_to_contain_text(trajectory.client.last_name)
    axe_check(phone, "employer link: candidate")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_text("Ja, ik heb interesse").click()
    phone.get_by_label("Wilt u er iets over zeggen?").fill("Graag een kennismaking")
    phone.get_by_role("button", name="Mijn antwoord versturen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dank u wel")
    context.close()
    page.goto(f"/trajectories/{trajectory.uuid}/fit/")
    expect(page.get_by_text("Graag een kennismaking")).to_be_visible()
    axe_check(page, "fit list with the employer's answer")
