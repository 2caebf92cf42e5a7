"""``waardewerk backup`` and ``waardewerk restore`` through the command line, on SQLite and (when the suite
runs on PostgreSQL) on PostgreSQL: a round trip gives the same counts and checksums and an intact access
log; a backup made while the app writes matches its manifest; a restore refuses a non-empty database and a
damaged backup (docs/operations.md, "Backup and restore")."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dj_database_url
import pytest

from waardewerk.core import backup

SUITE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = SUITE_URL.startswith(("postgres://", "postgresql://"))
VENDORS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite run")),
]
WAARDEWERK = str(Path(sys.executable).parent / "waardewerk")


def _env(url: str, data_dir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "waardewerk.conf.test_settings",
        "DATABASE_URL": url,
        "WAARDEWERK_DATA_DIR": str(data_dir),
    }


def run(url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own command
        [WAARDEWERK, *args], env=_env(url, data_dir), capture_output=True, text=True, timeout=300, check=False
    )


def _pg_admin(sql: str) -> None:
    import psycopg

    base = dj_database_url.parse(SUITE_URL)
    with psycopg.connect(
        host=base["HOST"] or None,
        port=base["PORT"] or None,
        user=base["USER"] or None,
        password=base["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(sql)


class Databases:
    """New, empty databases of one kind, removed afterwards."""

    def __init__(self, vendor: str, directory: Path):
        self.vendor, self.directory, self.made = vendor, directory, []

    def new(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.directory / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"
        base = dj_database_url.parse(SUITE_URL)
        name = f"{base['NAME']}_backup_{uuid.uuid4().hex[:8]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return SUITE_URL.rsplit("/", 1)[0] + "/" + name

    def drop(self):
        for name in self.made:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=VENDORS)
def source(request, tmp_path_factory):
    """A database of the kind, migrated and filled with 15 generated clients (and their access log)."""
    directory = tmp_path_factory.mktemp(f"backup-{request.param}")
    databases = Databases(request.param, directory)
    url = databases.new()
    for args in (("migrate", "--no-input", "-v0"), ("generate", "--clients", "15", "--seed", "4")):
        result = run(url, directory, *args)
        assert result.returncode == 0, result.stderr
    yield databases, url, directory
    databases.drop()


def _summary(url: str, directory: Path) -> dict:
    code = "import json; from waardewerk.core.backup import table_summary; print(json.dumps(table_summary()))"
    result = run(url, directory, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_round_trip_gives_the_same_tables_and_an_intact_access_log(source):
    databases, url, directory = source
    out = directory / f"backup-{uuid.uuid4().hex[:6]}"
    result = run(url, directory, "backup", str(out))
    assert result.returncode == 0, result.stderr
    assert "are not in this backup" in result.stdout

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == backup.FORMAT
    assert manifest["database"]["kind"] == databases.vendor and manifest["database"]["server_version"]
    assert manifest["app_version"] and manifest["created_at"].endswith("+00:00")
    assert "0001_initial" in manifest["migrations"]["audit"]
    assert manifest["tables"]["clients_client"]["rows"] == 15
    assert manifest["tables"]["audit_accessevent"]["rows"] > 0
    assert sorted(p.name for p in out.iterdir()) == sorted(["manifest.json", backup.FILES[databases.vendor]])
    assert (out.stat().st_mode & 0o077) == 0  # personal data: the owner only
    assert manifest["tables"] == _summary(url, directory)  # the manifest describes the source

    target = databases.new()
    result = run(target, directory, "restore", str(out))
    assert result.returncode == 0, result.stderr
    assert "every count and checksum matches the manifest" in result.stdout
    assert _summary(target, directory) == manifest["tables"]  # checked again, apart from the command
    verify = run(target, directory, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "intact" in verify.stdout
    # The access log's append-only guard came along (triggers are part of the backup).
    tamper = (
        "from waardewerk.audit.models import AccessEvent\n"
        "try:\n"
        "    first = AccessEvent.objects.order_by('pk').first()\n"
        "    AccessEvent.objects.filter(pk=first.pk).update(reason='x')\n"
        "except Exception as exc:\n"
        "    print('refused', type(exc).__name__)\n"
    )
    assert "refused" in run(target, directory, "shell", "-c", tamper).stdout

    again = run(target, directory, "restore", str(out))
    assert again.returncode == 1
    assert "The database is not empty" in again.stderr and "empty database" in again.stderr
    assert _summary(target, directory) == manifest["tables"]  # untouched


def test_a_backup_made_while_the_app_writes_matches_its_manifest(source):
    """A writer adds access-log rows (as audited requests do) during the whole backup: the restored
    database equals the manifest, and the chain is intact, whichever rows made it in."""
    databases, url, directory = source
    stop = directory / f"stop-{uuid.uuid4().hex[:6]}"
    writer_code = (
        "import time, pathlib\n"
        "from waardewerk.audit.services import audit_record\n"
        f"stop = pathlib.Path({str(stop)!r}); deadline = time.monotonic() + 60\n"
        "while not stop.exists() and time.monotonic() < deadline:\n"
        "    audit_record(actor=None, action='export', object_type='audit_log', detail={'via': 'test'})\n"
    )
    writer = subprocess.Popen(  # noqa: S603
        [WAARDEWERK, "shell", "-c", writer_code], env=_env(url, directory), stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(3)  # the writer is under way
        out = directory / f"backup-{uuid.uuid4().hex[:6]}"
        result = run(url, directory, "backup", str(out))
        assert result.returncode == 0, result.stderr
    finally:
        stop.touch()
        _out, errors = writer.communicate(timeout=120)
    assert writer.returncode == 0, errors
    manifest = json.loads((out / "manifest.json").read_text())
    assert (
        manifest["tables"]["audit_accessevent"]["rows"]
        < _summary(url, directory)["audit_accessevent"]["rows"]
    )

    target = databases.new()
    result = run(target, directory, "restore", str(out))
    assert result.returncode == 0, result.stderr
    assert run(target, directory, "audit", "verify").returncode == 0


def test_a_damaged_backup_is_refused_before_anything_is_written(source):
    databases, url, directory = source
    out = directory / f"backup-{uuid.uuid4().hex[:6]}"
    assert run(url, directory, "backup", str(out)).returncode == 0
    data = out / backup.FILES[databases.vendor]
    with data.open("r+b") as handle:
        handle.seek(data.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    target = databases.new()
    result = run(target, directory, "restore", str(out))
    assert result.returncode == 1 and "does not match the checksum in the manifest" in result.stderr
    assert run(url, directory, "backup", str(out)).returncode == 1  # never into an existing backup


def test_a_restored_table_that_differs_from_the_manifest_is_named(source):
    databases, url, directory = source
    out = directory / f"backup-{uuid.uuid4().hex[:6]}"
    assert run(url, directory, "backup", str(out)).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["tables"]["clients_client"]["rows"] += 1
    (out / "manifest.json").write_text(json.dumps(manifest))
    result = run(databases.new(), directory, "restore", str(out))
    assert result.returncode == 1
    assert "clients_client: 15 rows, the manifest says 16" in result.stderr
    assert "Do not use it" in result.stderr


def test_no_backup_in_a_directory_that_is_not_a_backup(tmp_path):
    with pytest.raises(backup.BackupError, match="holds no manifest.json"):
        backup.read_manifest(tmp_path)


def test_a_missing_pg_dump_is_named_with_how_to_install_it(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match="pg_dump was not found.*postgresql-client"):
        backup._pg_program("pg_dump")
