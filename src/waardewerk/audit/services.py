"""Writing the access log.

``audit_record`` is called by services (writes) and views (reads). Within a request the events are kept
in a buffer and written by ``AuditMiddleware`` after the view has finished, in their own transaction: an
event survives when the request fails and its own transaction rolls back. Outside a request (commands,
tasks) an event is written at once.

``audit_read`` is what a view calls when it fetched client data to show: the read is logged whatever the
HTTP method (a form that comes back with errors shows the dossier as much as a GET does), and dropped only
when the response shows nothing (a redirect after a successful write, 404, 405): see ``shows_content``.
"""

import contextlib
import contextvars
import datetime as dt
import hashlib
import hmac
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from waardewerk.audit import keys
from waardewerk.audit.models import AccessEvent, AuditAction, AuditCheckpoint

GENESIS = "0" * 64
_context: contextvars.ContextVar["RequestAudit | None"] = contextvars.ContextVar(
    "waardewerk_audit", default=None
)


@dataclass
class RequestAudit:
    request_id: str
    ip: str | None
    events: list[dict] = field(default_factory=list)
    reads: list[dict] = field(default_factory=list)  # audit_read: kept when the response shows content


def begin_request(request_id: str, ip: str | None):
    return _context.set(RequestAudit(request_id=request_id, ip=ip))


# Responses that show no page content: a redirect, "not found" (the same answer for "not yours") and "method
# not allowed". Every other answer, also 403, 422 and 400 pages that a view renders, may show client data.
NO_CONTENT_STATUSES = frozenset({404, 405})


def shows_content(response) -> bool:
    status = getattr(response, "status_code", 500)
    return not (300 <= status < 400 or status in NO_CONTENT_STATUSES)


def end_request(token, response=None) -> None:
    """Write what the request buffered, then forget it. Reads (``audit_read``) are written unless the
    response shows no content; when the view raised (``response`` is None) they are written too."""
    state = _context.get()
    _context.reset(token)
    if state is None:
        return
    reads = _distinct(state.reads) if response is None or shows_content(response) else []
    events = sorted(state.events + reads, key=lambda event: event["at"])
    if events:
        _write(events)


@contextlib.contextmanager
def held():
    """Keep back the events recorded inside the block until it ends: then they are recorded as usual (in the
    request's buffer, or written at once outside a request). When the block raises, they are dropped: it
    rolled back what they describe (an import's dry run, or an import refused as a whole)."""
    outer = _context.get()
    inner = RequestAudit(request_id=outer.request_id if outer else "", ip=outer.ip if outer else None)
    token = _context.set(inner)
    try:
        yield
    finally:
        _context.reset(token)
    if outer is not None:
        outer.events.extend(inner.events)
        outer.reads.extend(inner.reads)
    elif inner.events or inner.reads:
        _write(sorted(inner.events + _distinct(inner.reads), key=lambda event: event["at"]))


def _distinct(reads: list[dict]) -> list[dict]:
    """One row per thing read: a page that fetches the same trajectory twice (a form shown again with its
    errors) logs it once."""
    seen, out = set(), []
    for event in reads:
        key = (event["client_uuid"], event["object_type"], event["object_uuid"], repr(event["detail"]))
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out


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
    happening under emergency access, for review (docs/authorization.md)."""
    event = _event(
        actor=actor,
        action=action,
        client=client,
        obj=obj,
        object_type=object_type,
        reason=reason,
        detail=detail,
        on_behalf_of=on_behalf_of,
        emergency_access=emergency_access,
    )
    state = _context.get()
    if state is not None:
        state.events.append(event)
    else:
        _write([event])


def audit_read(
    *, actor, client=None, obj=None, object_type: str = "", detail: dict | None = None, emergency_access=None
) -> None:
    """Log a read of client data that this request shows, whatever its HTTP method.

    Views call it when they have fetched what they will render (also on the path that shows a form again
    with errors). In a request the event is written after the response, unless the response shows no
    content (a redirect, 404, 405; ``shows_content``); outside a request it is written at once.
    ``emergency_access`` flags a read under emergency access (as ``audit_record``).
    """
    event = _event(
        actor=actor,
        action="view",
        client=client,
        obj=obj,
        object_type=object_type,
        detail=detail,
        emergency_access=emergency_access,
    )
    state = _context.get()
    if state is not None:
        state.reads.append(event)
    else:
        _write([event])


def audit_reads(
    *, actor, reads, object_type: str = "", detail: dict | None = None, emergency_access=None
) -> None:
    """Log many reads of one page at once: ``reads`` holds ``(client, obj)`` pairs (either may be None), one
    row each, as ``audit_read`` called per pair would write them (same fields, same order, each its own
    moment). For lists (the start page, search results, an API page): the actor's part of the row is worked
    out once instead of per row, and the rows reach the chain in one bulk INSERT (``_write``)."""
    base = _event(
        actor=actor,
        action="view",
        client=None,
        obj=None,
        object_type=object_type,
        detail=detail,
        emergency_access=emergency_access,
    )
    default_client = base["client_uuid"]  # the portal's client when the actor is one
    now = timezone.now
    events = []
    for client, obj in reads:
        event = base.copy()
        event["at"] = now()
        event["client_uuid"] = getattr(client, "uuid", client) if client is not None else default_client
        if obj is not None:
            event["object_type"] = object_type or obj._meta.label_lower
            event["object_uuid"] = getattr(obj, "uuid", None)
        events.append(event)
    if not events:
        return
    state = _context.get()
    if state is not None:
        state.reads.extend(events)
    else:
        _write(events)


def _event(
    *,
    actor,
    action,
    client,
    obj,
    object_type="",
    reason="",
    detail=None,
    on_behalf_of="",
    emergency_access=None,
) -> dict:
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    state = _context.get()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    is_client = getattr(actor, "is_client_actor", False)
    is_application = getattr(actor, "is_application_actor", False)
    if is_application:
        # An application through the API (accounts.actor): the application is the actor.
        on_behalf_of = on_behalf_of or actor.audit_label
    # A party with a one-time link (an employer): no user, in its own role, on behalf of the party.
    is_link = getattr(actor, "is_link_actor", False)
    if is_client:
        # A client in the portal: no user, in the role "client", on behalf of that client.
        on_behalf_of = on_behalf_of or actor.audit_label
        client = client if client is not None else actor.client
    elif is_link:
        on_behalf_of = on_behalf_of or actor.audit_label
    return {
        "at": timezone.now(),
        "actor_id": actor.pk if is_user else None,
        "actor_username": (
            actor.get_username() if is_user else (actor.audit_username if is_application else "")
        ),
        "actor_role": (
            getattr(actor, "role", "") if (is_user or is_client or is_application or is_link) else ""
        ),
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


def _utc(value) -> str:
    """A moment as text in UTC with microseconds, as it is hashed and signed (text is kept as it is)."""
    if isinstance(value, str):
        return value
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# One encoder for every row: ``json.dumps`` with these options makes a new one per call.
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical(event: dict, prev_hash: str) -> bytes:
    """The bytes a row's hash is made of: the previous hash and the hashed fields, as sorted JSON. It runs
    for every row written and checked, so the fields are taken one by one (no loop or function per value);
    the bytes are those of ``json.dumps([prev_hash, fields], sort_keys=True, ensure_ascii=False,
    separators=(",", ":"))`` with moments in UTC text and public ids as text (``audit verify`` and the
    rows already chained depend on that: ``audit/tests/test_chain_bytes.py``)."""
    at, client, obj = event["at"], event["client_uuid"], event["object_uuid"]
    fields = {
        "at": _utc(at) if isinstance(at, dt.datetime) else at,
        "actor_id": event["actor_id"],
        "actor_username": event["actor_username"],
        "actor_role": event["actor_role"],
        "on_behalf_of": event["on_behalf_of"],
        "client_uuid": str(client) if client else None,
        "object_type": event["object_type"],
        "object_uuid": str(obj) if obj else None,
        "action": event["action"],
        "reason": event["reason"],
        "detail": event["detail"],
        "request_id": event["request_id"],
        "ip": event["ip"],
    }
    emergency_access = event.get("emergency_access")
    if emergency_access:
        # Hashed only when set, so rows written before the column existed keep their hash.
        fields["emergency_access"] = str(emergency_access)
    return _CANONICAL_JSON.encode([prev_hash, fields]).encode()


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


def _chain_lock() -> None:
    """On PostgreSQL one checkpoint is taken at a time; on SQLite the transaction already holds the
    database's write lock (IMMEDIATE). Appending needs no lock (``_write``), and a checkpoint counts only
    the rows up to the head it signs, which no later append changes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7513)")


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


# The columns in the order of an INSERT, and those whose values need the field's conversion for the database
# (a moment, a UUID, JSON, an IP address); the others (text and numbers) go in as they are, as the field's
# own conversion would leave them.
_COLUMNS = ("id", *HASHED_FIELDS, "emergency_access", "prev_hash", "hash")
_CONVERTED = frozenset({"at", "client_uuid", "object_uuid", "detail", "ip", "emergency_access"})


_UNSET = object()


def _append(events: list[dict]) -> None:
    """Chain the events after the last row and INSERT them: one statement, run for every row
    (``executemany``; several rows in one transaction: all rows or none). The values are what
    ``bulk_create`` would send (each field's ``get_db_prep_save``), made without a model instance and a
    query compiler per row, and a value the row shares with the one before it (the actor's part of a page's
    reads: the request, the address, the detail) is converted once: a page that logs a few hundred reads
    (the start page, a search, an API page) spent most of its audit time there. One statement with a row
    of placeholders per event cost more: its text differs with the number of rows, so the database driver
    parsed it anew every time (docs/performance.md)."""
    last_id, prev = _last()
    fields = [AccessEvent._meta.get_field(name) for name in _COLUMNS]
    converted = [field.name in _CONVERTED for field in fields]
    width = len(fields)
    previous: list = [_UNSET] * width  # the row before: (value, its converted value) per column
    rows = []
    for number, event in enumerate(events, start=1):
        digest = hashlib.sha256(canonical(event, prev)).hexdigest()
        values = (
            last_id + number,
            *(event[name] for name in HASHED_FIELDS),
            event.get("emergency_access"),
            prev,
            digest,
        )
        row = list(values)
        for index in range(width):
            if converted[index]:
                value = values[index]
                before = previous[index]
                if before is _UNSET or before[0] is not value:
                    before = previous[index] = (value, fields[index].get_db_prep_save(value, connection))
                row[index] = before[1]
        rows.append(row)
        prev = digest
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # Table and column names from the model, quoted; every value a parameter.
    sql = f"INSERT INTO {quote(AccessEvent._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * width)})"  # noqa: S608
    with transaction.atomic(savepoint=False) if len(rows) > 1 else contextlib.nullcontext():
        with connection.cursor() as cursor:
            if len(rows) == 1:
                cursor.execute(sql, rows[0])
            else:
                cursor.executemany(sql, rows)


# Checkpoints -----------------------------------------------------------------------------------------------

CHECKPOINT_FIELDS = ("at", "last_id", "last_hash", "row_count", "reason", "prev_signature", "key_id")


class CheckpointRefused(Exception):
    """The head of the previous checkpoint is gone: rows were removed from the log since. No checkpoint is
    written over that (it would make the shortened log look complete); ``audit verify`` tells more."""


def checkpoint_signature(checkpoint: dict, key: keys.AuditKey) -> str:
    values = [checkpoint[name] for name in CHECKPOINT_FIELDS]
    values[0] = _utc(values[0])
    payload = json.dumps(["waardewerk audit checkpoint v1", *values], separators=(",", ":")).encode()
    return hmac.new(key.secret, payload, hashlib.sha256).hexdigest()


def checkpoint_as_dict(checkpoint: AuditCheckpoint) -> dict:
    """The checkpoint as printed by ``audit checkpoint`` (one JSON object), for keeping outside the
    database and checking later with ``audit verify --checkpoint FILE``."""
    values = {name: getattr(checkpoint, name) for name in (*CHECKPOINT_FIELDS, "signature")}
    values["at"] = _utc(values["at"])
    return values


def checkpoint_write(*, reason: str, now=None) -> AuditCheckpoint:
    """Sign the chain's head now (``waardewerk audit checkpoint`` on a schedule, and every export).

    Raises ``CheckpointRefused`` when the previous checkpoint's head row is missing."""
    now = now or timezone.now()
    key = keys.keys()[0]
    with transaction.atomic():
        _chain_lock()
        last_id, last_hash = AccessEvent.objects.order_by("-id").values_list("id", "hash").first() or (
            0,
            GENESIS,
        )
        previous = AuditCheckpoint.objects.order_by("-id").first()
        if previous is None:
            row_count = AccessEvent.objects.filter(id__lte=last_id).count()
        else:
            head = AccessEvent.objects.filter(id=previous.last_id, hash=previous.last_hash)
            if previous.last_id and not head.exists():
                raise CheckpointRefused(
                    f"Row {previous.last_id}, the last row of the checkpoint of {_utc(previous.at)}, is "
                    "missing or was changed: no new checkpoint is written. Run `waardewerk audit verify`."
                )
            since = AccessEvent.objects.filter(id__gt=previous.last_id, id__lte=last_id).count()
            row_count = previous.row_count + since
        values = {
            "at": now,
            "last_id": last_id,
            "last_hash": last_hash,
            "row_count": row_count,
            "reason": reason,
            "prev_signature": previous.signature if previous else "",
            "key_id": key.key_id,
        }
        return AuditCheckpoint.objects.create(**values, signature=checkpoint_signature(values, key))


def _checkpoint_problems(checkpoints: list[dict], *, external: bool) -> tuple[list[str], list[dict]]:
    """Signature problems of these checkpoints, and those whose signature holds."""
    by_id = {key.key_id: key for key in keys.keys()}
    problems, valid, prev = [], [], ""
    for checkpoint in checkpoints:
        name = f"checkpoint {checkpoint.get('id', checkpoint['signature'][:12])}"
        key = by_id.get(checkpoint["key_id"])
        if key is None:
            problems.append(
                f"{name}: signed with a key that is not configured (key id {checkpoint['key_id']})"
            )
        elif not hmac.compare_digest(checkpoint_signature(checkpoint, key), checkpoint["signature"]):
            problems.append(f"{name}: its signature does not match: it was changed or forged")
        else:
            valid.append(checkpoint)
        if not external and checkpoint["prev_signature"] != prev:
            problems.append(f"{name}: the checkpoint before it is missing or was changed")
        prev = checkpoint["signature"]
    return problems, valid


def verify(batch_size: int = 5000, external: list[dict] = ()) -> list[str]:
    """Recompute the chain and check it against every checkpoint (those in the database and ``external``
    copies); return a description of every break (empty when intact).

    The chain alone finds changed rows and rows removed between others; the checkpoints find rows removed
    from the end, which leave a chain that is intact but shorter."""
    stored = list(AuditCheckpoint.objects.order_by("id").values())
    problems, valid = _checkpoint_problems(stored, external=False)
    outside_problems, outside_valid = _checkpoint_problems(list(external), external=True)
    problems += outside_problems
    known = {checkpoint["signature"] for checkpoint in stored}
    for checkpoint in outside_valid:
        if checkpoint["signature"] not in known:
            problems.append(
                f"the checkpoint of {_utc(checkpoint['at'])} (kept outside the database) is missing from "
                "the database"
            )
    heads = defaultdict(list)
    for checkpoint in valid + outside_valid:
        heads[checkpoint["last_id"]].append(checkpoint)
    prev, last_id, count = GENESIS, 0, 0
    while True:
        batch = list(AccessEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size].values())
        if not batch:
            break
        for row in batch:
            count += 1
            if row["prev_hash"] != prev:
                problems.append(f"row {row['id']}: the previous row is missing or was changed")
            expected = hashlib.sha256(canonical(row, row["prev_hash"])).hexdigest()
            if expected != row["hash"]:
                problems.append(f"row {row['id']}: its contents were changed")
            for checkpoint in heads.pop(row["id"], []):
                if row["hash"] != checkpoint["last_hash"]:
                    problems.append(
                        f"row {row['id']}: it differs from the checkpoint of {_utc(checkpoint['at'])}"
                    )
                elif count != checkpoint["row_count"]:
                    problems.append(
                        f"row {row['id']}: the checkpoint of {_utc(checkpoint['at'])} counted "
                        f"{checkpoint['row_count']} rows up to here, the log has {count}"
                    )
            prev = row["hash"]
            last_id = row["id"]
    for head_id, checkpoints in sorted(heads.items()):
        if head_id == 0:
            continue
        checkpoint = max(checkpoints, key=lambda c: c["row_count"])
        seen = _utc(checkpoint["at"])
        if head_id > last_id:
            problems.append(
                f"rows removed from the end of the log: the checkpoint of {seen} ({checkpoint['reason']}) "
                f"saw {checkpoint['row_count']} rows up to row {head_id}, the log now ends at row {last_id} "
                f"with {count} rows: at least {max(1, checkpoint['row_count'] - count)} row(s) are missing"
            )
        else:
            problems.append(f"row {head_id}, the last row of the checkpoint of {seen}, is missing")
    return problems
