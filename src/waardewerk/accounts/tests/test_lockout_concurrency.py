"""The lockout under concurrency: simultaneous logins for one user name never get more password checks than
the limit. Real threads with their own database connections (a transactional test), on SQLite and on
PostgreSQL: on PostgreSQL the counter rows are locked (SELECT ... FOR UPDATE), on SQLite every transaction
takes the write lock at BEGIN (IMMEDIATE). On SQLite the test runs on a database file, as the app does
(``file_database_on_sqlite``)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory

from waardewerk.accounts import services
from waardewerk.accounts.models import LoginAttempt
from waardewerk.accounts.tests.helpers import file_database_on_sqlite

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database_for_threads(professional, tmp_path):
    with file_database_on_sqlite(tmp_path):
        yield


BURST = 12


def _burst(passwords, monkeypatch, *, address_of=lambda i: "192.0.2.7", username="prof"):
    """Run one login per password in its own thread, all at once. A password check waits until every
    thread has either reached its own check or finished, so no check can end (and reset a counter)
    before all attempts have been let through or refused: the widest possible race."""
    real_authenticate = services.authenticate
    condition = threading.Condition()
    state = {"checking": 0, "finished": 0, "checks": 0}

    def slow_authenticate(request, **credentials):
        with condition:
            state["checking"] += 1
            state["checks"] += 1
            condition.notify_all()
            condition.wait_for(lambda: state["checking"] + state["finished"] >= len(passwords), timeout=20)
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(services, "authenticate", slow_authenticate)
    start = threading.Barrier(len(passwords))
    outcomes = [None] * len(passwords)

    def run(index, password):
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=address_of(index))
        try:
            start.wait(timeout=20)
            outcomes[index] = services.login_authenticate(
                request=request, username=username, password=password
            )
        except services.AccountLockedError as exc:
            outcomes[index] = exc
        except ValidationError as exc:
            outcomes[index] = exc
        finally:
            with condition:
                state["finished"] += 1
                condition.notify_all()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(passwords)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return state["checks"], outcomes


def test_a_burst_gets_no_more_password_checks_than_the_limit(settings, monkeypatch, professional, password):
    passwords = ["wrong"] * (BURST - 1) + [password]
    checks, outcomes = _burst(passwords, monkeypatch)

    limit = settings.WAARDEWERK_LOCKOUT_ATTEMPTS
    assert checks == limit
    refused = [o for o in outcomes if isinstance(o, services.AccountLockedError)]
    assert len(refused) >= BURST - limit  # refused without a check
    assert LoginAttempt.objects.count() == limit  # only checked attempts are recorded
    logged_in = [o for o in outcomes if o == professional]
    assert len(logged_in) == LoginAttempt.objects.filter(succeeded=True).count() <= 1


def test_a_burst_of_wrong_passwords_locks_the_name_for_the_right_one_too(monkeypatch, professional, password):
    checks, outcomes = _burst(["wrong"] * BURST, monkeypatch)
    assert checks == 5
    with pytest.raises(services.AccountLockedError):
        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.7")
        services.login_authenticate(request=request, username="prof", password=password)
