"""Reading the access log (functional administrators, and later the client's own view)."""

import datetime as dt

from django.db.models import QuerySet

from waardewerk.audit.models import AccessEvent, AuditCheckpoint
from waardewerk.audit.services import HASHED_FIELDS

EXPORT_FIELDS = ["id", *HASHED_FIELDS, "emergency_access", "prev_hash", "hash"]


def event_count(*, after_id: int = 0) -> int:
    events = AccessEvent.objects.all()
    return (events.filter(id__gt=after_id) if after_id else events).count()


def latest_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-id").first()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def search(
    *,
    client_uuid=None,
    username: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    action: str = "",
    emergency_only: bool = False,
) -> QuerySet[AccessEvent]:
    events = AccessEvent.objects.all()
    if emergency_only:
        events = events.filter(emergency_access__isnull=False)
    if client_uuid:
        events = events.filter(client_uuid=client_uuid)
    if username:
        events = events.filter(actor_username__iexact=username.strip())
    if since:
        events = events.filter(at__gte=_day_start(since))
    if until:
        events = events.filter(at__lt=_day_start(until + dt.timedelta(days=1)))
    if action:
        events = events.filter(action=action)
    return events.order_by("-id")


def export_rows(*, since: dt.date, until: dt.date, **filters):
    events = search(since=since, until=until, **filters).order_by("id")
    for row in events.values(*EXPORT_FIELDS).iterator(chunk_size=2000):
        row["at"] = row["at"].astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        for key in ("client_uuid", "object_uuid", "emergency_access"):
            row[key] = str(row[key]) if row[key] else None
        yield row


def accesses_to_client(client_uuid) -> QuerySet[AccessEvent]:
    """Who accessed this client's file: one index range scan on (client_uuid, at)."""
    return AccessEvent.objects.filter(client_uuid=client_uuid).order_by("-at")
