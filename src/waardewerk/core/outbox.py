"""The outbox: e-mail and text messages sent once by the background worker, retried with backoff, failures
visible to the functional administrator (docs/operations.md, "Sending e-mail and text messages").

``queue(key=..., channel=..., destination=..., subject=..., body=..., purpose=...)`` stores the message (in
the caller's transaction, so a rolled-back change sends nothing) and queues ``deliver``; the same ``key``
twice is one message. ``deliver``:

1. claims the message in a short transaction (``pending`` -> ``sending``, one attempt more); a message that
   is ``sent`` is left alone (a task run twice sends nothing twice);
2. hands it to the transport (e-mail: Django's mail backend; text messages: the transport registered for
   ``sms``, the portal's SMS backend);
3. marks it ``sent``, or on an error ``pending`` with the next attempt after a backoff (30 s, 2, 8, 32
   minutes ...; ``WAARDEWERK_OUTBOX_MAX_ATTEMPTS``, default 5), then ``failed``.

A worker killed between steps 1 and 3 leaves the message ``sending``: whether the mail server took it is not
known, so it is never sent again by itself (that could send it twice); it becomes ``unknown`` and is shown
to the administrator, who can send it again (``waardewerk outbox retry``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.tasks import default_task_backend, task
from django.utils import timezone

from waardewerk.core.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

EMAIL = "email"
SMS = "sms"


def _send_email(message: OutboxMessage) -> None:
    EmailMessage(message.subject, message.body, to=[message.destination]).send(fail_silently=False)


TRANSPORTS: dict[str, Callable[[OutboxMessage], None]] = {EMAIL: _send_email}


def register(channel: str, transport: Callable[[OutboxMessage], None]) -> None:
    TRANSPORTS[channel] = transport


def max_attempts() -> int:
    return int(getattr(settings, "WAARDEWERK_OUTBOX_MAX_ATTEMPTS", 5))


def backoff(attempts: int) -> dt.timedelta:
    """30 seconds after the first failure, then four times as long each time."""
    return dt.timedelta(seconds=30 * 4 ** max(0, attempts - 1))


def queue(
    *, key: str, channel: str, destination: str, body: str, purpose: str, subject: str = ""
) -> tuple[OutboxMessage, bool]:
    """Store a message and queue its sending; the same key again returns the first one (not sent again)."""
    if channel not in TRANSPORTS:
        raise ValueError(f"No transport for {channel!r}")
    found = OutboxMessage.objects.filter(key=key).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                key=key,
                channel=channel,
                destination=destination,
                subject=subject,
                body=body,
                purpose=purpose,
            )
            # Queued in the same transaction: the message and its task commit together or not at all.
            deliver.enqueue(message.pk)
    except IntegrityError:
        return OutboxMessage.objects.get(key=key), False
    return message, True


def _claim(message_id: int) -> OutboxMessage | None:
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return None
        if message.status == OutboxStatus.SENDING:
            # An earlier attempt was interrupted after the claim: it may have been sent. Never twice.
            message.status = OutboxStatus.UNKNOWN
            message.save(update_fields=["status"])
            logger.error("outbox message %s: sending was interrupted, not sent again", message.uuid)
            return None
        if message.status != OutboxStatus.PENDING:
            return None
        message.status = OutboxStatus.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    return message


def send_now(message_id: int) -> str:
    message = _claim(message_id)
    if message is None:
        return "skipped"
    try:
        TRANSPORTS[message.channel](message)
    except Exception as exc:  # every transport error: SMTP, sockets, the SMS gateway
        final = message.attempts >= max_attempts()
        later = None if final else timezone.now() + backoff(message.attempts)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.FAILED if final else OutboxStatus.PENDING,
            next_attempt_at=later,
            last_error=type(exc).__qualname__[:200],
        )
        logger.warning(
            "outbox message %s not sent (attempt %s): %s", message.uuid, message.attempts, type(exc).__name__
        )
        if later is not None and default_task_backend.supports_defer:
            deliver.using(run_after=later).enqueue(message.pk)
        return "failed" if final else "retry"
    # Sent: the text (which may hold a one-time link) is not kept; that it was sent, when and to whom is.
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, subject="", body=""
    )
    return "sent"


@task
def deliver(message_id: int) -> str:
    return send_now(message_id)


def retry(*, include_unknown: bool = False) -> int:
    """Send again what waits for a retry that is due (without a queue that can wait, e.g. from cron), and
    with ``include_unknown`` the messages whose sending was interrupted (after checking they did not
    arrive). Returns how many were queued."""
    statuses = [OutboxStatus.PENDING] + (
        [OutboxStatus.UNKNOWN, OutboxStatus.FAILED] if include_unknown else []
    )
    due = OutboxMessage.objects.filter(status__in=statuses).exclude(next_attempt_at__gt=timezone.now())
    ids = list(due.values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxStatus.PENDING, next_attempt_at=None)
    for pk in ids:
        deliver.enqueue(pk)
    return len(ids)


def summary(*, days: int = 7, shown: int = 20) -> dict:
    """For the administrator's page: counts per status and the latest failures (never address or text)."""
    since = timezone.now() - dt.timedelta(days=days)
    recent = OutboxMessage.objects.filter(created_at__gte=since)
    counts = {status: 0 for status in OutboxStatus.values}
    for row in recent.values("status").order_by().annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    failures = list(
        recent.filter(status__in=[OutboxStatus.FAILED, OutboxStatus.UNKNOWN])
        .order_by("-created_at")
        .values("channel", "purpose", "status", "attempts", "last_error", "created_at")[:shown]
    )
    return {"counts": counts, "failures": failures}
