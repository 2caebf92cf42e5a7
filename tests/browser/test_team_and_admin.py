"""Team lead and functional administrator pages in a real browser, with accessibility checks."""

import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ActionFactory, TrajectoryFactory
from waardewerk.audit.services import audit_record
from waardewerk.trajectories.models import TrajectoryAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_lead_overview_and_substitute(
    page, log_in, axe_check, professional, colleague, team_lead, team, password
):
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        team=team,
        client__first_name="Noor",
        client__last_name="Visser",
    )
    ActionFactory(trajectory=trajectory, due_date=timezone.localdate() - timezone.timedelta(days=3))
    log_in("lead", password)
    page.get_by_role("link", name="Teamoverzicht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teamoverzicht")
    expect(page.get_by_role("rowheader", name="Visser, Noor")).to_be_visible()
    expect(page.get_by_role("link", name="Visser, Noor", exact=True)).to_have_count(0)  # no dossier access
    axe_check(page, "team overview")

    page.get_by_role("link", name="Bezetting Visser, Noor").click()
    axe_check(page, "staffing")
    page.get_by_label("Collega", exact=True).select_option(str(colleague.pk))
    page.get_by_label("Als", exact=True).select_option("substitute")
    page.get_by_role("button", name="Collega toevoegen").click()
    expect(page.get_by_role("rowheader", name=str(colleague))).to_be_visible()
    assert TrajectoryAssignment.objects.get(trajectory=trajectory).user == colleague


def test_admin_reads_the_access_log_after_two_factor(
    page, log_in, axe_check, functional_admin, professional, password
):
    from waardewerk.accounts import totp

    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    audit_record(actor=professional, action="view", client=trajectory.client, obj=trajectory.client)
    log_in("admin", password)
    page.get_by_role("link", name="Logboek").click()
    # The log needs a second factor: set up an authenticator app first.
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/accounts/two-factor/setup/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time()))
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.goto("/admin-area/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logboek")
    expect(page.get_by_role("cell", name="Inzien").first).to_be_visible()
    axe_check(page, "access log")
