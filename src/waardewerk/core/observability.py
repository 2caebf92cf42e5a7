"""Request ids, structured logs and optional error reporting (docs/operations.md, "Logs and errors").

- ``RequestIdMiddleware`` (first in ``MIDDLEWARE``) gives every request an id: the ``X-Request-ID`` header
  when it is a safe token (8-64 letters, digits, ``.``, ``_``, ``-``), otherwise a new one. The id goes back
  in the response's ``X-Request-ID``, onto every log line written while the request runs
  (``RequestContextFilter``, through a context variable) and into the access log (``AuditMiddleware``).
  At the end it writes one line per request: method, URL pattern (never the path itself, which can hold a
  one-time token, nor the query string, which can hold a searched name), status and duration.
- The log lines are JSON (python-json-logger's formatter, configured in ``settings.LOGGING``).
  ``RequestContextFilter`` also drops the request object that Django attaches to its own log records: its
  text form carries the query string.
- ``sentry_options`` / ``init_sentry``: error reports to Sentry when ``SENTRY_DSN`` is set, without
  personal data: no request bodies, cookies, query strings, headers beyond a short list, local variables
  or user details (``strip_personal_data``).
"""

import contextvars
import logging
import re
import time
import uuid
from importlib import metadata
from urllib.parse import urlsplit, urlunsplit

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("waardewerk_request_id", default="")

request_logger = logging.getLogger("waardewerk.request")


def current_request_id() -> str:
    """The id of the request being handled in this thread or task, or ``""``."""
    return _request_id.get()


def accepted_request_id(incoming: str) -> str:
    """The client's or proxy's id when it is a safe token, otherwise a new one."""
    return incoming if REQUEST_ID.match(incoming or "") else uuid.uuid4().hex


def app_version() -> str:
    try:
        return metadata.version("waardewerk")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "unknown"


class RequestIdMiddleware:
    """Sets ``request.request_id``, makes it the context of every log line of the request, echoes it in the
    response and writes the request's log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = accepted_request_id(request.headers.get(HEADER, ""))
        token = _request_id.set(request.request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            if not getattr(request, "health_check", False):
                match = getattr(request, "resolver_match", None)
                route = "/" + match.route if match is not None else "-"
                duration = round((time.monotonic() - started) * 1000, 1)
                request_logger.info(
                    "%s %s %s %sms",
                    request.method,
                    route,
                    response.status_code,
                    duration,
                    extra={
                        "method": request.method,
                        "route": route,
                        "view": match.view_name if match is not None else "",
                        "status": response.status_code,
                        "duration_ms": duration,
                    },
                )
            return response
        finally:
            _request_id.reset(token)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` to every record and removes what could carry personal data into a log line:
    the request object Django attaches (``request``; its text form holds the query string)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = record.__dict__.pop("request", None)
        if not getattr(record, "request_id", ""):
            # Django logs a 4xx/5xx answer after the middleware finished: the request still knows its id.
            record.request_id = _request_id.get() or getattr(request, "request_id", "")
        return True


# --- Error reporting (Sentry) ---

# Request headers an error report may keep; everything else (cookies, authorisation, referrer with its query
# string, forwarded addresses) is removed.
SENTRY_HEADERS = frozenset(
    {"host", "user-agent", "accept", "accept-language", "content-type", "content-length", "x-request-id"}
)


def _without_query(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def strip_personal_data(event: dict, hint: dict | None = None) -> dict:
    """``before_send`` of the Sentry client: keeps the error, its stack and the request's method and path;
    removes the request body, cookies, the query string, headers outside ``SENTRY_HEADERS``, the
    environment, the user and the data of breadcrumbs (SQL parameters, outgoing URLs)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if "url" in request:
            request["url"] = _without_query(str(request["url"]))
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in SENTRY_HEADERS}
        else:
            request.pop("headers", None)
    event.pop("user", None)
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    if isinstance(values, list):
        for crumb in values:
            if isinstance(crumb, dict):
                crumb.pop("data", None)
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_options(dsn: str, *, environment: str = "production") -> dict:
    """The options ``sentry_sdk.init`` gets: errors only (no performance tracing), no personal data."""
    from sentry_sdk.integrations.django import DjangoIntegration

    return {
        "dsn": dsn,
        "environment": environment,
        "release": f"waardewerk@{app_version()}",
        # Nothing personal, category by category (the SDK's ``data_collection``; ``send_default_pii`` is
        # deprecated): no user, cookies, bodies, query strings, SQL parameters or frame variables; of the
        # request headers only those ``strip_personal_data`` keeps as well.
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(SENTRY_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "graphql": {"document": False, "variables": False},
            "gen_ai": {"inputs": False, "outputs": False},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        "include_local_variables": False,
        "max_request_body_size": "never",
        "traces_sample_rate": None,
        "before_send": strip_personal_data,
        "integrations": [DjangoIntegration()],
    }


def init_sentry(dsn: str, *, environment: str = "production") -> None:
    import sentry_sdk

    sentry_sdk.init(**sentry_options(dsn, environment=environment))
