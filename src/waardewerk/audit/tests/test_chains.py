"""The access log as several chains: ``audit verify`` checks every chain and every checkpoint's heads, names
the row and the chain of a change, a removal or a reordering in one chain, and still verifies the rows and
checkpoints written while the log was one chain (chain 0, hashed and signed as before)."""

import hashlib
import hmac
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from waardewerk.audit import guards, keys, services
from waardewerk.audit.models import AccessEvent, AuditCheckpoint

pytestmark = pytest.mark.django_db


def tamper(sql, params=()):
    """What an attacker with database rights would do: switch the guards off, change rows, switch them on."""
    guards.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    guards.install(connection)


def _event(reason):
    return {
        "at": timezone.now(),
        "actor_id": None,
        "actor_username": "tester",
        "actor_role": "",
        "on_behalf_of": "",
        "client_uuid": None,
        "object_type": "caseload",
        "object_uuid": None,
        "action": "search",
        "reason": reason,
        "detail": {},
        "request_id": "",
        "ip": None,
    }


@pytest.fixture
def chains():
    """Rows in chains 0, 1 and 2, interleaved as concurrent writers would leave them, and a checkpoint."""
    for number in range(4):
        for chain in (0, 1, 2):
            services._write([_event(f"{chain}.{number}")], chain=chain)
    services.checkpoint_write(reason="schedule")
    assert services.verify() == []
    return {
        chain: list(AccessEvent.objects.filter(chain=chain).order_by("id").values_list("id", flat=True))
        for chain in (0, 1, 2)
    }


def verify_command():
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify", stdout=out, stderr=err)
    return err.getvalue()


def test_each_chain_starts_at_the_beginning_and_the_chain_is_part_of_the_hash(chains):
    first = {chain: AccessEvent.objects.get(id=ids[0]) for chain, ids in chains.items()}
    assert {row.prev_hash for row in first.values()} == {services.GENESIS}
    row = first[1]
    as_chain_0 = dict(AccessEvent.objects.filter(id=row.id).values().get(), chain=0)
    assert hashlib.sha256(services.canonical(as_chain_0, row.prev_hash)).hexdigest() != row.hash


def test_the_last_row_of_a_chain_whatever_the_other_chains_hold(chains):
    """Each append continues its own chain's last row; a chain without rows (here 3, between chains that have
    them and above them) starts at the beginning."""
    services._write([_event("5.0")], chain=5)
    for chain, ids in chains.items():
        row = AccessEvent.objects.get(id=ids[-1])
        assert services._last(chain) == (row.id, row.hash)
    assert services._last(3) == (0, services.GENESIS)
    assert services._last(7) == (0, services.GENESIS)
    services._write([_event("3.0")], chain=3)
    assert AccessEvent.objects.get(chain=3).prev_hash == services.GENESIS
    assert services.verify() == []


def test_a_changed_row_in_one_chain_is_named(chains):
    row_id = chains[1][2]
    tamper("UPDATE audit_accessevent SET reason = %s WHERE id = %s", ["nothing to see", row_id])
    assert services.verify() == [f"row {row_id} (chain 1): its contents were changed"]
    assert f"row {row_id} (chain 1): its contents were changed" in verify_command()


def test_a_removed_row_in_one_chain_is_named(chains):
    tamper("DELETE FROM audit_accessevent WHERE id = %s", [chains[2][1]])
    assert services.verify() == [
        f"row {chains[2][2]} (chain 2): the previous row is missing or was changed",
        f"row {chains[2][3]} (chain 2): the checkpoint of {services._utc(AuditCheckpoint.objects.get().at)} "
        "counted 4 rows of its chain up to here, the log has 3",
    ]


def test_reordered_rows_in_one_chain_are_named(chains):
    """Two rows of chain 1 swap places (their ids): each now follows the wrong row."""
    a, b = chains[1][1], chains[1][2]
    tamper(
        "UPDATE audit_accessevent SET id = CASE WHEN id = %s THEN -1 ELSE id END WHERE id IN (%s, %s)",
        [a, a, b],
    )
    tamper("UPDATE audit_accessevent SET id = %s WHERE id = %s", [a, b])
    tamper("UPDATE audit_accessevent SET id = %s WHERE id = -1", [b])
    problems = services.verify()
    assert f"row {a} (chain 1): the previous row is missing or was changed" in problems
    assert f"row {b} (chain 1): the previous row is missing or was changed" in problems
    assert all("(chain 1)" in problem for problem in problems)


def test_a_row_moved_to_another_chain_is_named(chains):
    row_id = chains[2][1]
    tamper("UPDATE audit_accessevent SET chain = 1 WHERE id = %s", [row_id])
    problems = services.verify()
    assert f"row {row_id} (chain 1): its contents were changed" in problems
    assert f"row {chains[2][2]} (chain 2): the previous row is missing or was changed" in problems


def test_rows_removed_from_the_end_of_one_chain_are_found(chains):
    tamper("DELETE FROM audit_accessevent WHERE id >= %s AND chain = 2", [chains[2][2]])
    problems = services.verify()
    assert len(problems) == 1
    assert problems[0].startswith("rows removed from the end of the log, chain 2: the checkpoint of ")
    assert f"saw 4 rows up to row {chains[2][3]}, the chain now ends at row {chains[2][1]}" in problems[0]
    with pytest.raises(services.CheckpointRefused, match=f"Row {chains[2][3]}, the last row of chain 2"):
        services.checkpoint_write(reason="schedule")


def test_a_checkpoint_signs_the_head_of_every_chain(chains):
    services._write([_event("later")], chain=1)
    checkpoint = services.checkpoint_write(reason="schedule")
    assert checkpoint.heads == {
        "0": [chains[0][-1], AccessEvent.objects.get(id=chains[0][-1]).hash, 4],
        "1": [checkpoint.last_id, AccessEvent.objects.get(id=checkpoint.last_id).hash, 5],
        "2": [chains[2][-1], AccessEvent.objects.get(id=chains[2][-1]).hash, 4],
    }
    assert checkpoint.row_count == 13 == AccessEvent.objects.count()
    kept = services.checkpoint_as_dict(checkpoint)
    assert services.verify(external=[kept]) == []
    forged = dict(kept, heads={**kept["heads"], "1": [chains[1][-1], kept["heads"]["1"][1], 4]})
    assert any("signature does not match" in problem for problem in services.verify(external=[forged]))


def _legacy_row(event, row_id, prev):
    """A row as written while the log was one chain: "last id + 1", hashed without the chain."""
    digest = hashlib.sha256(services.canonical(event, prev)).hexdigest()
    AccessEvent.objects.create(id=row_id, **event, prev_hash=prev, hash=digest)
    return digest


def _sequence_past_the_rows():
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [AccessEvent]):
            cursor.execute(statement)


def _legacy_checkpoint(last_id, last_hash, row_count):
    """A checkpoint as signed while the log was one chain (payload v1, no heads)."""
    key = keys.keys()[0]
    values = {
        "at": timezone.now(),
        "last_id": last_id,
        "last_hash": last_hash,
        "row_count": row_count,
        "reason": "schedule",
        "prev_signature": "",
        "key_id": key.key_id,
    }
    payload = json.dumps(
        ["waardewerk audit checkpoint v1", services._utc(values["at"]), *list(values.values())[1:]],
        separators=(",", ":"),
    ).encode()
    signature = hmac.new(key.secret, payload, hashlib.sha256).hexdigest()
    return AuditCheckpoint.objects.create(**values, signature=signature)


def test_the_one_chain_written_before_stays_verifiable_and_continues():
    prev = services.GENESIS
    for row_id in (1, 2, 3):
        prev = _legacy_row(_event(f"old {row_id}"), row_id, prev)
    _sequence_past_the_rows()  # as the migration does
    old = _legacy_checkpoint(3, prev, 3)
    # As printed before: no heads.
    external = [{k: v for k, v in services.checkpoint_as_dict(old).items() if k != "heads"}]
    assert services.verify(external=external) == []

    # Chain 0 continues after the old rows; other chains start beside it.
    services._write([_event("new in chain 0")], chain=0)
    services._write([_event("new in chain 3")], chain=3)
    assert AccessEvent.objects.filter(chain=0).order_by("id").values_list("prev_hash", flat=True)[3] == prev
    new = services.checkpoint_write(reason="schedule")
    assert new.prev_signature == old.signature
    assert new.heads["0"][2] == 4 and new.heads["3"][2] == 1
    assert services.verify(external=external) == []

    # A change to an old row is still found, and an old checkpoint still finds rows removed from the end.
    tamper("DELETE FROM audit_accessevent WHERE chain = 0 AND id >= 3")
    problems = services.verify(external=external)
    assert any(
        problem.startswith("rows removed from the end of the log: the checkpoint of ")
        and "saw 3 rows up to row 3, the chain now ends at row 2 with 2 rows" in problem
        for problem in problems
    )
