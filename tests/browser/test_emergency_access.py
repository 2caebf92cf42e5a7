"""Emergency access in a real browser, axe-checked on every page: a team lead who cannot read a dossier of
their team opens emergency access with a reason from the staffing page and reads the dossier; the
responsible professional sees who, when and why on the trajectory page; the client sees it under "who
looked at my file"; the functional administrator finds it with the access log's filter."""

import time

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory
from waardewerk.trajectories.models import EmergencyAccess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Mevrouw belt in paniek over haar uitkering; Pia is ziek."


def _portal_session(context, live_server, client):
    """A portal session for ``client`` in this browser (the log-in itself is tested in test_portal.py)."""
    from urllib.parse import urlparse

    from django.contrib.sessions.backends.db import SessionStore

    from tests.portal_helpers import portal_account
    from waardewerk.accounts.middleware import now_seconds
    from waardewerk.portal import session as portal_session

    account = portal_account(client)
    session = SessionStore()
    now = now_seconds()
    session[portal_session.CLIENT] = str(client.uuid)
    session[portal_session.EPOCH] = account.session_epoch
    session[portal_session.LOGIN_AT] = now
    session[portal_session.LAST_ACTIVITY] = now
    session.save()
    host = urlparse(live_server.url).hostname
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
    )


def test_emergency_access_from_staffing_page_to_the_client(
    page, browser, live_server, log_in, axe_check, professional, team_lead, functional_admin, team, password
):
    from waardewerk.accounts import totp

    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        team=team,
        client__first_name="Noor",
        client__last_name="Visser",
    )
    log_in("lead", password)
    page.get_by_role("link", name="Teamoverzicht").click()
    page.get_by_role("link", name="Bezetting Visser, Noor").click()
    # Staffing does not offer the team lead themselves.
    expect(page.get_by_label("Collega", exact=True).locator("option", has_text="Lea Leider")).to_have_count(0)
    page.get_by_role("link", name="Noodtoegang openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Noodtoegang tot het dossier van Noor Visser")
    axe_check(page, "emergency access form")

    page.get_by_role("button", name="Noodtoegang openen").click()  # no reason
    expect(page.locator(".utrecht-form-field--invalid")).to_be_visible()
    assert not EmergencyAccess.objects.exists()
    axe_check(page, "emergency access form with an error")

    page.get_by_label("Waarom hebt u dit dossier nu nodig?").fill(REASON)
    page.get_by_role("button", name="Noodtoegang openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Noor Visser")
    expect(page.get_by_text("U hebt noodtoegang tot dit dossier tot")).to_be_visible()
    expect(page.get_by_role("heading", name="Noodtoegang tot dit dossier")).to_be_visible()
    expect(page.get_by_role("button", name="Notitie opslaan")).to_have_count(0)  # read only
    axe_check(page, "trajectory page under emergency access")
    assert EmergencyAccess.objects.get().user == team_lead

    # The responsible professional sees who, when and why.
    page.context.clear_cookies()
    log_in("prof", password)
    page.goto(f"/trajectories/{trajectory.uuid}/")
    block = page.locator(".ww-emergency-access")
    expect(block).to_contain_text("Lea Leider")
    expect(block).to_contain_text(REASON)
    axe_check(page, "trajectory page with an emergency access")

    # The client sees it under who looked at their file.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    portal = context.new_page()
    _portal_session(context, live_server, trajectory.client)
    portal.goto("/portal/access-log/")
    expect(portal.get_by_role("heading", level=1)).to_have_text("Wie keek in mijn dossier")
    expect(portal.get_by_text("Noodtoegang").first).to_be_visible()
    expect(portal.get_by_text(REASON)).to_be_visible()
    axe_check(portal, "the client's access log with an emergency access")
    context.close()

    # The functional administrator reviews it with the access log's filter (after the second factor).
    page.context.clear_cookies()
    log_in("admin", password)
    page.goto("/accounts/two-factor/setup/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time()))
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.goto("/admin-area/audit/")
    page.get_by_label("Alleen noodtoegang").check()
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".ww-emergency-badge").first).to_be_visible()
    expect(page.get_by_text(REASON)).to_have_count(0)  # encrypted with the access, never in the log
    axe_check(page, "access log filtered on emergency access")
    assert not page.console_errors, page.console_errors
