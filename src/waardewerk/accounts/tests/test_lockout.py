"""Lockout: five failed logins for a user name within 15 minutes lock that name for 15 minutes, also
against the right password; unknown names get the same neutral answer as wrong passwords."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from waardewerk.accounts import services
from waardewerk.accounts.models import LoginAttempt
from waardewerk.accounts.tests.helpers import clock, log_in_with_password

pytestmark = pytest.mark.django_db


def attempt(username, password, now):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.7")
    return services.login_authenticate(request=request, username=username, password=password, now=now)


def test_locked_after_five_failures_and_released_after_the_period(professional, password):
    start = timezone.now()
    for minute in range(4):
        with pytest.raises(ValidationError) as exc:
            attempt("prof", "wrong", start + dt.timedelta(minutes=minute))
        assert exc.value.code == "invalid_login"
    with pytest.raises(services.AccountLockedError) as exc:
        attempt("prof", "wrong", start + dt.timedelta(minutes=4))  # the fifth completes the lock
    fifth = start + dt.timedelta(minutes=4)
    assert exc.value.until == fifth + dt.timedelta(minutes=15)

    # Locked, also with the right password, until 15 minutes after the fifth failure.
    for later in (dt.timedelta(minutes=1), dt.timedelta(minutes=14, seconds=59)):
        with pytest.raises(services.AccountLockedError):
            attempt("prof", password, fifth + later)
    assert attempt("prof", password, fifth + dt.timedelta(minutes=15, seconds=1)) == professional
    attempts = LoginAttempt.objects.filter(username="prof")
    assert attempts.filter(succeeded=False).count() == 5  # attempts while locked are not counted
    assert attempts.filter(succeeded=True).count() == 1
    assert set(attempts.values_list("ip", flat=True)) == {"192.0.2.7"}


def test_failures_spread_over_more_than_the_period_do_not_lock(professional, password):
    """One failure every four minutes: never five within fifteen minutes."""
    start = timezone.now()
    for minute in range(0, 40, 4):
        with pytest.raises(ValidationError) as exc:
            attempt("prof", "wrong", start + dt.timedelta(minutes=minute))
        assert exc.value.code == "invalid_login"
    assert attempt("prof", password, start + dt.timedelta(minutes=41)) == professional


def test_a_successful_login_starts_the_count_again(professional, password):
    now = timezone.now()
    for _ in range(4):
        with pytest.raises(ValidationError):
            attempt("prof", "wrong", now)
    assert attempt("prof", password, now) == professional
    with pytest.raises(ValidationError) as exc:
        attempt("prof", "wrong", now)
    assert exc.value.code == "invalid_login"


def test_unknown_user_names_get_the_same_answer_and_are_locked_the_same(professional):
    now = timezone.now()
    with pytest.raises(ValidationError) as unknown:
        attempt("nobody", "wrong", now)
    with pytest.raises(ValidationError) as wrong:
        attempt("prof", "wrong", now)
    assert unknown.value.messages == wrong.value.messages
    for _ in range(3):
        with pytest.raises(ValidationError):
            attempt("nobody", "wrong", now)
    with pytest.raises(services.AccountLockedError):
        attempt("nobody", "wrong", now)


def test_the_lock_ignores_upper_and_lower_case(professional, password):
    now = timezone.now()
    for name in ("prof", "PROF", "Prof", " prof", "pRoF"):
        with pytest.raises(ValidationError):
            attempt(name, "wrong", now)
    with pytest.raises(services.AccountLockedError):
        attempt("prof", password, now)


def test_login_page_shows_the_lock_with_the_time(client, professional, password):
    for _ in range(4):
        response = log_in_with_password(client, "prof", "wrong")
        assert "De gebruikersnaam of het wachtwoord is onjuist." in response.content.decode()
    response = log_in_with_password(client, "prof", "wrong")
    html = response.content.decode()
    until = timezone.localtime(
        LoginAttempt.objects.latest("at").at + dt.timedelta(minutes=15, seconds=59, microseconds=999999)
    )
    assert f"Dit account is tijdelijk geblokkeerd. Probeer het opnieuw om {until:%H:%M}." in html
    response = log_in_with_password(client, "prof", password)
    assert response.status_code == 200 and re.search(
        r"Probeer het opnieuw om \d\d:\d\d\.", response.content.decode()
    )
    assert client.get(reverse("trajectories:caseload"))["Location"].startswith(reverse("login"))
    with clock(timezone.now() + dt.timedelta(minutes=16)):
        assert log_in_with_password(client, "prof", password)["Location"] == reverse("home")


def test_settings_change_the_limits(settings, professional, password):
    settings.WAARDEWERK_LOCKOUT_ATTEMPTS = 2
    settings.WAARDEWERK_LOCKOUT_MINUTES = 1
    now = timezone.now()
    with pytest.raises(ValidationError):
        attempt("prof", "wrong", now)
    with pytest.raises(services.AccountLockedError) as exc:
        attempt("prof", "wrong", now)
    assert exc.value.until == LoginAttempt.objects.latest("at").at + dt.timedelta(minutes=1)


def test_inactive_user_gets_the_neutral_answer(professional, password):
    professional.is_active = False
    professional.save()
    with pytest.raises(ValidationError) as exc:
        attempt("prof", password, timezone.now())
    assert exc.value.code == "invalid_login"
