"""Writers of the access log that race each other never fork the chain: the next row's id is taken by one
of them, the other reads the new last row and appends after it. Outside a transaction (as the middleware
writes a request's events) that costs two queries and no lock. Transactional tests: the writes must run
in autocommit mode, as they do in production."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waardewerk.audit import services
from waardewerk.audit.models import AccessEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _event(reason):
    return {
        "at": timezone.now(),
        "actor_id": None,
        "actor_username": "tester",
        "actor_role": "",
        "on_behalf_of": "",
        "client_uuid": None,
        "object_type": "caseload",
        "object_uuid": None,
        "action": "search",
        "reason": reason,
        "detail": {},
        "request_id": "",
        "ip": None,
    }


def _race(monkeypatch, times):
    """Another process appends right after this one has read the last row, ``times`` times."""
    real_last = services._last
    state = {"left": times}

    def last_then_rival():
        last = real_last()
        if state["left"]:
            state["left"] -= 1
            rival = dict(_event("rival"))
            AccessEvent.objects.create(
                id=last[0] + 1,
                **rival,
                prev_hash=last[1],
                hash=services.hashlib.sha256(services.canonical(rival, last[1])).hexdigest(),
            )
        return last

    monkeypatch.setattr(services, "_last", last_then_rival)
    return state


def test_outside_a_transaction_an_event_costs_a_read_and_one_insert():
    services._write([_event("first")])
    with CaptureQueriesContext(connection) as ctx:
        services._write([_event("second")])
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["SELECT", "INSERT"]
    assert services.verify() == []


def test_a_writer_that_loses_the_race_appends_after_the_winner(monkeypatch):
    services._write([_event("first")])
    state = _race(monkeypatch, times=2)
    services._write([_event("mine"), _event("mine too")])
    assert state["left"] == 0
    rows = list(AccessEvent.objects.order_by("id").values_list("id", "reason", "prev_hash", "hash"))
    assert [reason for _id, reason, _prev, _hash in rows] == ["first", "rival", "rival", "mine", "mine too"]
    assert [row[0] for row in rows] == list(range(rows[0][0], rows[0][0] + 5))  # no gaps
    assert all(rows[i + 1][2] == rows[i][3] for i in range(len(rows) - 1))
    assert services.verify() == []


def test_after_too_many_lost_races_the_writer_locks_and_appends(monkeypatch):
    services._write([_event("first")])
    _race(monkeypatch, times=services.ATTEMPTS)
    services._write([_event("mine")])
    reasons = list(AccessEvent.objects.order_by("id").values_list("reason", flat=True))
    assert reasons == ["first", *["rival"] * services.ATTEMPTS, "mine"]
    assert services.verify() == []
