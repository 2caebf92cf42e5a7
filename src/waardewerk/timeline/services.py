"""Writing the timeline. Services that change a trajectory call :func:`timeline_append` inside their own
transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from waardewerk.timeline.models import CLIENT, EVENTS, TimelineEntry


def moment(day: dt.date, recorded_at: dt.datetime | None = None) -> dt.datetime:
    """When an event of ``day`` (a conversation, a measurement: things with a date, not a time) stands in the
    timeline: the moment it was recorded if that was on the same day, otherwise the start of that day."""
    recorded_at = recorded_at or timezone.now()
    if timezone.localtime(recorded_at).date() == day:
        return recorded_at
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def timeline_entry(
    *,
    trajectory,
    event: str,
    occurred_at: dt.datetime,
    actor=None,
    data: dict | None = None,
    texts: dict | None = None,
    source=None,
) -> dict:
    """The field values of an entry (a plain dict: the services, the data migrations and the generator
    write it their own way). ``actor`` is a user (or its id), the client in the portal (a ``ClientActor``,
    or ``CLIENT``) or None; ``texts`` the free texts (encrypted at rest), ``source`` the object the entry is
    about (a model instance, or anything with ``uuid`` and ``_meta.label_lower``)."""
    if event not in EVENTS:
        raise ValueError(f"Unknown timeline event {event!r}")
    by_client = actor == CLIENT or getattr(actor, "is_client_actor", False)
    texts = {name: value for name, value in (texts or {}).items() if value}
    return {
        "trajectory_id": getattr(trajectory, "pk", trajectory),
        "kind": EVENTS[event],
        "event": event,
        "occurred_at": occurred_at,
        "actor_id": None if (actor is None or by_client) else getattr(actor, "pk", actor),
        "actor_label": CLIENT if by_client else "",
        "data": data or {},
        "summary": json.dumps(texts, ensure_ascii=False) if texts else "",
        "source_type": source._meta.label_lower if source is not None else "",
        "source_id": getattr(source, "uuid", None),
    }


def timeline_append(*entries: dict, replace: bool = False) -> None:
    """Write entries (:func:`timeline_entry`, or an app's ``projection`` module), in the order given, in
    the caller's transaction. With ``replace`` an earlier entry of the same event about the same source is
    updated instead (an evaluation that is recorded again)."""
    rows = [TimelineEntry(**entry) for entry in entries]
    if replace:
        for row in rows:
            row.pk = (
                TimelineEntry.objects.filter(
                    trajectory_id=row.trajectory_id, event=row.event, source_id=row.source_id
                )
                .values_list("pk", flat=True)
                .first()
            )
            row.save()
    elif len(rows) == 1:
        rows[0].save()
    else:
        TimelineEntry.objects.bulk_create(rows, batch_size=1000)
