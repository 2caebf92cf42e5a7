"""Sessions: idle and absolute time-out, a new session key at login, deactivated users out at once."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from waardewerk.accounts.tests.helpers import clock, log_in_with_password

pytestmark = pytest.mark.django_db

CASELOAD = "/caseload/"
EXPIRED = "Uw sessie is verlopen. Log opnieuw in."


def shift(client, **seconds_back):
    """Move the session's clocks back in time, as if the login or last request happened earlier."""
    session = client.session
    for key, seconds in seconds_back.items():
        session[key] -= seconds
    session.save()


@pytest.fixture
def signed_in(client, professional):
    client.force_login(professional)
    assert client.get(reverse("trajectories:caseload")).status_code == 200
    return client


def test_login_starts_the_clocks(signed_in):
    session = signed_in.session
    now = int(timezone.now().timestamp())
    assert abs(session["login_at"] - now) <= 5 and abs(session["last_activity"] - now) <= 5


def test_idle_session_ends_and_sends_to_login_with_a_message(signed_in, settings):
    shift(signed_in, last_activity=settings.WAARDEWERK_SESSION_IDLE_SECONDS)
    response = signed_in.get(reverse("trajectories:caseload"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=%2Fcaseload%2F"
    login_page = signed_in.get(response["Location"])
    assert EXPIRED in login_page.content.decode()
    assert "_auth_user_id" not in signed_in.session
    assert signed_in.get(reverse("trajectories:caseload"))["Location"].startswith(reverse("login"))


def test_activity_keeps_the_session_alive(signed_in, settings):
    shift(signed_in, last_activity=settings.WAARDEWERK_SESSION_IDLE_SECONDS - 120)
    assert signed_in.get(reverse("trajectories:caseload")).status_code == 200
    # That request counted as activity: 29 minutes later the session is still there.
    with clock(timezone.now() + dt.timedelta(seconds=settings.WAARDEWERK_SESSION_IDLE_SECONDS - 60)):
        assert signed_in.get(reverse("trajectories:caseload")).status_code == 200


def test_absolute_limit_ends_even_an_active_session(signed_in, settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    shift(signed_in, login_at=settings.SESSION_COOKIE_AGE - 60)
    assert signed_in.get(reverse("trajectories:caseload")).status_code == 200
    shift(signed_in, login_at=60)
    response = signed_in.get(reverse("trajectories:caseload"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert EXPIRED in response.content.decode()


def test_htmx_request_on_an_expired_session_gets_hx_redirect(signed_in, settings):
    shift(signed_in, last_activity=settings.WAARDEWERK_SESSION_IDLE_SECONDS + 1)
    response = signed_in.get(reverse("trajectories:caseload"), {"q": "jan"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login")
    assert b"<html" not in response.content


def test_english_message_when_english_was_chosen(signed_in, settings):
    signed_in.post(reverse("set_language"), {"language": "en", "next": "/"})
    shift(signed_in, last_activity=settings.WAARDEWERK_SESSION_IDLE_SECONDS)
    response = signed_in.get(reverse("trajectories:caseload"), follow=True)
    assert "Your session has expired. Please log in again." in response.content.decode()


def test_new_session_key_on_login(client, professional, password):
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    response = log_in_with_password(client, "prof", password)
    assert response["Location"] == reverse("home")
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_an_earlier_second_factor_does_not_survive_a_new_login(client, professional):
    client.force_login(professional)
    session = client.session
    session["2fa_verified_at"] = 1
    session["reauth_at"] = 1
    session.save()
    client.force_login(professional)  # the same user logs in again in the same session
    assert "2fa_verified_at" not in client.session and "reauth_at" not in client.session


def test_deactivated_user_loses_the_session_at_once(signed_in, professional):
    professional.is_active = False
    professional.save(update_fields=["is_active"])
    response = signed_in.get(reverse("trajectories:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert signed_in.get(f"/clients/{professional.uuid}/")["Location"].startswith(reverse("login"))


def test_a_plain_page_view_does_not_write_the_session(signed_in):
    """The last-activity clock is written at most once a minute, so reading pages stays cheap."""
    signed_in.get(reverse("trajectories:caseload"))
    session_key = signed_in.session.session_key
    before = Session.objects.get(session_key=session_key).session_data
    signed_in.get(reverse("trajectories:caseload"))
    assert Session.objects.get(session_key=session_key).session_data == before
