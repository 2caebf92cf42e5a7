"""The daily retention run in the background worker (docs/privacy.md, "The daily run").

``retention_daily`` applies every retention rule and then queues itself for the next night
(``WAARDEWERK_RETENTION_HOUR``, default 3, local time). ``schedule`` queues it when no run is waiting; it is
called after every ``migrate`` and by ``waardewerk retention schedule``, so an installation always has one
run waiting, and never two. With a queue that cannot hold a task for later (``WAARDEWERK_TASKS=immediate``)
nothing is scheduled: run ``waardewerk retention run`` from cron instead.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.tasks import default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waardewerk.privacy import services
from waardewerk.privacy.models import DestructionList

logger = logging.getLogger(__name__)


def next_run(now=None) -> dt.datetime:
    now = timezone.localtime(now or timezone.now())
    hour = int(getattr(settings, "WAARDEWERK_RETENTION_HOUR", 3))
    at = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)


def _waiting() -> bool:
    return DBTaskResult.objects.filter(task_path=retention_daily.module_path, status="READY").exists()


def schedule(now=None) -> bool:
    """Queue the next daily run unless one is waiting. Returns whether it queued one."""
    if not default_task_backend.supports_defer:
        return False
    with transaction.atomic():
        if _waiting():
            return False
        retention_daily.using(run_after=next_run(now)).enqueue()
    return True


def schedule_after_migrate(**kwargs) -> None:
    try:
        schedule()
    except DatabaseError:  # the queue's table is not there yet (a partial migrate)
        logger.warning("retention run not scheduled: the task queue is not ready")


@task
def retention_daily() -> dict:
    """Apply the retention rules, then queue the next night's run."""
    try:
        return services.run()
    finally:
        schedule()


@task
def carry_out_list(list_uuid: str) -> dict:
    """Carry out a destruction list once its second approval is in (queued by the approval page; the
    daily run carries out an approved list that is still waiting)."""
    found = DestructionList.objects.filter(uuid=list_uuid).first()
    return services.carry_out(found) if found is not None else {}
