"""``/healthz`` and ``/readyz`` for a load balancer, systemd or monitoring (docs/operations.md, "Health").

``HealthMiddleware`` answers both paths itself, right after the request id is set and before any other
middleware: no session, no log-in redirect, no HTTPS redirect, no access-log entry, no database access for
``/healthz``. The answers are JSON and hold no personal data: only whether each check passed, a number
where one helps (pending migrations, the age of the oldest waiting task) and the class of an error.

- ``/healthz``: the process runs and answers (200). Nothing else is checked, so a database outage does not
  make a supervisor restart healthy processes.
- ``/readyz``: 200 when the database answers, the shared cache answers, every migration the code knows is
  applied, and the oldest task waiting in the queue waits less than ``WAARDEWERK_READY_TASK_LAG_SECONDS``;
  503 otherwise, with the failing check named.
"""

import datetime as dt
import json

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
PATHS = frozenset({HEALTH_PATH, HEALTH_PATH + "/", READY_PATH, READY_PATH + "/"})


def _answer(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _error(exc: Exception) -> dict:
    # The class only: a message can name a host, a user or a value.
    return {"ok": False, "error": type(exc).__name__}


def check_database() -> dict:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return _error(exc)
    return {"ok": True}


def check_cache() -> dict:
    try:
        caches["default"].get("waardewerk:readyz")
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    return {"ok": True}


_known_migrations: set[tuple[str, str]] | None = None


def _migrations_on_disk(connection) -> set[tuple[str, str]]:
    """The migrations the code has (read once per process: they do not change while it runs), counting a
    squashed migration as its parts, as the migration table records them."""
    global _known_migrations
    if _known_migrations is None:
        from django.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(connection, ignore_no_migrations=True, load=False)
        loader.build_graph()
        _known_migrations = set(loader.graph.nodes)
    return _known_migrations


def check_migrations() -> dict:
    try:
        from django.db.migrations.recorder import MigrationRecorder

        connection = connections[DEFAULT_DB_ALIAS]
        recorder = MigrationRecorder(connection)
        applied = set(recorder.applied_migrations()) if recorder.has_table() else set()
        unapplied = len(_migrations_on_disk(connection) - applied)
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    return {"ok": unapplied == 0, "unapplied": unapplied}


def oldest_waiting_task_seconds(now: dt.datetime | None = None) -> float | None:
    """How long the oldest task that could run now has waited (from when it was queued, or from its
    ``run_after`` when that is later), or None when nothing waits."""
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    waiting = DBTaskResult.objects.ready()
    no_delay = waiting.filter(run_after=get_date_max()).aggregate(at=Min("enqueued_at"))["at"]
    delayed = waiting.exclude(run_after=get_date_max()).aggregate(at=Min("run_after"))["at"]
    since = min((at for at in (no_delay, delayed) if at is not None), default=None)
    return None if since is None else max(0.0, (now - since).total_seconds())


def uses_task_queue() -> bool:
    return settings.TASKS.get("default", {}).get("BACKEND") == "django_tasks_db.DatabaseBackend"


def check_tasks() -> dict:
    threshold = settings.WAARDEWERK_READY_TASK_LAG_SECONDS
    if not uses_task_queue():
        return {"ok": True, "queue": False}
    try:
        age = oldest_waiting_task_seconds()
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    result = {
        "ok": threshold <= 0 or age is None or age < threshold,
        "queue": True,
        "oldest_waiting_seconds": None if age is None else round(age),
        "threshold_seconds": threshold,
    }
    return result


def readiness() -> tuple[bool, dict]:
    checks = {"database": check_database()}
    checks["cache"] = check_cache()
    if checks["database"]["ok"]:
        checks["migrations"] = check_migrations()
        checks["tasks"] = check_tasks()
    else:
        # Without a database these cannot be known; say so rather than try once more per check.
        checks["migrations"] = {"ok": False, "error": "database unavailable"}
        checks["tasks"] = {"ok": False, "error": "database unavailable"}
    ready = all(check["ok"] for check in checks.values())
    return ready, checks


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in PATHS:
            return self.get_response(request)
        request.health_check = True
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if request.path_info.rstrip("/") == HEALTH_PATH:
            return _answer(200, {"status": "ok"})
        ready, checks = readiness()
        return _answer(200 if ready else 503, {"status": "ok" if ready else "unavailable", "checks": checks})
