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

from django.db import IntegrityError, connection, transaction
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
) -> None:
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


# Tries to append without a lock before ``_write`` takes one.
ATTEMPTS = 5


def _write(events: list[dict]) -> None:
    """Append the events to the chain, each with the next id after the last row and that row's hash.

    Two writers that read the same last row give their first event the same id: the primary key admits
    one, the other gets an IntegrityError, reads the new last row and tries again. So a request's events
    (written after the view, outside any transaction) cost two queries, the read and one INSERT, and the
    chain never forks: ids run without gaps in the order of the chain. Inside a transaction (commands,
    tasks, tests), or after ``ATTEMPTS`` lost races, the events are written in their own transaction
    (a savepoint inside another one) while the table is locked against other writers on PostgreSQL
    (SQLite takes its write lock when the transaction begins). ``durable`` is not used so that tests,
    which run inside a transaction, can still log."""
    if not connection.in_atomic_block:
        for _attempt in range(ATTEMPTS):
            try:
                _append(events)
            except IntegrityError:
                continue  # another process appended first
            return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Blocks other writers of the table (not readers) until the transaction ends.
                cursor.execute("LOCK TABLE audit_accessevent IN SHARE ROW EXCLUSIVE MODE")
        _append(events)


def _last() -> tuple[int, str]:
    """The id and hash of the chain's last row."""
    return AccessEvent.objects.order_by("-id").values_list("id", "hash").first() or (0, GENESIS)


def _append(events: list[dict]) -> None:
    last_id, prev = _last()
    rows = []
    for number, event in enumerate(events, start=1):
        event = dict(event)
        digest = hashlib.sha256(canonical(event, prev)).hexdigest()
        rows.append(AccessEvent(id=last_id + number, **event, prev_hash=prev, hash=digest))
        prev = digest
    if len(rows) == 1:
        rows[0].save(force_insert=True)  # one INSERT, no transaction around it
    else:
        AccessEvent.objects.bulk_create(rows)  # in a transaction of its own: all rows or none


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
