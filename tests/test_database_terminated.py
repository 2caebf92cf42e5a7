"""The database away under load (docs/operations.md, "Proof that nothing is lost").

PostgreSQL: a real gunicorn (two workers, persistent connections) serves reads and writes from three
logged-in connections while an admin connection terminates every connection of the test database, again
and again (``pg_terminate_backend``; the server itself is shared and keeps running). Every answer is a
success or the 503 page in Dutch, never a 500; no write is half stored; the access log verifies; and the
same processes serve again afterwards, nothing restarted.

SQLite has no server whose connections could be cut: its counterpart makes every query of a running
server fail for a while (a locked database file behaves the same) and checks the same answers."""

import io
import threading
import time

import psycopg
import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from tests.served import Gunicorn, Session, database_url
from waardewerk.accounts.middleware import LAST_ACTIVITY, LOGIN_AT
from waardewerk.audit.models import AccessEvent
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories.models import Action

DUTCH_503 = "Waardewerk is tijdelijk niet beschikbaar"


def _terminate_all(admin, database: str, keep: int) -> int:
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
        [database, keep],
    ).fetchall()
    return len(rows)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite run: terminating connections needs a database server (the SQLite counterpart is below)",
)
@pytest.mark.django_db(transaction=True)
def test_connections_terminated_under_load_give_the_dutch_503_and_recover_without_restart(
    professional, team, tmp_path
):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    client = Client()
    client.force_login(professional)
    session_key = client.session.session_key
    add = reverse("trajectories:add_action", args=[trajectory.uuid])
    pages = ["/caseload/", reverse("trajectories:detail", args=[trajectory.uuid])]
    due = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()
    answers: list[tuple[str, int | None, str]] = []
    acknowledged: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()
    server = Gunicorn(tmp_path / "gunicorn.log")
    workers_before = sorted(server.workers())

    def load(number):
        http = Session(server.base, session_key)
        n = 0
        while not stop.is_set():
            n += 1
            if n % 2:
                description = f"db-away-{number}-{n}"
                status, body = http.request(
                    add, {"description": description, "owner": "client", "due_date": due}
                )
                kind = "write"
                if status == 302:
                    with lock:
                        acknowledged.append(description)
            else:
                status, body = http.request(pages[n % 4 // 2])
                kind = "read"
            with lock:
                answers.append((kind, status, body if status == 503 else ""))

    threads = [threading.Thread(target=load, args=(n,)) for n in range(3)]
    terminated = 0
    try:
        for thread in threads:
            thread.start()
        with psycopg.connect(database_url().rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            keep = connection.cursor().connection.info.backend_pid  # the test's own connection stays
            name = connection.settings_dict["NAME"]
            for _round in range(15):
                time.sleep(0.2)
                terminated += _terminate_all(admin, name, keep)
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    try:
        statuses = [status for _kind, status, _body in answers]
        assert terminated > 0
        assert 503 in statuses, statuses  # the outage was seen ...
        assert set(statuses) <= {200, 302, 503}, statuses  # ... and never as a 500 or a dropped connection
        for _kind, status, body in answers:
            if status == 503:
                assert DUTCH_503 in body and 'lang="nl"' in body and "Traceback" not in body
        # Recovered by itself: the same worker processes answer again.
        http = Session(server.base, session_key)
        for page in pages:
            assert http.request(page)[0] == 200
        assert http.request(add, {"description": "after", "owner": "client", "due_date": due})[0] == 302
        assert server.status("/readyz") == 200
        assert sorted(server.workers()) == workers_before
    finally:
        server.stop()

    actions = {action.description: action for action in Action.objects.filter(trajectory=trajectory)}
    assert set(acknowledged) | {"after"} <= set(actions)
    uuids = sorted(action.uuid for action in actions.values())
    entries = TimelineEntry.objects.filter(trajectory=trajectory, event="action")
    assert sorted(entry.source_id for entry in entries) == uuids
    created = AccessEvent.objects.filter(action="create", object_uuid__in=uuids)
    assert sorted(event.object_uuid for event in created) == uuids
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


class _Failing:
    """An execute wrapper that fails the queries it is told to, as a lost connection does."""

    def __init__(self):
        self.match = None  # None: every query passes; "": every query fails; else: the queries with it

    def __call__(self, execute, sql, params, many, context):
        if self.match is not None and self.match in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.mark.django_db
def test_a_connection_lost_at_any_point_of_a_write_stores_nothing_and_answers_the_503(professional, team):
    """Both databases, in the process: the connection fails at the first query, at the action's INSERT,
    or at the access-log INSERT at the end of the request. Each time the answer is the Dutch 503 page and
    nothing of the write is stored (no action without its timeline entry and access-log event); reads
    fail the same way; the next request works."""
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    client = Client(raise_request_exception=False)
    client.force_login(professional)
    add = reverse("trajectories:add_action", args=[trajectory.uuid])
    due = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()
    failing = _Failing()
    events_before = AccessEvent.objects.count()
    with connection.execute_wrapper(failing):
        for match in ("", 'INSERT INTO "trajectories_action"', 'INSERT INTO "audit_accessevent"'):
            failing.match = match
            response = client.post(add, {"description": f"lost {match}", "owner": "client", "due_date": due})
            assert response.status_code == 503, match
            assert DUTCH_503 in response.content.decode()
            assert response["Retry-After"] == "30"
            failing.match = None
            assert not Action.objects.filter(trajectory=trajectory).exists(), match
            assert not TimelineEntry.objects.filter(trajectory=trajectory, event="action").exists()
            assert AccessEvent.objects.count() == events_before, match
        failing.match = ""
        assert client.get("/caseload/").status_code == 503
        failing.match = None
        assert client.get("/caseload/").status_code == 200
        response = client.post(add, {"description": "back", "owner": "client", "due_date": due})
        assert response.status_code == 302
    action = Action.objects.get(trajectory=trajectory)
    assert (
        TimelineEntry.objects.filter(trajectory=trajectory, event="action", source_id=action.uuid).count()
        == 1
    )
    assert AccessEvent.objects.filter(action="create", object_uuid=action.uuid).count() == 1


@pytest.mark.django_db
def test_a_connection_lost_while_saving_the_session_answers_the_503_and_stores_nothing(professional, team):
    """The session is written after the view (here: its last-activity clock, refreshed once a minute). A
    connection lost at that moment is the database going away, not "the session was deleted": the answer
    is the Dutch 503 page, not "400 Bad Request", and the write of the same request is rolled back."""
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    client = Client(raise_request_exception=False)
    client.force_login(professional)
    session = client.session
    earlier = int(timezone.now().timestamp()) - 120
    session[LOGIN_AT] = session[LAST_ACTIVITY] = earlier
    session.save()
    add = reverse("trajectories:add_action", args=[trajectory.uuid])
    due = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()
    failing = _Failing()
    failing.match = 'UPDATE "django_session"'
    with connection.execute_wrapper(failing):
        response = client.post(add, {"description": "lost at the end", "owner": "client", "due_date": due})
    assert response.status_code == 503
    assert DUTCH_503 in response.content.decode()
    assert not Action.objects.filter(trajectory=trajectory).exists()
    assert client.session[LAST_ACTIVITY] == earlier
    response = client.post(add, {"description": "back", "owner": "client", "due_date": due})
    assert response.status_code == 302
    assert client.session[LAST_ACTIVITY] > earlier
