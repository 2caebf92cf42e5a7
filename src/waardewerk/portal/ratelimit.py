"""Request limits per address on the portal's public log-in steps (the link, the code, the return from the
identity provider), with the login throttle's counters (``accounts.throttle``): exact under concurrency,
shared by every app process. Over the limit the client gets a page in plain language with the time to try
again ("429 Too Many Requests" with ``Retry-After``)."""

import datetime as dt
import logging
import math
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils import formats, timezone

from waardewerk.accounts import throttle
from waardewerk.core.network import client_ip, throttle_key

logger = logging.getLogger(__name__)
SCOPE = "portal-ip"


def rule() -> throttle.Rule:
    return throttle.Rule(
        SCOPE,
        settings.WAARDEWERK_PORTAL_RATE_LIMIT,
        dt.timedelta(minutes=settings.WAARDEWERK_PORTAL_RATE_MINUTES),
    )


def too_many(request, until: dt.datetime):
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    minute = until.replace(second=0, microsecond=0)
    if minute != until:
        minute += dt.timedelta(minutes=1)
    time = formats.time_format(timezone.localtime(minute), "H:i")
    response = render(request, "portal/too_many_requests.html", {"time": time}, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(view):
    """Count every request to ``view`` for the client's address; refuse with 429 over the limit. Without a
    known address (a misconfigured proxy) nothing is counted, so clients never share one counter."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        address = client_ip(request)
        if address is not None:
            try:
                throttle.acquire([(rule(), throttle_key(address))])
            except throttle.Throttled as exc:
                logger.warning("Portal log-in step refused: too many requests from one address.")
                return too_many(request, exc.until)
        return view(request, *args, **kwargs)

    return wrapped
