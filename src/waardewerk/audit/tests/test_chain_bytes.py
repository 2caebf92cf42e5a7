"""The bytes a row's hash is made of (``audit.services.canonical``) stay exactly those the chain has always
hashed: the previous hash and the hashed fields as sorted, compact JSON, moments in UTC text, public ids as
text. Rows already in a log, and ``audit verify``, depend on it."""

import datetime as dt
import hashlib
import json
import uuid

import pytest

from waardewerk.audit import services
from waardewerk.audit.models import AccessEvent

PREV = "ab" * 32


def _reference(event: dict, prev_hash: str) -> bytes:
    """The chain's JSON as it was first written: every field, moments and public ids as text."""
    fields = {}
    for name in services.HASHED_FIELDS:
        value = event[name]
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        elif isinstance(value, uuid.UUID):
            value = str(value)
        fields[name] = value
    fields["client_uuid"] = str(fields["client_uuid"]) if fields["client_uuid"] else None
    fields["object_uuid"] = str(fields["object_uuid"]) if fields["object_uuid"] else None
    if event.get("emergency_access"):
        fields["emergency_access"] = str(event["emergency_access"])
    if event.get("chain"):  # the chain number, when not the first chain (audit 0006)
        fields["chain"] = event["chain"]
    return json.dumps([prev_hash, fields], sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _event(**changes) -> dict:
    event = {
        "at": dt.datetime(2026, 12, 3, 10, 15, 30, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        "actor_id": 12,
        "actor_username": "jansen",
        "actor_role": "professional",
        "on_behalf_of": "",
        "client_uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "object_type": "workday.start_page",
        "object_uuid": None,
        "action": "view",
        "reason": "",
        "detail": {},
        "request_id": "f00d",
        "ip": "192.0.2.7",
        "emergency_access": None,
    }
    return event | changes


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"client_uuid": None, "ip": None, "actor_id": None},
        {"client_uuid": "12345678-1234-5678-1234-567812345678", "at": "2026-12-03T09:15:30.123456Z"},
        {"object_uuid": uuid.uuid4(), "object_type": "trajectories.trajectory"},
        {"emergency_access": uuid.uuid4(), "reason": 'Cliënt belde: "spoed"\n'},
        {"chain": 7},
        {"detail": {"z": [1, "é"], "a": {"y": None, "b": True}}, "on_behalf_of": "Öztürk ✓"},
    ],
)
def test_canonical_bytes_are_the_chains_json(changes):
    event = _event(**changes)
    assert services.canonical(event, PREV) == _reference(event, PREV)
    assert services.canonical(event, services.GENESIS) == _reference(event, services.GENESIS)


@pytest.mark.django_db
def test_rows_written_in_one_go_verify_and_share_no_converted_value_by_mistake(professional):
    """Many reads of one page (the rows share the actor's part) go in with one statement; each row keeps
    its own client and moment, and the chain verifies."""
    clients = [uuid.uuid4() for _ in range(40)]
    services.audit_reads(
        actor=professional, reads=((c, None) for c in clients), object_type="workday.start_page"
    )
    rows = list(AccessEvent.objects.order_by("id"))[-40:]
    assert [row.client_uuid for row in rows] == clients
    assert [row.at for row in rows] == sorted(row.at for row in rows)  # each its own moment, in order
    assert all(row.object_type == "workday.start_page" and row.actor_id == professional.pk for row in rows)
    assert services.verify() == []
    for row in rows:
        fields = {name: getattr(row, name) for name in services.HASHED_FIELDS}
        assert (
            row.hash
            == hashlib.sha256(
                _reference(fields | {"emergency_access": None, "chain": row.chain}, row.prev_hash)
            ).hexdigest()
        )
