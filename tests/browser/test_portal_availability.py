"""The client writes when they can work and what they are good at, in the portal, in a real browser at a
phone's screen size (390 px) and at desktop size, axe-checked: a wrong number gets a clear message and keeps
what was typed, the saved answers come back in the form, and the professional sees them with the client's
name on the staff side. The form works without JavaScript too."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS
from tests.factories import PASSWORD, TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Organisation, Role
from waardewerk.matching.models import CandidateProfile
from waardewerk.portal import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invited():
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
    )
    services.invitation_send(
        actor=professional,
        trajectory=trajectory,
        channel="email",
        link_for=lambda token: f"/portal/invitation/{token}/",
    )
    return trajectory


def _log_in_client(me) -> None:
    link = re.search(r"/portal/invitation/\S+/", mail.outbox[0].body).group(0)
    me.goto(link)
    me.get_by_role("button", name="Stuur mij de code").click()
    me.get_by_label("Uw code").fill(re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1))
    me.get_by_role("button", name="Inloggen").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Hallo Samira")


def _fits(page) -> None:
    if page.viewport_name == "phone":  # nothing wider than the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_client_writes_availability_and_strengths(page, client_page, log_in, axe_check, invited):
    trajectory = invited
    me = client_page
    _log_in_client(me)
    me.get_by_role("navigation", name="Menu").get_by_role("link", name="Vacatures voor mij").click()
    me.get_by_role("link", name="Vul het in").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Wanneer kunt u werken, en waar bent u goed in?")
    axe_check(me, f"availability form ({me.viewport_name})")
    _fits(me)

    # A wrong number: a clear message beside the field, what was typed stays, nothing is stored.
    me.get_by_label("Hoeveel uur per week wilt u werken?").fill("0")
    me.get_by_label("Waar bent u goed in?").fill("Ik kan goed met mensen omgaan.")
    me.get_by_role("button", name="Opslaan").click()
    expect(me.get_by_text("Schrijf een aantal uren van 1 tot 60.").first).to_be_visible()
    expect(me.get_by_label("Waar bent u goed in?")).to_have_value("Ik kan goed met mensen omgaan.")
    axe_check(me, f"availability form with a message ({me.viewport_name})")
    _fits(me)
    assert not CandidateProfile.objects.exists()

    me.get_by_label("Hoeveel uur per week wilt u werken?").fill("24")
    me.get_by_label("Maandag").check()
    me.get_by_label("Donderdag").check()
    me.get_by_label("ochtend").check()
    me.get_by_label("fiets").check()
    me.get_by_label(re.compile("^Hoe ver wilt u reizen")).fill("12")
    me.get_by_role("button", name="Opslaan").click()
    expect(me.get_by_role("status").first).to_contain_text("Dank u")
    me.get_by_role("link", name="Uw antwoorden bekijken of veranderen").click()
    expect(me.get_by_label("Hoeveel uur per week wilt u werken?")).to_have_value("24")
    expect(me.get_by_label("Donderdag")).to_be_checked()
    expect(me.get_by_label("Waar bent u goed in?")).to_have_value("Ik kan goed met mensen omgaan.")
    _fits(me)

    # The professional sees it on the staff side, written by the client.
    log_in("pia", PASSWORD)
    page.goto(f"/trajectories/{trajectory.uuid}/fit/")
    page.get_by_role("link", name="Beschikbaarheid en sterke kanten bekijken of veranderen").click()
    expect(page.get_by_label("Uren per week")).to_have_value("24")
    expect(page.get_by_text(re.compile("door de cliënt in het portaal"))).to_be_visible()
    axe_check(page, "the professional's availability page")


def test_the_form_works_without_javascript(browser, live_server, invited):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False, **VIEWPORTS["phone"]
    )
    me = context.new_page()
    me.set_default_timeout(10_000)
    _log_in_client(me)
    me.goto("/portal/jobs/availability/")
    me.get_by_label("Hoeveel uur per week wilt u werken?").fill("16")
    me.get_by_label("Woensdag").check()
    me.get_by_label("Waar bent u goed in?").fill("Ik ben precies.")
    me.get_by_role("button", name="Opslaan").click()
    expect(me.get_by_role("heading", level=1)).to_have_text("Vacatures voor mij")
    context.close()
    stored = CandidateProfile.objects.get()
    assert stored.hours_per_week == 16 and stored.days == ["wed"] and stored.written_by == "client"
