"""The client's voice in the portal, in a real browser at a phone's screen size (390 px) and at desktop size,
axe-checked: the client fills in the client-experience questionnaire the professional asked for, and writes
their own evaluation ("Terugkijken"), first without an answer (a clear message), then with one, and changes
it; the professional reads it beside their own evaluation and in the timeline."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Organisation, Role
from waardewerk.instruments.selectors import current_instruments
from waardewerk.portal import services
from waardewerk.trajectories.models import Phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluating():
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
        phase=Phase.EVALUATION,
    )
    key = next(i.key for i, d in current_instruments() if d.roles.quality == "experience")
    services.questionnaire_request(actor=professional, trajectory=trajectory, key=key)
    services.invitation_send(
        actor=professional,
        trajectory=trajectory,
        channel="email",
        link_for=lambda token: f"/portal/invitation/{token}/",
    )
    return trajectory


def _fits(page) -> None:
    if page.viewport_name == "phone":  # nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_experience_questionnaire_and_own_evaluation(page, client_page, log_in, axe_check, evaluating):
    trajectory = evaluating
    me = client_page
    link = re.search(r"/portal/invitation/\S+/", mail.outbox[0].body).group(0)
    me.goto(link)
    me.get_by_role("button", name="Stuur mij de code").click()
    me.get_by_label("Uw code").fill(re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1))
    me.get_by_role("button", name="Inloggen").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Hallo Samira")
    expect(me.get_by_role("link", name="Schrijf op hoe u terugkijkt op uw traject")).to_be_visible()
    axe_check(me, f"home in the evaluation phase ({me.viewport_name})")
    _fits(me)

    # The client-experience questionnaire: every statement, then send.
    me.get_by_role("navigation", name="Menu").get_by_role("link", name="Vragenlijsten").click()
    me.get_by_role("link", name=re.compile("^Start")).last.click()
    axe_check(me, f"experience questionnaire ({me.viewport_name})")
    _fits(me)
    for statement in me.locator("fieldset[id^='q-']").all():
        statement.get_by_text("4", exact=True).click()
    me.get_by_role("button", name="Mijn antwoorden versturen").click()
    expect(me.get_by_role("status").first).to_contain_text("verstuurd")
    axe_check(me, "questionnaires after sending")

    # Looking back: an empty form gets a message, then the client writes and changes it.
    me.get_by_role("navigation", name="Menu").get_by_role("link", name="Terugkijken").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Terugkijken")
    axe_check(me, f"looking back ({me.viewport_name})")
    _fits(me)
    me.get_by_role("button", name="Versturen").click()
    expect(me.get_by_role("alert").first).to_contain_text("Schrijf iets in een van de vakken")
    axe_check(me, "looking back with a message")
    me.get_by_label("Wat ging goed?").fill("Dat ik zelf mocht kiezen.")
    me.get_by_label("Tevreden", exact=True).check()
    me.get_by_role("button", name="Versturen").click()
    expect(me.get_by_role("status").first).to_contain_text("Dank u")
    me.get_by_label("Wat zou u zeggen tegen iemand die net begint?").fill("Begin klein.")
    me.get_by_role("button", name="Wijzigingen opslaan").click()
    expect(me.get_by_label("Wat zou u zeggen tegen iemand die net begint?")).to_have_value("Begin klein.")
    axe_check(me, "looking back after saving")
    _fits(me)

    # The professional reads it beside their own evaluation, and in the timeline.
    log_in("pia", PASSWORD)
    page.goto(f"/trajectories/{trajectory.uuid}/evaluation/")
    section = page.get_by_role("region", name="In het portaal: de cliënt kijkt terug")
    expect(section).to_contain_text("Dat ik zelf mocht kiezen.")
    expect(section).to_contain_text("Tevreden")
    axe_check(page, "evaluation page with the client's own evaluation")
    page.goto(f"/trajectories/{trajectory.uuid}/?kind=portal")
    expect(page.locator(".ww-timeline")).to_contain_text("Begin klein.")
