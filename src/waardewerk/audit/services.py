"""Writing the access log.

``audit_record`` is called by services (writes) and views (reads). Within a request the events are kept
in a buffer and written by ``AuditMiddleware`` after the view has finished, in their own transaction: an
event survives when the request fails and its own transaction rolls back. Outside a request (commands,
tasks) an event is written at once.
"""

import contextvars
import datetime as dt
import hashlib
import json
import uuid as uuid_lib
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from waardewerk.audit.models import AccessEvent, AuditAction

GENESIS = "0" * 64
_context: contextvars.ContextVar["RequestAudit | None"] = contextvars.ContextVar(
    "waardewerk_audit", default=None
)


@dataclass
class RequestAudit:
    request_id: str
    ip: str | None
    events: list[dict] = field(default_factory=list)


def begin_request(request_id: str, ip: str | None):
    return _context.set(RequestAudit(request_id=request_id, ip=ip))


def end_request(token) -> None:
    """Write what the request buffered, then forget it."""
    state = _context.get()
    _context.reset(token)
    if state and state.events:
        _write(state.events)


def current_request_id() -> str:
    state = _context.get()
    return state.request_id if state else ""


def audit_record(
    *,
    actor,
    action: str,
    client=None,
    obj=None,
    object_type: str = "",
    reason: str = "",
    detail: dict | None = None,
    on_behalf_of: str = "",
    emergency_access=None,
) -> None:
    """Record one event. ``emergency_access`` (an ``EmergencyAccess`` or its public id) flags the event as
    happening under emergency access, for review."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    state = _context.get()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    is_client = getattr(actor, "is_client_actor", False)
    if is_client:
        # A client in the portal: no user, in the role "client", on behalf of that client.
        on_behalf_of = on_behalf_of or actor.audit_label
        client = client if client is not None else actor.client
    event = {
        "at": timezone.now(),
        "actor_id": actor.pk if is_user else None,
        "actor_username": actor.get_username() if is_user else "",
        "actor_role": getattr(actor, "role", "") if (is_user or is_client) else "",
        "on_behalf_of": on_behalf_of,
        "client_uuid": getattr(client, "uuid", client),
        "object_type": object_type or (obj._meta.label_lower if obj is not None else ""),
        "object_uuid": getattr(obj, "uuid", None),
        "action": action,
        "reason": reason[:500],
        "detail": detail or {},
        "request_id": state.request_id if state else "",
        "ip": state.ip if state else None,
        "emergency_access": getattr(emergency_access, "uuid", emergency_access),
    }
    if state is not None:
        state.events.append(event)
    else:
        _write([event])


def canonical(event: dict, prev_hash: str) -> bytes:
    def value(v):
        if isinstance(v, dt.datetime):
            return v.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if isinstance(v, uuid_lib.UUID):
            return str(v)
        return v

    fields = {k: value(event[k]) for k in HASHED_FIELDS}
    fields["client_uuid"] = str(fields["client_uuid"]) if fields["client_uuid"] else None
    fields["object_uuid"] = str(fields["object_uuid"]) if fields["object_uuid"] else None
    if event.get("emergency_access"):
        # Hashed only when set, so rows written before the column existed keep their hash.
        fields["emergency_access"] = str(event["emergency_access"])
    return json.dumps([prev_hash, fields], sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "on_behalf_of",
    "client_uuid",
    "object_type",
    "object_uuid",
    "action",
    "reason",
    "detail",
    "request_id",
    "ip",
)


def _write(events: list[dict]) -> None:
    # Own transaction: not rolled back with the request's. ``durable`` is not used so that tests, which
    # run inside a transaction, can still log.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(7513)")  # one writer extends the chain at a time
        prev = AccessEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
        rows = []
        for event in events:
            event = dict(event)
            digest = hashlib.sha256(canonical(event, prev)).hexdigest()
            rows.append(AccessEvent(**event, prev_hash=prev, hash=digest))
            prev = digest
        AccessEvent.objects.bulk_create(rows)


def verify(batch_size: int = 5000) -> list[str]:
    """Recompute the chain; return a description of every break (empty when intact)."""
    problems = []
    prev = GENESIS
    last_id = 0
    while True:
        batch = list(AccessEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size].values())
        if not batch:
            break
        for row in batch:
            if row["prev_hash"] != prev:
                problems.append(f"row {row['id']}: the previous row is missing or was changed")
            expected = hashlib.sha256(canonical(row, row["prev_hash"])).hexdigest()
            if expected != row["hash"]:
                problems.append(f"row {row['id']}: its contents were changed")
            prev = row["hash"]
            last_id = row["id"]
    return problems
