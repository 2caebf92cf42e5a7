"""The database away: a clear 503 page in the user's language instead of a 500, and recovery without a
restart when it is back (docs/operations.md, "Health")."""

import urllib.error
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse


def _unreachable(*args, **kwargs):
    raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("nl", "Waardewerk is tijdelijk niet beschikbaar"), ("en", "Waardewerk is temporarily unavailable")],
)
def test_a_page_answers_503_in_the_users_language_and_works_again_afterwards(
    professional, monkeypatch, language, heading
):
    client = Client(raise_request_exception=False)
    client.force_login(professional)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    assert client.get("/caseload/").status_code == 200

    monkeypatch.setattr(connection, "ensure_connection", _unreachable)
    response = client.get("/caseload/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert heading in html and f'lang="{language}"' in html
    assert "10.0.0.5" not in html and "Traceback" not in html and "OperationalError" not in html
    assert len(response["X-Request-ID"]) >= 8
    # A form sent meanwhile gets the same page.
    assert client.post(reverse("clients:register"), {"first_name": "Jan"}).status_code == 503

    monkeypatch.undo()
    assert client.get("/caseload/").status_code == 200


def test_other_errors_stay_a_500():
    from django.test import RequestFactory

    from waardewerk.core import errors

    try:
        raise ValueError("not the database")
    except ValueError:
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500


def test_database_errors_are_recognised_through_their_cause():
    from waardewerk.core.errors import database_unavailable

    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise RuntimeError("while rendering") from exc
    except RuntimeError as outer:
        assert database_unavailable(outer)
    assert not database_unavailable(ValueError("x"))
    assert not database_unavailable(None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="points a running server at a closed port")
@pytest.mark.django_db(transaction=True)
def test_a_running_server_answers_503_while_the_database_is_away_and_recovers_by_itself(
    live_server, professional, monkeypatch
):
    """A real server and a real connection failure: while the database refuses connections every page
    answers the 503 page and /readyz says why; once it is back, the next request works, nothing restarted."""
    client = Client()
    client.force_login(professional)
    cookie = (
        f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    )

    def get(path):
        request = urllib.request.Request(live_server.url + path, headers={"Cookie": cookie})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - the test's own server
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    assert get("/caseload/")[0] == 200
    # New connections (the server opens one per request thread) go to a port where nothing listens.
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    status, html = get("/caseload/")
    assert status == 503 and "Waardewerk is tijdelijk niet beschikbaar" in html
    status, body = get("/readyz")
    assert status == 503 and '"database": {"ok": false, "error": "OperationalError"}' in body
    assert get("/healthz")[0] == 200
    monkeypatch.undo()
    assert get("/caseload/")[0] == 200
    assert get("/readyz")[0] == 200
