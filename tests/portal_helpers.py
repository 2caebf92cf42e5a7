"""Helpers for tests of the client portal: a client with a portal account, and a logged-in portal session."""

from django.utils import timezone

from waardewerk.accounts.middleware import now_seconds
from waardewerk.portal import session as portal_session
from waardewerk.portal.models import PortalAccount


def portal_account(client, *, active: bool = True) -> PortalAccount:
    account, _ = PortalAccount.objects.get_or_create(client=client)
    if active and not account.activated_at:
        account.activated_at = account.last_login_at = timezone.now()
        account.save()
    return account


def log_in_client(http, client) -> None:
    """Give the test client's browser a portal session for ``client`` (the log-in flow itself is tested in
    waardewerk/portal/tests/test_login.py)."""
    account = portal_account(client)
    session = http.session
    now = now_seconds()
    session[portal_session.CLIENT] = str(client.uuid)
    session[portal_session.EPOCH] = account.session_epoch
    session[portal_session.LOGIN_AT] = now
    session[portal_session.LAST_ACTIVITY] = now
    session.save()
