"""Request ids, JSON log lines and error reports without personal data (docs/operations.md, "Logs and
errors")."""

import importlib
import io
import json
import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from tests.factories import TrajectoryFactory
from waardewerk.audit.models import AccessEvent
from waardewerk.core import observability

# What a professional types about a client; none of it may reach a log line.
PERSONAL = {
    "first_name": "Xanthippe",
    "last_name": "Zwanenburg-Quist",
    "date_of_birth": "1971-04-23",
    "email": "x.zwanenburg@voorbeeld.nl",
    "phone": "0612349876",
    "street": "Kwikstaartlaan 88",
    "postal_code": "9999 ZZ",
    "city": "Oudeschild",
    "bsn": "111222333",
}
MARKERS = [
    "Xanthippe",
    "Zwanenburg",
    "1971-04-23",
    "x.zwanenburg",
    "0612349876",
    "Kwikstaart",
    "9999 ZZ",
    "Oudeschild",
    "111222333",
    "Geheim-Wachtwoord",
]


@pytest.fixture
def trajectory(professional, team):
    return TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )


@pytest.fixture
def json_log():
    """The production log handler (settings.LOGGING of waardewerk.conf.settings: JSON formatter and the
    request filter) on the root logger at DEBUG, writing into a buffer."""
    production = importlib.import_module("waardewerk.conf.settings").LOGGING
    options = dict(production["formatters"]["json"])
    formatter = import_string(options.pop("()"))(**options)
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    handler.addFilter(observability.RequestContextFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(buffer) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


@pytest.mark.django_db
def test_a_safe_request_id_is_kept_and_echoed_an_unsafe_one_replaced(login, professional):
    client = login(professional)
    response = client.get("/caseload/", HTTP_X_REQUEST_ID="lb-4f2a9c1e.77")
    assert response["X-Request-ID"] == "lb-4f2a9c1e.77"
    for unsafe in ["short", "has space 12345", "<script>alert(1)</script>", "x" * 65, "a\nb12345678"]:
        response = client.get("/caseload/", HTTP_X_REQUEST_ID=unsafe)
        assert response["X-Request-ID"] != unsafe
        assert observability.REQUEST_ID.match(response["X-Request-ID"])
    first, second = client.get("/caseload/")["X-Request-ID"], client.get("/caseload/")["X-Request-ID"]
    assert first != second


@pytest.mark.django_db
def test_the_access_log_records_the_same_request_id(login, professional, trajectory):
    client = login(professional)
    dossier = reverse("clients:dossier", args=[trajectory.client.uuid])
    response = client.get(dossier, HTTP_X_REQUEST_ID="trace-0001")
    assert response.status_code == 200
    assert AccessEvent.objects.filter(request_id="trace-0001").exists()


@pytest.mark.django_db
def test_every_log_line_is_json_with_the_request_id(login, professional, json_log):
    client = login(professional)
    client.get("/caseload/", HTTP_X_REQUEST_ID="req-aaaa1111")
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-bbbb2222")  # Django logs "Not Found" afterwards
    lines = _lines(json_log)
    request_lines = [line for line in lines if line["logger"] == "waardewerk.request"]
    assert {(line["request_id"], line["status"]) for line in request_lines} >= {
        ("req-aaaa1111", 200),
        ("req-bbbb2222", 404),
    }
    caseload = next(line for line in request_lines if line["request_id"] == "req-aaaa1111")
    assert caseload["method"] == "GET" and caseload["route"] == "/caseload/" and caseload["duration_ms"] >= 0
    assert {"time", "level", "logger", "message"} <= set(caseload)
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and all(line["request_id"] == "req-bbbb2222" for line in not_found)
    # Every line written while a request ran carries its id.
    assert all(line["request_id"] in {"req-aaaa1111", "req-bbbb2222"} for line in lines), lines


@pytest.mark.django_db
def test_the_log_holds_no_personal_data_from_request_bodies_or_query_strings(
    login, professional, trajectory, json_log, monkeypatch
):
    """Forms with a client's personal data, sent whole, incomplete, without a CSRF token and while the
    database is away; a search in the query string; a failed log-in: no value reaches a log line."""
    client = login(professional)
    register = reverse("clients:register")
    assert client.post(register, PERSONAL).status_code == 302
    assert client.post(register, {**PERSONAL, "date_of_birth": "not a date"}).status_code == 422
    client.get("/caseload/?q=Zwanenburg-Quist&city=Oudeschild")
    client.get("/no-such-page/?name=Xanthippe")

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(professional)
    assert strict.post(register, PERSONAL).status_code == 403

    anonymous = Client()
    anonymous.post(reverse("login"), {"username": "prof", "password": "Geheim-Wachtwoord-123"})

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    away = Client(raise_request_exception=False)
    away.force_login(professional)
    monkeypatch.setattr(connection, "ensure_connection", unreachable)
    assert away.post(register, PERSONAL).status_code == 503
    monkeypatch.undo()

    text = json_log.getvalue()
    assert "waardewerk.request" in text and "Service Unavailable" in text  # the log did capture requests
    for marker in MARKERS:
        assert marker not in text, marker
    assert "q=" not in text and "?" not in "".join(line["message"] for line in _lines(json_log))


def test_the_filter_drops_the_request_django_attaches():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None
    )
    record.request = type("R", (), {"request_id": "abc12345", "__str__": lambda self: "GET /x/?name=Jan"})()
    assert observability.RequestContextFilter().filter(record)
    assert "request" not in record.__dict__ and record.request_id == "abc12345"


# --- Sentry ---


def _event():
    return {
        "request": {
            "url": "https://waardewerk.example.nl/clients/42/?q=Zwanenburg",
            "method": "POST",
            "query_string": "q=Zwanenburg",
            "data": {"first_name": "Xanthippe", "bsn": "111222333"},
            "cookies": {"sessionid": "s3cr3t"},
            "headers": {
                "Cookie": "sessionid=s3cr3t",
                "Authorization": "Bearer s3cr3t",
                "Referer": "https://waardewerk.example.nl/caseload/?q=Zwanenburg",
                "X-Forwarded-For": "203.0.113.7",
                "User-Agent": "Firefox",
                "X-Request-ID": "req-12345678",
            },
            "env": {"REMOTE_ADDR": "203.0.113.7"},
        },
        "user": {"id": "7", "username": "prof", "ip_address": "203.0.113.7"},
        "breadcrumbs": {
            "values": [{"category": "query", "message": "SELECT 1", "data": {"params": ["Jan"]}}]
        },
        "exception": {"values": [{"type": "ValueError", "value": "boom"}]},
    }


def test_sentry_before_send_strips_bodies_cookies_query_strings_and_users():
    event = observability.strip_personal_data(_event(), {})
    text = json.dumps(event)
    for secret in ["Zwanenburg", "Xanthippe", "111222333", "s3cr3t", "203.0.113.7", "prof"]:
        assert secret not in text, secret
    assert event["request"]["url"] == "https://waardewerk.example.nl/clients/42/"
    assert event["request"]["method"] == "POST"
    assert event["request"]["headers"] == {"User-Agent": "Firefox", "X-Request-ID": "req-12345678"}
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert event["breadcrumbs"]["values"][0]["message"] == "SELECT 1"


def test_sentry_options_send_no_personal_data():
    options = observability.sentry_options("https://key@sentry.example.org/1", environment="acceptance")
    assert "send_default_pii" not in options  # deprecated; data_collection says it per category
    collected = options["data_collection"]
    assert collected["user_info"] is False
    assert collected["cookies"] == {"mode": "off"}
    assert collected["http_bodies"] == []
    assert collected["url_query_params"] == {"mode": "off"}
    assert collected["database_query_data"] is False
    assert collected["stack_frame_variables"] is False
    assert options["include_local_variables"] is False
    assert options["max_request_body_size"] == "never"
    assert options["before_send"] is observability.strip_personal_data
    assert options["environment"] == "acceptance"


def test_an_event_sent_through_the_client_arrives_stripped():
    """The whole way through sentry-sdk's client, with a transport that keeps what would be sent."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    sent = []

    class Keep(Transport):
        def capture_envelope(self, envelope):
            sent.append(envelope.serialize().decode())

    options = observability.sentry_options("https://key@sentry.example.org/1")
    options.pop("integrations")
    client = sentry_sdk.Client(transport=Keep, **options)
    with sentry_sdk.new_scope() as scope:
        scope.set_client(client)
        sentry_sdk.capture_event(_event())
        client.flush()
    assert sent
    for secret in ["Zwanenburg", "Xanthippe", "111222333", "s3cr3t", "203.0.113.7"]:
        assert secret not in sent[0], secret
