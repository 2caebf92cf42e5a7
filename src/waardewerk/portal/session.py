"""The portal session: which client is logged in, kept apart from the staff login.

A portal session holds its own keys (the staff side uses Django's auth keys):

- ``portal_client``: the client's public id; ``portal_epoch``: the account's ``session_epoch`` at log-in
  (raising it, when the professional ends access, ends every open portal session at the next request);
- ``portal_login_at`` / ``portal_last_activity``: the same absolute and idle limits as staff sessions
  (``SESSION_COOKIE_AGE``, ``WAARDEWERK_SESSION_IDLE_SECONDS``);
- ``portal_pending``: between opening the link and typing the code, the invitation's public id.

A portal log-in logs a staff user out of the same browser first and gets a new session key; a staff log-in
drops the portal keys. So one browser session is never both.
"""

from django.contrib.auth import logout

from waardewerk.accounts.middleware import now_seconds

CLIENT = "portal_client"
EPOCH = "portal_epoch"
LOGIN_AT = "portal_login_at"
LAST_ACTIVITY = "portal_last_activity"
PENDING = "portal_pending"
PENDING_AT = "portal_pending_at"
PORTAL_KEYS = (CLIENT, EPOCH, LOGIN_AT, LAST_ACTIVITY, PENDING, PENDING_AT)


def _drop_staff(request) -> None:
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)  # flushes the session: nothing of the staff login is left


def start_pending(request, invitation) -> None:
    """The link was opened: remember the invitation until the code is typed (new session key)."""
    _drop_staff(request)
    for key in PORTAL_KEYS:
        request.session.pop(key, None)
    request.session.cycle_key()
    request.session[PENDING] = str(invitation.uuid)
    request.session[PENDING_AT] = now_seconds()


def pending_invitation_id(request) -> str | None:
    return request.session.get(PENDING)


def portal_login(request, client, account) -> None:
    """The client proved who they are: a fresh session that belongs to this client only."""
    _drop_staff(request)
    for key in PORTAL_KEYS:
        request.session.pop(key, None)
    request.session.cycle_key()
    now = now_seconds()
    request.session[CLIENT] = str(client.uuid)
    request.session[EPOCH] = account.session_epoch
    request.session[LOGIN_AT] = now
    request.session[LAST_ACTIVITY] = now
    request.portal_client = client


def portal_logout(request) -> None:
    request.session.flush()
    request.portal_client = None


def forget_portal_on_staff_login(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: a staff log-in ends any portal session in the same browser."""
    if request is not None and hasattr(request, "session"):
        for key in PORTAL_KEYS:
            request.session.pop(key, None)
