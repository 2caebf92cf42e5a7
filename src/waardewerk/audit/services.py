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
import secrets
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
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
    if event.get("chain"):
        # Hashed when not 0, so the rows of the one chain written before there were several keep theirs.
        fields["chain"] = event["chain"]
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
    the rows up to the heads it signs, which no later append changes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7513)")


# Chains -----------------------------------------------------------------------------------------------------
#
# The log is ``WAARDEWERK_AUDIT_CHAINS`` chains side by side. Each database connection appends to one chain
# of its own: on PostgreSQL it claims a free one with a session advisory lock (class ``CLAIM_LOCK``, held
# until the connection closes), so two workers never append to the same chain and never wait for each
# other; on SQLite, whose write lock serialises writers anyway, it picks one at random. The claim only
# spares writers each other's races: what keeps a chain whole is the unique (chain, prev_hash) constraint,
# which lets one writer append after a given row and makes the other read the new last row and try again.

CLAIM_LOCK = 7514
_claims: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def chain_count() -> int:
    return max(1, int(getattr(settings, "WAARDEWERK_AUDIT_CHAINS", 1)))


@receiver(connection_created, dispatch_uid="waardewerk.audit.chain_claim")
def _forget_claim(*, connection, **kwargs):
    """A new database connection holds no claim (the old one's lock went with it)."""
    _claims.pop(connection, None)


@receiver(setting_changed, dispatch_uid="waardewerk.audit.chain_setting")
def _chains_changed(*, setting, **kwargs):
    if setting == "WAARDEWERK_AUDIT_CHAINS":
        _claims.clear()


def _own_chain() -> int:
    """The chain this thread's database connection appends to, claimed at its first append."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    wrapper.ensure_connection()
    chain = _claims.get(wrapper)
    if chain is None:
        chain = _claims[wrapper] = _claim(wrapper)
    return chain


def _claim(wrapper) -> int:
    n = chain_count()
    first = secrets.randbelow(n)
    order = [(first + step) % n for step in range(n)]
    if wrapper.vendor == "postgresql":
        with wrapper.cursor() as cursor:
            for chain in order:
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [CLAIM_LOCK, chain])
                if cursor.fetchone()[0]:
                    return chain
        # Every chain is claimed (more connections than chains): share one; the constraint keeps it whole.
    return order[0]


# Tries to append before ``_write`` locks the table.
ATTEMPTS = 5


def _write(events: list[dict], chain: int | None = None) -> None:
    """Append the events to a chain (this connection's own, or ``chain``), after its last row.

    Outside a transaction (a request's events after a read) that costs two queries, the chain's last row
    and one INSERT; inside one (a writing request's transaction, commands, tasks) the same in a savepoint,
    so a lost race rolls back only the attempt. No lock: another connection appends to another chain. A
    writer that shares its chain and loses the race (the unique (chain, prev_hash) constraint) reads the
    new last row and tries again; after ``ATTEMPTS`` lost races it appends in a transaction that locks the
    table against other writers (PostgreSQL; SQLite's write lock does the same). ``durable`` is not used so
    that tests, which run inside a transaction, can still log."""
    target = _own_chain() if chain is None else chain
    for _attempt in range(ATTEMPTS):
        try:
            if connection.in_atomic_block:
                with transaction.atomic():
                    _append(events, target)
            else:
                _append(events, target)
        except IntegrityError:
            continue  # another writer appended to this chain first
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Blocks other writers of the table (not readers) until the transaction ends.
                cursor.execute("LOCK TABLE audit_accessevent IN SHARE ROW EXCLUSIVE MODE")
        _append(events, target)


# The largest id a row can have (a 64-bit integer): "up to the end of a chain".
_MAX_ID = 2**63 - 1


def _last(chain: int) -> tuple[int, str]:
    """The id and hash of the chain's last row: the largest (chain, id) up to (chain, the largest id), one
    step down the (chain, id) index. That row is a lower chain's when this chain has none yet: then the chain
    starts at the genesis hash. Asked as "WHERE chain = %s ORDER BY id DESC", PostgreSQL walked the primary
    key back from the newest row when one chain held most rows (the generated log), past every newer row of
    the other chains: 12 ms at 10,000 clients against 0.1 (docs/performance.md)."""
    table = connection.ops.quote_name(AccessEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, hash, chain FROM {table} WHERE (chain, id) <= (%s, %s)"  # noqa: S608 - the model's table
            " ORDER BY chain DESC, id DESC LIMIT 1",
            [chain, _MAX_ID],
        )
        row = cursor.fetchone()
    if row is None or row[2] != chain:
        return 0, GENESIS
    return row[0], row[1]


# The columns in the order of an INSERT (the id comes from the table's sequence), and those whose values need
# the field's conversion for the database (a moment, a UUID, JSON, an IP address); the others (text and
# numbers) go in as they are, as the field's own conversion would leave them.
_COLUMNS = (*HASHED_FIELDS, "emergency_access", "chain", "prev_hash", "hash")
_CONVERTED = frozenset({"at", "client_uuid", "object_uuid", "detail", "ip", "emergency_access"})


_UNSET = object()
# Per database vendor: the fields of ``_COLUMNS``, whether each needs its conversion, and the INSERT (made
# once per process: the same on every request).
_INSERTS: dict[str, tuple] = {}


def _insert_statement(vendor: str) -> tuple:
    made = _INSERTS.get(vendor)
    if made is None:
        fields = [AccessEvent._meta.get_field(name) for name in _COLUMNS]
        converted = [field.name in _CONVERTED for field in fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        # Table and column names from the model, quoted; every value a parameter.
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(AccessEvent._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        made = _INSERTS[vendor] = (fields, converted, sql)
    return made


def _append(events: list[dict], chain: int) -> None:
    """Chain the events after the chain's last row and INSERT them: one statement, run for every row
    (``executemany``; several rows in one transaction: all rows or none). The values are what
    ``bulk_create`` would send (each field's ``get_db_prep_save``), made without a model instance and a
    query compiler per row, and a value the row shares with the one before it (the actor's part of a page's
    reads: the request, the address, the detail) is converted once: a page that logs a few hundred reads
    (the start page, a search, an API page) spent most of its audit time there. One statement with a row
    of placeholders per event cost more: its text differs with the number of rows, so the database driver
    parsed it anew every time (docs/performance.md)."""
    _last_id, prev = _last(chain)
    fields, converted, sql = _insert_statement(connection.vendor)
    width = len(fields)
    previous: list = [_UNSET] * width  # the row before: (value, its converted value) per column
    rows = []
    for event in events:
        event["chain"] = chain
        digest = hashlib.sha256(canonical(event, prev)).hexdigest()
        values = (
            *(event[name] for name in HASHED_FIELDS),
            event.get("emergency_access"),
            chain,
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


def _heads(checkpoint: dict) -> dict[int, tuple[int, str, int]]:
    """A checkpoint's heads, chain by chain: (last id, last hash, rows in the chain). A checkpoint of the log
    when it was one chain (no ``heads``) speaks of chain 0."""
    heads = checkpoint.get("heads") or {}
    if not heads:
        return {0: (checkpoint["last_id"], checkpoint["last_hash"], checkpoint["row_count"])}
    return {int(chain): (int(head[0]), str(head[1]), int(head[2])) for chain, head in heads.items()}


def checkpoint_signature(checkpoint: dict, key: keys.AuditKey) -> str:
    values = [checkpoint[name] for name in CHECKPOINT_FIELDS]
    values[0] = _utc(values[0])
    if checkpoint.get("heads"):
        heads = [[chain, *head] for chain, head in sorted(_heads(checkpoint).items())]
        payload = ["waardewerk audit checkpoint v2", *values, heads]
    else:  # as signed while the log was one chain
        payload = ["waardewerk audit checkpoint v1", *values]
    data = json.dumps(payload, separators=(",", ":")).encode()
    return hmac.new(key.secret, data, hashlib.sha256).hexdigest()


def checkpoint_as_dict(checkpoint: AuditCheckpoint) -> dict:
    """The checkpoint as printed by ``audit checkpoint`` (one JSON object), for keeping outside the
    database and checking later with ``audit verify --checkpoint FILE``."""
    values = {name: getattr(checkpoint, name) for name in (*CHECKPOINT_FIELDS, "heads", "signature")}
    values["at"] = _utc(values["at"])
    return values


def checkpoint_write(*, reason: str, now=None) -> AuditCheckpoint:
    """Sign the heads of all chains now (``waardewerk audit checkpoint`` on a schedule, and every export).

    Raises ``CheckpointRefused`` when a head of the previous checkpoint is missing."""
    now = now or timezone.now()
    key = keys.keys()[0]
    with transaction.atomic():
        _chain_lock()
        previous = AuditCheckpoint.objects.order_by("-id").first()
        before = _heads(checkpoint_as_dict(previous)) if previous else {}
        wanted = {head[0]: (chain, head[1]) for chain, head in before.items() if head[0]}
        rows = AccessEvent.objects.filter(id__in=wanted).values_list("id", "chain", "hash")
        found = {row_id: (chain, row_hash) for row_id, chain, row_hash in rows}
        for head_id, head in sorted(wanted.items()):
            if found.get(head_id) != head:
                raise CheckpointRefused(
                    f"Row {head_id}, the last row of chain {head[0]} at the checkpoint of "
                    f"{_utc(previous.at)}, is missing or was changed: no new checkpoint is written. "
                    "Run `waardewerk audit verify`."
                )
        since = previous.last_id if previous else 0
        chains = (
            set(before)
            | set(range(chain_count()))
            | set(AccessEvent.objects.filter(id__gt=since).values_list("chain", flat=True).distinct())
        )
        heads = {}
        for chain in sorted(chains):
            last_id, last_hash = _last(chain)
            if not last_id:
                continue
            head_id, _hash, counted = before.get(chain, (0, GENESIS, 0))
            more = AccessEvent.objects.filter(chain=chain, id__gt=head_id, id__lte=last_id).count()
            heads[str(chain)] = [last_id, last_hash, counted + more]
        last = max(heads.values(), default=[0, GENESIS, 0], key=lambda head: head[0])
        values = {
            "at": now,
            "last_id": last[0],
            "last_hash": last[1],
            "row_count": sum(head[2] for head in heads.values()),
            "reason": reason,
            "prev_signature": previous.signature if previous else "",
            "key_id": key.key_id,
            "heads": heads,
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


def _row(chain: int, row_id: int) -> str:
    return f"row {row_id}" if chain == 0 else f"row {row_id} (chain {chain})"


def verify(batch_size: int = 5000, external: list[dict] = ()) -> list[str]:
    """Recompute every chain and check it against every checkpoint (those in the database and ``external``
    copies); return a description of every break (empty when intact).

    One pass over the log in id order: within a chain the ids rise in the chain's order. The chains alone
    find changed, reordered and removed rows between others; the checkpoints find rows removed from the end
    of a chain, which leave a chain that is intact but shorter."""
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
    heads = defaultdict(list)  # (chain, last id) -> [(checkpoint, last hash, rows)]
    for checkpoint in valid + outside_valid:
        for chain, (head_id, head_hash, rows) in _heads(checkpoint).items():
            if head_id:
                heads[(chain, head_id)].append((checkpoint, head_hash, rows))
    chains: dict[int, list] = {}  # chain -> [hash of its last row, rows, last id]
    last_id = 0
    while True:
        batch = list(AccessEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size].values())
        if not batch:
            break
        for row in batch:
            state = chains.setdefault(row["chain"], [GENESIS, 0, 0])
            state[1] += 1
            name = _row(row["chain"], row["id"])
            if row["prev_hash"] != state[0]:
                problems.append(f"{name}: the previous row is missing or was changed")
            expected = hashlib.sha256(canonical(row, row["prev_hash"])).hexdigest()
            if expected != row["hash"]:
                problems.append(f"{name}: its contents were changed")
            for checkpoint, head_hash, rows in heads.pop((row["chain"], row["id"]), []):
                if row["hash"] != head_hash:
                    problems.append(f"{name}: it differs from the checkpoint of {_utc(checkpoint['at'])}")
                elif state[1] != rows:
                    problems.append(
                        f"{name}: the checkpoint of {_utc(checkpoint['at'])} counted {rows} rows of its "
                        f"chain up to here, the log has {state[1]}"
                    )
            state[0] = row["hash"]
            state[2] = last_id = row["id"]
    for (chain, head_id), seen in sorted(heads.items()):
        checkpoint, _hash, rows = max(seen, key=lambda entry: entry[2])
        at = _utc(checkpoint["at"])
        _prev, count, chain_last = chains.get(chain, (GENESIS, 0, 0))
        if head_id > chain_last:
            where = "" if chain == 0 else f", chain {chain}"
            problems.append(
                f"rows removed from the end of the log{where}: the checkpoint of {at} "
                f"({checkpoint['reason']}) saw {rows} rows up to row {head_id}, the chain now ends at row "
                f"{chain_last} with {count} rows: at least {max(1, rows - count)} row(s) are missing"
            )
        else:
            problems.append(f"{_row(chain, head_id)}, the last row of the checkpoint of {at}, is missing")
    return problems
