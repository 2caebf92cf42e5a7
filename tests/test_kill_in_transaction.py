"""kill -9 of a worker while its writing request is inside its database transaction (docs/operations.md,
"Proof that nothing is lost").

gunicorn runs with a test-only hook (``tests/kill_hook.py``) that makes one write wait inside the request's
transaction: right after the action's INSERT, or right after the request's last INSERT (the access log's,
just before the commit). The test proves the worker is there (its database backend has an open transaction
that has written: a transaction id; the row is not visible from outside), kills the worker with SIGKILL,
and checks: nothing of that write is stored (no action, no timeline entry, no access-log event), the writes
before and after are whole, ``audit verify`` passes, and the server serves again (gunicorn starts a new
worker).

PostgreSQL only: gunicorn's processes share the test database with the test. On SQLite a killed writer's
transaction is rolled back from the journal when the database is next opened; the in-process test below
shows the same request cut off inside its transaction (an exception no view catches) leaves nothing.
"""

import io
import json
import os
import secrets
import signal
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from tests.served import Gunicorn, Session
from waardewerk.audit import services as audit_services
from waardewerk.audit.models import AccessEvent
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories.models import Action

HOOK = Path(__file__).with_name("kill_hook.py")


def _wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def _stored(trajectory):
    actions = {a.description: a.uuid for a in Action.objects.filter(trajectory=trajectory)}
    entries = sorted(
        TimelineEntry.objects.filter(trajectory=trajectory, event="action").values_list(
            "source_id", flat=True
        )
    )
    logged = sorted(
        AccessEvent.objects.filter(action="create", object_type="trajectories.action").values_list(
            "object_uuid", flat=True
        )
    )
    return actions, entries, logged


def _verify():
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite run: gunicorn's processes must share the test database with the test (PostgreSQL); the "
    "in-process test below covers SQLite",
)
@pytest.mark.parametrize("moment", ["first", "last"])
@pytest.mark.django_db(transaction=True)
def test_kill_9_of_a_worker_inside_its_transaction_stores_nothing_of_that_write(
    professional, team, tmp_path, moment
):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    browser = Client()
    browser.force_login(professional)
    session_key = browser.session.session_key
    path = reverse("trajectories:add_action", args=[trajectory.uuid])
    due = (timezone.localdate() + timezone.timedelta(days=14)).isoformat()
    lock = secrets.randbelow(2**31)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock])
    server = Gunicorn(
        tmp_path / "gunicorn.log",
        workers=1,
        config=HOOK,
        extra_env={"KILL_HOOK_DIR": str(tmp_path), "KILL_HOOK_LOCK": str(lock)},
    )
    try:
        http = Session(server.base, session_key)
        assert http.request(path, {"description": "before", "owner": "client", "due_date": due})[0] == 302
        paused = f"pause-{moment}-{time.monotonic_ns()}"
        answer = {}
        writer = threading.Thread(
            target=lambda: answer.setdefault(
                "status",
                http.request(path, {"description": paused, "owner": "client", "due_date": due}, timeout=60)[
                    0
                ],
            )
        )
        writer.start()
        marker = tmp_path / "paused.json"
        _wait(marker.exists, 30, (tmp_path / "gunicorn.log").read_text())
        state = json.loads(marker.read_text())
        # Provably inside the transaction: it has written (a transaction id), it has not committed (the row
        # is not visible here), and its backend is busy in that transaction.
        assert state["in_transaction"] and state["xid"] is not None, state
        assert not Action.objects.filter(description=paused).exists()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT backend_xid IS NOT NULL, xact_start IS NOT NULL FROM pg_stat_activity WHERE pid = %s",
                [state["backend_pid"]],
            )
            assert cursor.fetchone() == (True, True)

        os.kill(state["pid"], signal.SIGKILL)
        writer.join(timeout=60)
        assert answer["status"] is None  # never acknowledged
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])

        def backend_gone():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [state["backend_pid"]])
                return cursor.fetchone()[0] == 0

        # The database ends the dead worker's session when it next writes to it, rolling its transaction back.
        _wait(backend_gone, 30, "the killed worker's database session did not end")
        _wait(
            lambda: (
                server.workers() and server.workers() != [state["pid"]] and server.status("/healthz") == 200
            ),
            60,
            (tmp_path / "gunicorn.log").read_text(),
        )
        assert http.request(path, {"description": "after", "owner": "client", "due_date": due})[0] == 302
        status, _body = http.request(reverse("trajectories:detail", args=[trajectory.uuid]))
        assert status == 200
    finally:
        server.stop()

    actions, entries, logged = _stored(trajectory)
    assert set(actions) == {"before", "after"}  # nothing of the killed write
    assert entries == sorted(actions.values())  # one timeline entry each, none orphaned
    assert logged == sorted(actions.values())  # one access-log event each, none for the killed write
    assert "intact" in _verify()
    assert audit_services.verify() == []


@pytest.mark.django_db(transaction=True)
def test_a_request_cut_off_inside_its_transaction_stores_nothing_of_that_write(
    professional, team, monkeypatch
):
    """In process (also on SQLite): the write is cut off right after the action's INSERT by an exception no
    view handles (as ``SystemExit`` when a worker is told to stop at once). The request's transaction rolls
    back: no action, no timeline entry, no access-log event of it; the chain verifies; the next write
    works."""
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    browser = Client()
    browser.force_login(professional)
    path = reverse("trajectories:add_action", args=[trajectory.uuid])
    due = (timezone.localdate() + timezone.timedelta(days=14)).isoformat()

    class CutOff(BaseException):
        pass

    seen = {}

    def cut_off(sender, instance, created, **kwargs):
        if created and instance.description == "cut off":
            seen["in_transaction"] = connection.in_atomic_block
            raise CutOff

    post_save.connect(cut_off, sender=Action, dispatch_uid="cut_off")
    try:
        assert (
            browser.post(path, {"description": "before", "owner": "client", "due_date": due}).status_code
            == 302
        )
        with pytest.raises(CutOff):
            browser.post(path, {"description": "cut off", "owner": "client", "due_date": due})
    finally:
        post_save.disconnect(sender=Action, dispatch_uid="cut_off")
    assert seen == {"in_transaction": True}
    assert browser.post(path, {"description": "after", "owner": "client", "due_date": due}).status_code == 302
    actions, entries, logged = _stored(trajectory)
    assert set(actions) == {"before", "after"}
    assert entries == sorted(actions.values()) and logged == sorted(actions.values())
    assert "intact" in _verify()
