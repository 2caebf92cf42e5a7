"""Reports and exports made by the background worker (docs/operations.md, "Reports and exports in the
background").

An app registers a *builder* for a kind of file (``register("reports.trajectory", build)``); a page calls
``request_file(actor=..., kind=..., params=...)``, which returns the one live job for that user, kind and
arguments (the same request twice is one job, also when two arrive at once: a partial unique constraint on
the request's key) and queues ``prepare_file`` for a new one. The worker calls the builder as the
user who asked (the builder checks that user's access and writes the access log as for a direct download),
and stores the file encrypted with the field keys (Fernet). The user's status page refreshes itself until the
file is ready; the download works for that user only, until ``expires_at``
(``WAARDEWERK_PREPARED_FILE_HOURS``, default 24), after which the daily retention run destroys it.

Building is idempotent: a job whose worker died mid-way is built again from its arguments when the task runs
again (``waardewerk worker`` puts a task of a dead worker back in the queue), and the file it stores replaces
nothing but its own empty content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from waardewerk.core import crypto
from waardewerk.core.models import PreparedFile, PreparedStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str
    content_type: str


# kind -> builder(actor, params) -> Built; raises PermissionDenied or ValidationError when it may not
BUILDERS: dict[str, Callable[[object, dict], Built]] = {}


def register(kind: str, builder: Callable[[object, dict], Built]) -> None:
    BUILDERS[kind] = builder


def _hours() -> int:
    return int(getattr(settings, "WAARDEWERK_PREPARED_FILE_HOURS", 24))


def request_key(actor, kind: str, params: dict) -> str:
    text = json.dumps([actor.pk, kind, params], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def live(queryset=None):
    """Jobs that count: not failed, not expired."""
    return (queryset if queryset is not None else PreparedFile.objects).filter(
        status__in=[PreparedStatus.WAITING, PreparedStatus.RUNNING, PreparedStatus.READY],
        expires_at__gt=timezone.now(),
    )


def request_file(*, actor, kind: str, params: dict, client_uuid=None) -> tuple[PreparedFile, bool]:
    """The live job for this request, or a new one queued for the worker. Returns (job, created)."""
    if kind not in BUILDERS:
        raise ValueError(f"No builder for {kind!r}")
    key = request_key(actor, kind, params)
    found = live().filter(key=key).first()
    if found is not None:
        return found, False
    # An expired or failed job with this key no longer holds the key: let it go first.
    PreparedFile.objects.filter(key=key, expires_at__lte=timezone.now()).delete()
    try:
        with transaction.atomic():
            job = PreparedFile.objects.create(
                kind=kind,
                params=params,
                key=key,
                requested_by=actor,
                client_uuid=client_uuid,
                expires_at=timezone.now() + dt.timedelta(hours=_hours()),
            )
            # Queued in the same transaction: the task row and the job commit together or not at all.
            prepare_file.enqueue(job.pk)
    except IntegrityError:  # the same request at the same moment: the other one's job
        return PreparedFile.objects.get(key=key, status__in=["waiting", "running", "ready"]), False
    return job, True


def build(job_id: int) -> str:
    """Build one job (the task's body). Returns its status. A job already ready is left as it is."""
    with transaction.atomic():
        job = (
            PreparedFile.objects.select_for_update().filter(pk=job_id).select_related("requested_by").first()
        )
        if job is None or job.status in (PreparedStatus.READY, PreparedStatus.FAILED):
            return job.status if job else "gone"
        job.status = PreparedStatus.RUNNING
        job.attempts += 1
        job.save(update_fields=["status", "attempts"])
    try:
        built = BUILDERS[job.kind](job.requested_by, job.params)
    except Exception as exc:
        PreparedFile.objects.filter(pk=job.pk).update(
            status=PreparedStatus.FAILED, error=type(exc).__qualname__[:200], finished_at=timezone.now()
        )
        logger.exception("prepared file failed", extra={"kind": job.kind})
        return PreparedStatus.FAILED
    token = crypto.get_multifernet().encrypt(built.content)
    PreparedFile.objects.filter(pk=job.pk).update(
        status=PreparedStatus.READY,
        content=token,
        size=len(built.content),
        filename=built.filename,
        content_type=built.content_type,
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=_hours()),
    )
    return PreparedStatus.READY


def content(job: PreparedFile) -> bytes:
    return crypto.get_multifernet().decrypt(bytes(job.content))


def expired():
    return PreparedFile.objects.filter(expires_at__lte=timezone.now())


@task
def prepare_file(job_id: int) -> str:
    """The worker's task: build one prepared file."""
    return build(job_id)
