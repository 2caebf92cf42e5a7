"""Throttling per user name and address: someone who knows a user name cannot keep its owner out from one
address; many addresses only get growing delays; one address cannot try many names; the counters are
pruned; the client's address behind a proxy."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from waardewerk.accounts import services, throttle
from waardewerk.accounts.models import LoginAttempt, Throttle
from waardewerk.accounts.tests.helpers import code_for, confirmed_device
from waardewerk.core.network import client_ip

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.66"
OWNER = "192.0.2.10"


def attempt(username, password, now, ip=ATTACKER):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)
    return services.login_authenticate(request=request, username=username, password=password, now=now)


def fail(username, now, ip=ATTACKER):
    with pytest.raises(ValidationError) as exc:
        attempt(username, "wrong", now, ip)
    return exc.value


def test_one_address_cannot_lock_the_owner_out(professional, password):
    """The attacker's own address is locked; the owner, from another address, logs in."""
    now = timezone.now()
    for _ in range(4):
        assert fail("prof", now).code == "invalid_login"
    assert isinstance(fail("prof", now), services.AccountLockedError)
    assert isinstance(fail("prof", now), services.AccountLockedError)  # refused without a check
    assert attempt("prof", password, now, ip=OWNER) == professional
    # The attacker keeps trying at every opening, all day: the owner is never refused.
    moment = now
    for _ in range(20):
        moment += dt.timedelta(minutes=15, seconds=1)
        for _ in range(5):
            fail("prof", moment)
        assert attempt("prof", password, moment + dt.timedelta(seconds=1), ip=OWNER) == professional


def test_many_addresses_get_growing_delays_not_a_lock(settings, professional, password):
    """A user name tried from many addresses: after LOCKOUT_USER_ATTEMPTS failures, one attempt per delay,
    the delay doubling (30 s, 60 s, 120 s ...) up to the lockout period; it is never a lock that outlasts
    the delay, and the owner is in as soon as the delay ends."""
    settings.WAARDEWERK_LOCKOUT_USER_ATTEMPTS = 10
    now = timezone.now()
    addresses = [f"203.0.113.{n}" for n in range(1, 60)]
    for n in range(9):
        assert fail("prof", now, ip=addresses[n]).code == "invalid_login"
    locked = fail("prof", now, ip=addresses[9])  # the tenth failure starts the first delay
    assert isinstance(locked, services.AccountLockedError)
    assert locked.until == now + dt.timedelta(seconds=30)
    with pytest.raises(services.AccountLockedError):
        attempt("prof", password, now + dt.timedelta(seconds=29), ip=OWNER)

    moment, delays = now, []
    for n in range(10, 17):
        moment = Throttle.objects.get(scope=services.LOGIN_USER).blocked_until
        delays.append(fail("prof", moment, ip=addresses[n]).until - moment)
    assert delays == [dt.timedelta(seconds=s) for s in (60, 120, 240, 480, 900, 900, 900)]
    # The delay ends; the owner logs in.
    assert attempt("prof", password, moment + dt.timedelta(seconds=900), ip=OWNER) == professional


def test_one_address_cannot_try_many_user_names(settings, professional, password):
    settings.WAARDEWERK_LOCKOUT_IP_ATTEMPTS = 20
    now = timezone.now()
    for n in range(19):
        fail(f"name{n}", now)
    blocked = fail("name19", now)
    assert "Te veel mislukte inlogpogingen vanaf uw netwerk" in blocked.messages[0]
    with pytest.raises(services.AccountLockedError):
        attempt("prof", password, now, ip=ATTACKER)
    assert attempt("prof", password, now, ip=OWNER) == professional
    assert LoginAttempt.objects.filter(ip=ATTACKER).count() == 20


def test_successful_logins_from_one_address_do_not_count_against_it(settings, professional, password):
    """An office behind one address: colleagues logging in all day never block it."""
    settings.WAARDEWERK_LOCKOUT_IP_ATTEMPTS = 3
    now = timezone.now()
    for _ in range(10):
        assert attempt("prof", password, now, ip=OWNER) == professional
    fail("someone", now, ip=OWNER)
    fail("someone-else", now, ip=OWNER)
    assert attempt("prof", password, now, ip=OWNER) == professional


def test_knowing_the_password_buys_no_extra_guesses_at_the_code(settings, professional, password):
    """A right password before the second factor neither counts nor starts the count again."""
    settings.WAARDEWERK_REQUIRE_2FA = True
    confirmed_device(professional)
    now = timezone.now()
    for _ in range(2):
        assert attempt("prof", password, now) == professional
        for _ in range(2):
            with pytest.raises(ValidationError):
                services.two_factor_verify(user=professional, code="000000", ip=ATTACKER, now=now)
    assert attempt("prof", password, now) == professional
    with pytest.raises(services.AccountLockedError):
        services.two_factor_verify(user=professional, code="000000", ip=ATTACKER, now=now)
    with pytest.raises(services.AccountLockedError):
        services.two_factor_verify(user=professional, code=code_for(professional, now), ip=ATTACKER, now=now)


def test_the_table_holds_neither_names_nor_addresses(professional):
    fail("prof", timezone.now())
    stored = " ".join(Throttle.objects.values_list("key", flat=True))
    assert "prof" not in stored and ATTACKER not in stored
    assert Throttle.objects.count() == 3  # the name from this address, the name, the address


def test_old_counters_and_attempts_are_pruned(settings, professional):
    settings.WAARDEWERK_LOGIN_ATTEMPT_DAYS = 30
    now = timezone.now()
    fail("prof", now - dt.timedelta(days=31))
    fail("prof", now - dt.timedelta(minutes=1))
    assert LoginAttempt.objects.count() == 2
    assert throttle.prune(now) == (0, 1)  # the counters still count the recent failure
    assert throttle.prune(now + dt.timedelta(minutes=16)) == (3, 0)
    assert LoginAttempt.objects.count() == 1 and not Throttle.objects.exists()


def test_a_new_key_prunes_expired_rows(settings, professional, monkeypatch):
    monkeypatch.setattr(throttle, "_last_prune", None)
    now = timezone.now()
    fail("prof", now)
    assert Throttle.objects.count() == 3
    fail("other", now + dt.timedelta(hours=1))  # new keys: the expired rows of "prof" go
    assert Throttle.objects.count() == 3


def test_a_hard_rule_counts_in_a_window(professional):
    rule = throttle.Rule("test", 3, dt.timedelta(minutes=10))
    now = timezone.now()
    tickets = [throttle.acquire([(rule, "k")], now=now) for _ in range(3)]
    assert [bool(t.blocked) for t in tickets] == [False, False, True]
    with pytest.raises(throttle.Throttled) as exc:
        throttle.acquire([(rule, "k")], now=now + dt.timedelta(minutes=9))
    assert exc.value.until == now + dt.timedelta(minutes=10)
    assert throttle.acquire([(rule, "k")], now=now + dt.timedelta(minutes=10)).blocked == []


@pytest.mark.parametrize(
    ("header", "proxies", "meta", "expected"),
    [
        ("", 1, {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "10.0.0.2"),  # no header configured: not trusted
        ("X-Forwarded-For", 1, {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        ("X-Forwarded-For", 1, {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}, "203.0.113.9"),
        ("X-Forwarded-For", 2, {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9, 10.0.0.1"}, "203.0.113.9"),
        ("X-Real-IP", 1, {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
        ("X-Forwarded-For", 1, {}, "10.0.0.2"),  # the header is missing: the peer's address
        ("X-Forwarded-For", 1, {"HTTP_X_FORWARDED_FOR": "not-an-address"}, None),
    ],
)
def test_client_address_behind_trusted_proxies(settings, header, proxies, meta, expected):
    settings.WAARDEWERK_TRUSTED_PROXY_HEADER = header
    settings.WAARDEWERK_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)
    assert client_ip(request) == expected


def test_ipv6_addresses_of_one_network_count_together(settings, professional, password):
    """One subscriber gets a whole /64: a fresh address per attempt does not escape the lock."""
    now = timezone.now()
    for n in range(4):
        fail("prof", now, ip=f"2001:db8:1:2::{n + 1}")
    assert isinstance(fail("prof", now, ip="2001:db8:1:2:ffff::5"), services.AccountLockedError)
    assert attempt("prof", password, now, ip="2001:db8:1:3::1") == professional  # another network


def test_the_lockout_uses_the_address_from_the_proxy_header(settings, client, professional):
    settings.WAARDEWERK_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    client.post(
        "/accounts/login/", {"username": "prof", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert LoginAttempt.objects.get().ip == "203.0.113.9"
