"""kill -9 of the web server during writes (docs/operations.md, "Proof that nothing is lost").

A real gunicorn (master and two workers) on the test database takes a stream of action creations through
the trajectory page's form from three logged-in connections at once; mid-stream the master and every worker
get SIGKILL. After a restart: every acknowledged write is stored, every stored action is whole (its timeline
entry and its access-log event, committed in the same transaction), nothing half-written exists, the access
log's chain verifies, and the server serves again."""

import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from tests.served import Gunicorn, Session
from waardewerk.audit.models import AccessEvent
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories.models import Action

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite run: gunicorn's processes must share the test database with the test (PostgreSQL); "
    "on SQLite a killed writer's transaction is rolled back by the journal in the same way",
)


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_gunicorn_during_writes_leaves_every_write_whole_or_absent(professional, team, tmp_path):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    client = Client()
    client.force_login(professional)
    session_key = client.session.session_key
    path = reverse("trajectories:add_action", args=[trajectory.uuid])
    due = (timezone.localdate() + timezone.timedelta(days=14)).isoformat()
    acknowledged: list[str] = []
    unanswered: list[str] = []
    statuses: list[int | None] = []
    stop = threading.Event()
    lock = threading.Lock()

    def write(server, connection_number):
        http = Session(server.base, session_key)
        n = 0
        while not stop.is_set():
            n += 1
            description = f"kill-{connection_number}-{n}-{time.monotonic_ns()}"
            status, _body = http.request(
                path, {"description": description, "owner": "client", "due_date": due}
            )
            with lock:
                statuses.append(status)
                (acknowledged if status == 302 else unanswered).append(description)

    server = Gunicorn(tmp_path / "gunicorn.log")
    threads = [threading.Thread(target=write, args=(server, n)) for n in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 20:  # the stream runs: kill it in the middle
        assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
        time.sleep(0.05)
    server.kill9()
    time.sleep(0.5)  # the writers see refused connections now
    stop.set()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {302, None}, statuses  # every answer before the kill was a success
    assert unanswered  # some writes were cut off or refused

    server = Gunicorn(tmp_path / "gunicorn.log")
    try:
        http = Session(server.base, session_key)
        after = f"after-restart-{time.monotonic_ns()}"
        status, _ = http.request(path, {"description": after, "owner": "client", "due_date": due})
        assert status == 302
        status, _ = http.request(reverse("trajectories:detail", args=[trajectory.uuid]))
        assert status == 200
    finally:
        server.stop()

    actions = {action.description: action for action in Action.objects.filter(trajectory=trajectory)}
    # Every acknowledged write is stored; a write that got no answer is stored or absent, never in part.
    assert set(acknowledged) | {after} <= set(actions)
    assert set(actions) <= set(acknowledged) | set(unanswered) | {after}
    uuids = {action.uuid for action in actions.values()}
    entries = TimelineEntry.objects.filter(trajectory=trajectory, event="action")
    assert sorted(e.source_id for e in entries) == sorted(uuids)  # one timeline entry each, none orphaned
    created = AccessEvent.objects.filter(action="create", object_uuid__in=uuids)
    assert sorted(e.object_uuid for e in created) == sorted(uuids)  # one access-log event each
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()
