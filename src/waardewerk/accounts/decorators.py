"""Re-authentication before sensitive actions (exports and the like)."""

from functools import wraps

from waardewerk.accounts.middleware import REAUTH_AT, now_seconds, redirect_to, url_with_next


def require_recent_authentication(view_func=None, *, max_age_seconds: int = 300):
    """Let the view run only when the user typed their password (and a code, with two-step verification)
    within the last ``max_age_seconds``; otherwise send them to ``/accounts/confirm/?next=<this page>``.

    Use it on the page that shows the sensitive thing or its form (a GET); after confirming, the user comes
    back to that page. Works bare (``@require_recent_authentication``) and with arguments.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            at = request.session.get(REAUTH_AT)
            if at is not None and 0 <= now_seconds() - at <= max_age_seconds:
                return view(request, *args, **kwargs)
            return redirect_to(request, url_with_next("accounts:confirm", request.get_full_path()))

        return wrapped

    return decorator(view_func) if view_func is not None else decorator
