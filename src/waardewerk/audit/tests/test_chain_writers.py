"""Writers of the access log never fork a chain and, in different database connections, do not wait for each
other: each connection appends to a chain of its own (on PostgreSQL claimed with an advisory lock), so a
writing request's open transaction does not hold up the appends of other workers. A writer that shares its
chain and loses the race reads the new last row and appends after it. Transactional tests: the writes must
run in autocommit mode, as they do in production."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waardewerk.audit import services
from waardewerk.audit.models import AccessEvent

pytestmark = pytest.mark.django_db(transaction=True)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer at a time (its database lock): no second connection writes or claims a "
    "chain meanwhile",
)


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


def _race(monkeypatch, times, elsewhere=False):
    """Another writer appends to the same chain right after this one read its last row, ``times`` times
    (``elsewhere``: in another connection, committed at once)."""
    real_last = services._last
    state = {"left": times}

    def last_then_rival(chain):
        last = real_last(chain)
        if state["left"]:
            state["left"] -= 1
            rival = dict(_event("rival"), chain=chain)

            def append():
                AccessEvent.objects.create(
                    **rival,
                    prev_hash=last[1],
                    hash=services.hashlib.sha256(services.canonical(rival, last[1])).hexdigest(),
                )
                if elsewhere:
                    connections.close_all()

            if elsewhere:
                thread = threading.Thread(target=append)
                thread.start()
                thread.join(timeout=30)
            else:
                append()
        return last

    monkeypatch.setattr(services, "_last", last_then_rival)
    return state


def test_outside_a_transaction_an_event_costs_a_read_and_one_insert():
    services._write([_event("first")])
    with CaptureQueriesContext(connection) as ctx:
        services._write([_event("second")])
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["SELECT", "INSERT"]
    assert services.verify() == []


def test_a_connection_appends_to_one_chain():
    services._write([_event("first")])
    services._write([_event("second"), _event("third")])
    rows = list(AccessEvent.objects.order_by("id").values_list("chain", "prev_hash", "hash"))
    assert len({chain for chain, _prev, _hash in rows}) == 1
    assert [prev for _chain, prev, _hash in rows] == [services.GENESIS, rows[0][2], rows[1][2]]


def test_a_writer_that_loses_the_race_appends_after_the_winner(monkeypatch):
    services._write([_event("first")], chain=2)
    state = _race(monkeypatch, times=2)
    services._write([_event("mine"), _event("mine too")], chain=2)
    assert state["left"] == 0
    rows = list(AccessEvent.objects.filter(chain=2).order_by("id").values_list("reason", "prev_hash", "hash"))
    assert [reason for reason, _prev, _hash in rows] == ["first", "rival", "rival", "mine", "mine too"]
    assert all(rows[i + 1][1] == rows[i][2] for i in range(len(rows) - 1))
    assert services.verify() == []


@postgres_only
def test_inside_a_transaction_a_lost_race_rolls_back_only_its_attempt(monkeypatch):
    services._write([_event("first")], chain=1)
    with transaction.atomic():
        _race(monkeypatch, times=1, elsewhere=True)
        services._write([_event("mine")], chain=1)
    reasons = list(AccessEvent.objects.filter(chain=1).order_by("id").values_list("reason", flat=True))
    assert reasons == ["first", "rival", "mine"]
    assert services.verify() == []


def test_after_too_many_lost_races_the_writer_locks_and_appends(monkeypatch):
    services._write([_event("first")], chain=0)
    _race(monkeypatch, times=services.ATTEMPTS)
    services._write([_event("mine")], chain=0)
    reasons = list(AccessEvent.objects.order_by("id").values_list("reason", flat=True))
    assert reasons == ["first", *["rival"] * services.ATTEMPTS, "mine"]
    assert services.verify() == []


@postgres_only
def test_each_connection_claims_a_chain_of_its_own():
    barrier = threading.Barrier(4)

    def claim():
        chain = services._own_chain()
        barrier.wait(timeout=30)  # all four connections are open and have claimed at once
        return chain

    results, threads = [], []
    for _ in range(4):
        thread = threading.Thread(target=lambda: (results.append(claim()), connections.close_all()))
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 4 and len(set(results)) == 4


@postgres_only
def test_an_open_writing_transaction_does_not_hold_up_other_writers():
    """A writing request appends its events inside its transaction (``WriteTransactionMiddleware``): until
    it commits, others append to their own chains without waiting (a lock timeout would raise)."""
    appended, release = threading.Event(), threading.Event()

    def writing_request():
        with transaction.atomic():
            services._write([_event("in a transaction")])
            appended.set()
            release.wait(timeout=30)
        return services._own_chain()

    thread = threading.Thread(target=lambda: (writing_request(), connections.close_all()))
    thread.start()
    try:
        assert appended.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        for number in range(5):
            services._write([_event(f"meanwhile {number}")])
            with transaction.atomic():
                services._write([_event(f"meanwhile in a transaction {number}")])
    finally:
        release.set()
        thread.join(timeout=60)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert AccessEvent.objects.count() == 11
    assert AccessEvent.objects.values("chain").distinct().count() == 2
    assert services.verify() == []


@postgres_only
@pytest.mark.parametrize("chains", [16, 1])
def test_concurrent_writers_keep_every_chain_whole(chains, settings):
    """With one chain for all (the others claim none and share it) the writers race for every row."""
    settings.WAARDEWERK_AUDIT_CHAINS = chains

    def write_many(number):
        def work():
            for i in range(30):
                services._write([_event(f"{number}-{i}")])
                if i % 3 == 0:
                    with transaction.atomic():
                        services._write([_event(f"{number}-{i} a"), _event(f"{number}-{i} b")])
            return True

        return work

    threads = [
        threading.Thread(target=lambda n=n: (write_many(n)(), connections.close_all())) for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert AccessEvent.objects.count() == 4 * (30 + 2 * 10)
    assert services.verify() == []
