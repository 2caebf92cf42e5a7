"""Signed checkpoints of the access log's head: rows removed from the end, which leave an intact but shorter
chain, are found; checkpoints cannot be forged without the key, are append-only, are written on every export
and can be kept outside the database."""

import io
import json
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from waardewerk.accounts.middleware import REAUTH_AT, TWO_FACTOR_VERIFIED_AT, now_seconds
from waardewerk.audit import guards, keys, services
from waardewerk.audit.models import AccessEvent, AuditCheckpoint

pytestmark = pytest.mark.django_db
OTHER_KEY = "another-audit-key-of-at-least-thirty-two-characters"


def tamper(sql, params=()):
    """What an attacker with database rights would do: switch the guards off, change rows, switch them on."""
    guards.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    guards.install(connection)


def record(actor, n=1):
    for _ in range(n):
        services.audit_record(actor=actor, action="view", object_type="test")


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rows_removed_from_the_end_are_found(professional):
    record(professional, 5)
    checkpoint = services.checkpoint_write(reason="schedule")
    assert (checkpoint.last_id, checkpoint.row_count) == (AccessEvent.objects.latest("id").id, 5)
    assert services.verify() == []

    last_two = list(AccessEvent.objects.order_by("-id").values_list("id", flat=True)[:2])
    tamper("DELETE FROM audit_accessevent WHERE id >= %s", [min(last_two)])
    # The chain alone cannot see it: what is left is an intact chain.
    assert AccessEvent.objects.count() == 3
    problems = services.verify()
    assert len(problems) == 1
    assert "rows removed from the end of the log" in problems[0]
    assert (
        f"saw 5 rows up to row {max(last_two)}" in problems[0]
        and "at least 2 row(s) are missing" in problems[0]
    )
    with pytest.raises(CommandError, match="NOT intact"):
        run("verify")


def test_rows_written_after_the_checkpoint_and_then_removed_are_the_gap_it_leaves(professional):
    record(professional, 2)
    services.checkpoint_write(reason="schedule")
    record(professional, 3)
    assert services.verify() == []
    out, _err = run("verify")
    assert "2 rows up to row" in out and "3 rows written since" in out and "intact: 5 rows" in out


def test_a_new_checkpoint_is_refused_over_a_shortened_log(professional):
    record(professional, 3)
    services.checkpoint_write(reason="schedule")
    tamper("DELETE FROM audit_accessevent WHERE id = %s", [AccessEvent.objects.latest("id").id])
    with pytest.raises(services.CheckpointRefused):
        services.checkpoint_write(reason="schedule")
    with pytest.raises(CommandError, match="is missing or was changed"):
        run("checkpoint")
    assert AuditCheckpoint.objects.count() == 1


def test_a_changed_checkpoint_does_not_verify(professional):
    record(professional, 4)
    checkpoint = services.checkpoint_write(reason="schedule")
    # Hide the removal of the last row by lowering the checkpoint: its signature no longer fits.
    tamper("DELETE FROM audit_accessevent WHERE id = %s", [checkpoint.last_id])
    tamper(
        "UPDATE audit_auditcheckpoint SET last_id = %s, row_count = 3, last_hash = %s WHERE id = %s",
        [checkpoint.last_id - 1, AccessEvent.objects.latest("id").hash, checkpoint.id],
    )
    assert services.verify() == [
        f"checkpoint {checkpoint.id}: its signature does not match: it was changed or forged"
    ]


def test_removing_the_latest_checkpoints_breaks_their_chain_or_shows_in_an_outside_copy(
    professional, tmp_path
):
    record(professional, 2)
    first = services.checkpoint_write(reason="schedule")
    record(professional, 2)
    out, _err = run("checkpoint")
    kept = tmp_path / "checkpoints.jsonl"
    kept.write_text(out)
    assert json.loads(out)["row_count"] == 4
    third = services.checkpoint_write(reason="schedule")

    # The middle checkpoint goes: the chain of checkpoints shows it.
    tamper("DELETE FROM audit_auditcheckpoint WHERE id > %s AND id < %s", [first.id, third.id])
    assert services.verify() == [f"checkpoint {third.id}: the checkpoint before it is missing or was changed"]

    # The rows and the checkpoints after the first go: the database alone looks fine, the copy kept
    # outside the database does not.
    tamper("DELETE FROM audit_auditcheckpoint WHERE id > %s", [first.id])
    tamper("DELETE FROM audit_accessevent WHERE id > %s", [first.last_id])
    assert services.verify() == []
    with pytest.raises(CommandError, match="NOT intact"):
        run("verify", "--checkpoint", str(kept))
    problems = services.verify(external=[json.loads(line) for line in kept.read_text().splitlines()])
    assert any("kept outside the database) is missing from the database" in p for p in problems)
    assert any("rows removed from the end of the log" in p for p in problems)


def test_the_database_refuses_to_change_or_remove_checkpoints(professional):
    record(professional)
    services.checkpoint_write(reason="schedule")
    for statement in ("UPDATE audit_auditcheckpoint SET row_count = 0", "DELETE FROM audit_auditcheckpoint"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditCheckpoint.objects.count() == 1


def test_every_export_writes_a_checkpoint(client, functional_admin, professional):
    record(professional, 2)
    _out, err = run("export", "--since", "2000-01-01")
    assert json.loads(err)["reason"] == "export"
    client.force_login(functional_admin)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = session[REAUTH_AT] = now_seconds()
    session.save()
    response = client.get(reverse("audit:export"))
    b"".join(response.streaming_content)
    assert list(AuditCheckpoint.objects.order_by("id").values_list("reason", flat=True)) == [
        "export",
        "export",
    ]
    assert services.verify() == []


def test_older_keys_still_verify_and_unknown_keys_do_not(settings, professional):
    record(professional)
    services.checkpoint_write(reason="schedule")
    settings.WAARDEWERK_AUDIT_KEYS = [OTHER_KEY, *settings.WAARDEWERK_AUDIT_KEYS]
    newer = services.checkpoint_write(reason="schedule")
    assert newer.key_id == keys.AuditKey(OTHER_KEY.encode()).key_id
    assert services.verify() == []
    settings.WAARDEWERK_AUDIT_KEYS = [OTHER_KEY]
    problems = services.verify()
    assert len(problems) == 1 and "signed with a key that is not configured" in problems[0]


def test_no_key_refuses_to_start_outside_debug(settings):
    settings.WAARDEWERK_AUDIT_KEYS = []
    settings.WAARDEWERK_AUDIT_KEY_FILE = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="WAARDEWERK_AUDIT_KEY"):
        keys.keys()


def test_debug_generates_a_private_key_file_once(settings, tmp_path):
    settings.WAARDEWERK_AUDIT_KEYS = []
    settings.WAARDEWERK_AUDIT_KEY_FILE = ""
    settings.DEBUG = True
    settings.DATA_DIR = tmp_path
    first = keys.keys()[0]
    key_file = tmp_path / keys.DEV_KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    keys.reset_keys()
    assert keys.keys()[0] == first


@pytest.mark.parametrize(
    ("listed", "key_file", "message"),
    [
        (["too-short"], "", "key 1 is shorter than 32 characters"),
        ([OTHER_KEY], "/nonexistent/audit-key", "not both"),
        ([], "/nonexistent/audit-key", "does not exist"),
    ],
)
def test_bad_key_configuration(settings, listed, key_file, message):
    settings.WAARDEWERK_AUDIT_KEYS = listed
    settings.WAARDEWERK_AUDIT_KEY_FILE = key_file
    with pytest.raises(ImproperlyConfigured, match=message) as exc:
        keys.keys()
    assert "too-short" not in str(exc.value)


def test_a_key_file_newest_first(settings, tmp_path, professional):
    key_file = tmp_path / "audit-key"
    key_file.write_text(f"# newest first\n{OTHER_KEY}\n")
    key_file.chmod(0o600)
    settings.WAARDEWERK_AUDIT_KEYS = []
    settings.WAARDEWERK_AUDIT_KEY_FILE = str(key_file)
    record(professional)
    assert services.checkpoint_write(reason="schedule").key_id == keys.AuditKey(OTHER_KEY.encode()).key_id
