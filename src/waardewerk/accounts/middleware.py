"""Session security of the staff side: idle and absolute time-out, and the second login step.

What a session knows about its login lives in the session itself (Unix times, whole seconds):

- ``login_at``: when the password was accepted; the session ends ``SESSION_COOKIE_AGE`` seconds later.
- ``last_activity``: the last request, written at most once a minute (so an ordinary page view does not
  write the session); the session ends after ``WAARDEWERK_SESSION_IDLE_SECONDS`` without a request.
- ``2fa_verified_at``: when the second factor was checked; until then only the two-factor pages, logout,
  login and the language switch answer.
- ``2fa_required`` (with ``2fa_checked_at``): whether the user turned two-step verification on, looked up
  at login and again at most once a minute, for when the organisation does not require it for everyone.
- ``reauth_at``: when the user last typed their password again (``require_recent_authentication``).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from waardewerk.accounts import selectors

LOGIN_AT = "login_at"
LAST_ACTIVITY = "last_activity"
TWO_FACTOR_VERIFIED_AT = "2fa_verified_at"
TWO_FACTOR_REQUIRED = "2fa_required"
TWO_FACTOR_CHECKED_AT = "2fa_checked_at"
REAUTH_AT = "reauth_at"
REFRESH_SECONDS = 60

# URL names an authenticated user reaches before the second login step.
TWO_FACTOR_EXEMPT = {
    "login",
    "logout",
    "set_language",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:two_factor_recovery",
    "accounts:two_factor_enrol",
}


def now_seconds() -> int:
    return int(timezone.now().timestamp())


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def redirect_to(request, url: str):
    """A redirect; for htmx an ``HX-Redirect`` header, so the whole page goes there, not a fragment."""
    return HttpResponseClientRedirect(url) if is_htmx(request) else redirect(url)


def url_with_next(name: str, next_url: str | None) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def session_start(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: every login (also ``Client.force_login``) starts the clocks and forgets
    an earlier second factor or re-authentication that a reused session might still carry."""
    if request is None or not hasattr(request, "session"):
        return
    session = request.session
    now = now_seconds()
    session.pop(TWO_FACTOR_VERIFIED_AT, None)
    session.pop(REAUTH_AT, None)
    session[LOGIN_AT] = now
    session[LAST_ACTIVITY] = now
    session[TWO_FACTOR_REQUIRED] = selectors.two_factor_required(user=user)
    session[TWO_FACTOR_CHECKED_AT] = now


def two_factor_mark_verified(request) -> None:
    """The second factor was checked: a new session key for the raised trust, and the time."""
    request.session.cycle_key()
    request.session[TWO_FACTOR_VERIFIED_AT] = now_seconds()


def two_factor_pending(request) -> bool:
    """Whether this authenticated session still has to pass the second login step."""
    session = request.session
    if session.get(TWO_FACTOR_VERIFIED_AT):
        return False
    if settings.WAARDEWERK_REQUIRE_2FA:
        return True
    now = now_seconds()
    if TWO_FACTOR_REQUIRED not in session or now - session.get(TWO_FACTOR_CHECKED_AT, 0) >= REFRESH_SECONDS:
        session[TWO_FACTOR_REQUIRED] = selectors.has_confirmed_totp_device(user=request.user)
        session[TWO_FACTOR_CHECKED_AT] = now
    return bool(session[TWO_FACTOR_REQUIRED])


class SessionTimeoutMiddleware:
    """Log out after ``WAARDEWERK_SESSION_IDLE_SECONDS`` without a request or ``SESSION_COOKIE_AGE``
    seconds after login, and send the user to the login page with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = now_seconds()
            login_at = session.get(LOGIN_AT)
            last = session.get(LAST_ACTIVITY, login_at)
            if login_at is None:
                # A session from before these clocks existed: they start now.
                session[LOGIN_AT] = session[LAST_ACTIVITY] = now
            elif (
                now - login_at >= settings.SESSION_COOKIE_AGE
                or now - last >= settings.WAARDEWERK_SESSION_IDLE_SECONDS
            ):
                return self.expired(request)
            elif now - last >= REFRESH_SECONDS:
                session[LAST_ACTIVITY] = now
        return self.get_response(request)

    @staticmethod
    def expired(request):
        logout(request)
        # MessageMiddleware comes later in the chain and is skipped here: store the message ourselves.
        storage = default_storage(request)
        storage.add(messages.INFO, _("Your session has expired. Please log in again."))
        next_url = request.get_full_path() if request.method == "GET" and not is_htmx(request) else None
        response = redirect_to(request, url_with_next(settings.LOGIN_URL, next_url))
        storage.update(response)
        return response


class TwoFactorMiddleware:
    """Until the second factor is checked, every page except ``TWO_FACTOR_EXEMPT`` and static files sends
    the user to the verification step (which sends a user without an app on to the set-up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.path_info.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_EXEMPT:
            return None
        if not two_factor_pending(request):
            return None
        next_url = request.get_full_path() if request.method == "GET" and not is_htmx(request) else None
        return redirect_to(request, url_with_next("accounts:two_factor_verify", next_url))
