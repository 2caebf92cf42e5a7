"""The client portal in a real browser, at a phone's screen size and at desktop size, axe-checked on every
page: the professional invites, the client opens the link, types the code from the e-mail, fills in a
questionnaire halfway and finishes it later, proposes a goal that the professional takes into the plan,
and gives and withdraws consent."""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.trajectories.models import Phase, PlanVersion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup():
    from waardewerk.accounts.models import Organisation

    organisation = Organisation.objects.create(name="Werkplein Test", kind="municipality")
    professional = UserFactory(
        organisation=organisation,
        role=Role.PROFESSIONAL,
        username="pia",
        first_name="Pia",
        last_name="de Vries",
    )
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=organisation,
        client__first_name="Samira",
        client__last_name="Bakker",
        client__email="samira@example.org",
        phase=Phase.EXECUTION,
    )
    goal = {"key": "g-1", "text": "Werken in de zorg", "values": [], "determinants": [], "status": "active"}
    PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content=json.dumps({"goals": [goal], "choices": []}),
        reason="Eerste versie",
        created_by=professional,
    )
    return trajectory


def _code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_the_client_portal(page, client_page, log_in, axe_check, setup):
    trajectory = setup
    staff, me = page, client_page
    # The professional invites the client and asks for a questionnaire.
    log_in("pia", PASSWORD)
    staff.goto(f"/trajectories/{trajectory.uuid}/")
    staff.get_by_role("link", name="Nodig de cliënt uit voor het portaal").click()
    axe_check(staff, "professional's portal page")
    staff.get_by_role("button", name="Uitnodiging versturen").click()
    expect(staff.get_by_role("status").first).to_contain_text("verstuurd")
    staff.get_by_label("Vragenlijst", exact=True).select_option("igm")
    staff.get_by_role("button", name="Vragen om in te vullen").click()
    link = re.search(r"http://\S+/portal/invitation/\S+/", mail.outbox[0].body).group(0)

    # The client opens the link: a page with a button (a mail scanner's GET uses nothing up).
    me.goto(link)
    axe_check(me, f"invitation ({me.viewport_name})")
    me.get_by_role("button", name="Stuur mij de code").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Typ uw code")
    axe_check(me, "code")
    me.get_by_label("Uw code").fill(_code())
    me.get_by_role("button", name="Inloggen").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Hallo Samira")
    expect(me.locator('[aria-current="step"]')).to_contain_text("Aan de slag")
    axe_check(me, "home")
    if me.viewport_name == "phone":  # nothing wider than the screen
        assert me.evaluate("document.documentElement.scrollWidth") <= 390

    # Every page of the portal, axe-checked.
    for label, heading in [
        ("Mijn doelen", "Mijn doelen"),
        ("Mijn acties", "Mijn acties"),
        ("Wat komt eraan", "Wat komt eraan"),
        ("Mijn voortgang", "Mijn voortgang"),
        ("Toestemming", "Toestemming"),
        ("Wie keek in mijn dossier", "Wie keek in mijn dossier"),
        ("Mijn gegevens", "Mijn gegevens"),
        ("Vragenlijsten", "Vragenlijsten"),
    ]:
        me.get_by_role("navigation", name="Menu").get_by_role("link", name=label).click()
        expect(me.get_by_role("heading", level=1)).to_have_text(heading)
        axe_check(me, label)
        if label == "Wie keek in mijn dossier":
            expect(me.locator(".ww-portal-log").first).to_contain_text("Pia de Vries")  # the professional

    # A questionnaire halfway, and finished later.
    me.get_by_role("link", name=re.compile("^Start")).last.click()
    axe_check(me, "questionnaire")
    me.locator("#q-attitude").get_by_text("4", exact=True).click()
    me.get_by_role("button", name="Bewaren en later verder").click()
    expect(me.get_by_role("status").first).to_contain_text("bewaard")
    me.get_by_role("link", name=re.compile("^Verder gaan")).click()
    expect(me.locator('#q-attitude input[value="4"]')).to_be_checked()
    for item in (
        "attitude",
        "social_influence",
        "self_efficacy",
        "intention",
        "knowledge_skills",
        "practical_barriers",
    ):
        me.locator(f"#q-{item}").get_by_text("3", exact=True).click()
    me.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(me.get_by_role("status").first).to_contain_text("verstuurd")
    axe_check(me, "questionnaires after sending")

    # A goal proposal, which the professional takes into the plan.
    me.get_by_role("navigation", name="Menu").get_by_role("link", name="Mijn doelen").click()
    me.get_by_role("link", name="Een nieuw doel voorstellen").click()
    axe_check(me, "propose a goal")
    me.get_by_label("Uw doel, in uw eigen woorden").fill("Een cursus Nederlands volgen")
    me.get_by_role("button", name="Voorstel versturen").click()
    expect(me.get_by_text("Wacht op uw begeleider")).to_be_visible()
    staff.goto(f"/trajectories/{trajectory.uuid}/portal/")
    staff.get_by_role("button", name="Opnemen in het plan").click()
    expect(staff.get_by_text("Opgenomen in het plan")).to_be_visible()
    axe_check(staff, "portal page after deciding")
    me.reload()
    expect(me.get_by_text("Opgenomen in het plan")).to_be_visible()
    expect(me.locator(".ww-portal-goal__text", has_text="Een cursus Nederlands volgen")).to_be_visible()

    # Consent: give, then withdraw.
    me.get_by_role("navigation", name="Menu").get_by_role("link", name="Toestemming").click()
    me.get_by_role("button", name=re.compile(r"Toestemming geven\s*:\s*Delen met mijn werkgever")).click()
    expect(
        me.get_by_role("button", name=re.compile(r"Toestemming intrekken\s*:\s*Delen met mijn werkgever"))
    ).to_be_visible()
    me.get_by_role("button", name=re.compile(r"Toestemming intrekken\s*:\s*Delen met mijn werkgever")).click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Wilt u uw toestemming intrekken?")
    axe_check(me, "confirm withdrawing consent")
    me.get_by_role("button", name="Ja, toestemming intrekken").click()
    expect(me.get_by_role("status").first).to_contain_text("ingetrokken")
    axe_check(me, "consent after withdrawing")

    # The professional sees the client's activity in the timeline.
    staff.goto(f"/trajectories/{trajectory.uuid}/?kind=portal")
    expect(staff.locator(".ww-timeline")).to_contain_text("De cliënt stelde een nieuw doel voor")
    expect(staff.locator(".ww-timeline")).to_contain_text("Toestemming ingetrokken")
    assert not me.console_errors and not staff.console_errors, (me.console_errors, staff.console_errors)
