"""Putting back the tasks of a worker that died (docs/operations.md, "A worker that dies").

django-tasks-db marks a task ``RUNNING`` when a worker claims it and ``SUCCESSFUL``/``FAILED`` when it ends;
a worker killed in between (``kill -9``, the machine lost, the OOM killer) leaves it ``RUNNING`` for ever.
``waardewerk worker`` therefore writes a heartbeat (``WorkerHeartbeat``) every
``WAARDEWERK_WORKER_HEARTBEAT_SECONDS`` (default 5) from a thread of its own, and at start and on every beat
puts back (``READY``) every running task whose worker has not beaten for
``WAARDEWERK_WORKER_DEAD_SECONDS`` (default 30). Tasks must therefore be safe to run again: the project's
are (charts and prepared files are made again, the retention run starts over, the outbox never sends a
message twice).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waardewerk.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def _seconds(name: str, default: float) -> float:
    return float(getattr(settings, name, None) or os.environ.get(name) or default)


def heartbeat_seconds() -> float:
    return _seconds("WAARDEWERK_WORKER_HEARTBEAT_SECONDS", 5)


def dead_seconds() -> float:
    return _seconds("WAARDEWERK_WORKER_DEAD_SECONDS", 30)


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})


def reclaim(now=None) -> int:
    """Put the running tasks of dead workers back in the queue. Returns how many."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - dt.timedelta(seconds=dead_seconds())).values_list(
            "worker_id", flat=True
        )
    )
    back = 0
    for task in DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids", "started_at"):
        owner = task.worker_ids[-1] if task.worker_ids else ""
        if owner in alive:
            continue
        started = task.started_at or now
        if (now - started).total_seconds() < dead_seconds() and owner == "":
            continue
        back += DBTaskResult.objects.filter(pk=task.pk, status="RUNNING").update(
            status="READY", started_at=None
        )
        logger.warning("task %s of a stopped worker put back in the queue", task.pk)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    return back


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name="waardewerk-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        # The worker beat and reclaimed once before starting this thread, so the first beat here is one
        # interval later: a short batch run writes from one thread only.
        while not self.stopped.wait(heartbeat_seconds()):
            try:
                close_old_connections()
                beat(self.worker_id)
                reclaim()
            except Exception:  # the database away: try again at the next beat
                logger.exception("worker heartbeat failed")
            finally:
                connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=30)
