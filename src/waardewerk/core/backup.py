"""``waardewerk backup OUT`` and ``waardewerk restore IN`` (docs/operations.md, "Backup and restore").

A backup is a directory with two files:

- the database: ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the app writes)
  or ``database.dump`` (PostgreSQL's ``pg_dump --format=custom``);
- ``manifest.json``: the application's version, the database kind and server version, when it was made,
  the migrations applied, the database file's SHA-256 and, per table, the number of rows and a SHA-256 over
  its rows in primary-key order.

The manifest describes exactly what the database file holds: on SQLite it is computed from the copy; on
PostgreSQL it is computed inside one read-only transaction whose snapshot ``pg_dump --snapshot`` shares,
so rows written while the backup runs are in neither or in both.

``restore`` writes into an empty database only (no tables: a new PostgreSQL database, or an SQLite file
that does not exist yet), checks the file against the manifest first and the restored tables against it
afterwards. The field keys and the audit key are never part of a backup: they live outside the database.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore, with argument lists
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from waardewerk.core.observability import app_version

FORMAT = "waardewerk-backup/1"
MANIFEST = "manifest.json"
FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
CHECKSUM_METHOD = {
    "sqlite": "sha256 over repr() of each row as Python's sqlite3 returns it, in primary-key order",
    "postgresql": "sha256 over each row's text form (TimeZone UTC, DateStyle ISO), in primary-key order",
}
KEYS_NOTE = (
    "Field keys (WAARDEWERK_FIELD_KEYS/_FILE) and the audit key (WAARDEWERK_AUDIT_KEY/_FILE) are not in "
    "this backup. Encrypted fields can only be read, and checkpoints only verified, with the keys that "
    "were in use: keep copies of them apart from the backups."
)
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Verification:
    expected: dict
    found: dict

    @property
    def differences(self) -> list[str]:
        lines = []
        for table in sorted(set(self.expected) | set(self.found)):
            want, got = self.expected.get(table), self.found.get(table)
            if want is None:
                lines.append(f"{table}: in the database, not in the manifest")
            elif got is None:
                lines.append(f"{table}: in the manifest, not in the database")
            elif want["rows"] != got["rows"]:
                lines.append(f"{table}: {got['rows']} rows, the manifest says {want['rows']}")
            elif want["sha256"] != got["sha256"]:
                lines.append(f"{table}: {got['rows']} rows, but their checksum differs from the manifest")
        return lines

    @property
    def ok(self) -> bool:
        return not self.differences


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- Table listing and checksums, per database kind, on a DB-API cursor ---


def _sqlite_tables(cursor) -> dict[str, dict]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    names = [row[0] for row in cursor.fetchall()]
    out = {}
    for name in names:
        cursor.execute(f"PRAGMA table_info({_quote(name)})")
        columns = cursor.fetchall()  # cid, name, type, notnull, default, pk
        key = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
        order = (
            ", ".join(_quote(c) for c in key) if key else ", ".join(str(i + 1) for i in range(len(columns)))
        )
        cursor.execute(f"SELECT * FROM {_quote(name)} ORDER BY {order}")  # noqa: S608 - names from the catalogue
        digest, rows = hashlib.sha256(), 0
        while batch := cursor.fetchmany(2000):
            for row in batch:
                digest.update(repr(tuple(row)).encode() + b"\n")
            rows += len(batch)
        out[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return out


PG_KEY_COLUMNS = """
SELECT a.attname
FROM pg_index i
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
WHERE i.indrelid = %s::regclass AND i.indisprimary
ORDER BY array_position(i.indkey, a.attnum)
"""


def _postgresql_tables(connection) -> dict[str, dict]:
    """Within the caller's transaction: the tables of the current schema with their counts and checksums,
    each read with a server-side cursor (the access log can hold millions of rows)."""
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute("SET LOCAL TimeZone = 'UTC'")
        cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        cursor.execute("SET LOCAL IntervalStyle = 'postgres'")
        cursor.execute("SET LOCAL extra_float_digits = 3")
        cursor.execute("SET LOCAL bytea_output = 'hex'")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        names = [row[0] for row in cursor.fetchall()]
        keys = {}
        for name in names:
            cursor.execute(PG_KEY_COLUMNS, [_quote(name)])
            keys[name] = [row[0] for row in cursor.fetchall()]
    out = {}
    for number, name in enumerate(names):
        order = ", ".join(_quote(c) for c in keys[name]) if keys[name] else 'row_text COLLATE "C"'
        digest, rows = hashlib.sha256(), 0
        with raw.cursor(name=f"waardewerk_backup_{number}") as cursor:
            cursor.itersize = 5000
            cursor.execute(f"SELECT t::text AS row_text FROM {_quote(name)} t ORDER BY {order}")  # noqa: S608
            for (text,) in cursor:
                digest.update(text.encode() + b"\n")
                rows += 1
        out[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return out


def _migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _sqlite_file(connection) -> str:
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db() or not Path(name).is_file():
        raise BackupError("An SQLite database in memory has no file to back up or restore.")
    return name


def _sqlite_read_only(path) -> sqlite3.Connection:
    # A plain connection, without the type converters Django registers, as the checksums are defined.
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def table_summary(alias: str = "default") -> dict[str, dict]:
    """Counts and checksums of the tables of a database as it is now (in one transaction)."""
    connection = connections[alias]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        plain = _sqlite_read_only(_sqlite_file(connection))
        try:
            plain.execute("BEGIN")  # one read transaction for all tables
            return _sqlite_tables(plain.cursor())
        finally:
            plain.close()
    if connection.vendor == "postgresql":
        from django.db import transaction

        with transaction.atomic(using=alias):
            with connection.connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return _postgresql_tables(connection)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


# --- PostgreSQL's tools ---


def _pg_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client tools, of the server's major version or "
            "newer (Debian: apt-get install postgresql-client; scripts/ensure-system-packages.sh does it)."
        )
    return path


def _pg_arguments(connection) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore from Django's settings, the password in the environment."""
    from django.db.backends.postgresql.client import DatabaseClient

    settings_dict = connection.settings_dict
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    options = settings_dict.get("OPTIONS", {})
    args = []
    user = settings_dict.get("USER") or options.get("user")
    host = settings_dict.get("HOST") or options.get("host")
    port = settings_dict.get("PORT") or options.get("port")
    if user:
        args += ["--username", str(user)]
    if host:
        args += ["--host", str(host)]
    if port:
        args += ["--port", str(port)]
    args += ["--no-password", "--dbname", settings_dict.get("NAME") or options.get("dbname") or "postgres"]
    return args, {**os.environ, **(env or {})}


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed (exit code {result.returncode}): {result.stderr.strip()}"
        )


def _server_version(connection) -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return f"{connection.pg_version // 10000}.{connection.pg_version % 10000}"


# --- Backup ---


def _prepare_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BackupError(f"{out} exists and is not an empty directory: give a new directory for the backup.")
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o700)  # it holds personal data


def backup(out: Path, alias: str = "default") -> dict:
    """Write a backup of the database into the new directory ``out``; returns the manifest."""
    connection = connections[alias]
    connection.ensure_connection()
    vendor = connection.vendor
    if vendor not in FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    if vendor == "postgresql":
        _pg_program("pg_dump")
    _prepare_out(out)
    target = out / FILES[vendor]
    created_at = timezone.now()
    if vendor == "sqlite":
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # one step: a consistent copy, writers are not blocked (WAL)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file; the app sets WAL again
        finally:
            copy.close()
        os.chmod(target, 0o600)
        copy = _sqlite_read_only(target)
        try:
            cursor = copy.cursor()
            tables = _sqlite_tables(cursor)
            migrations = _migrations(cursor)
        finally:
            copy.close()
    else:
        tables, migrations = _pg_dump_with_manifest(connection, target)
    manifest = {
        "format": FORMAT,
        "app_version": app_version(),
        "database": {"kind": vendor, "server_version": _server_version(connection)},
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
        "file": {"name": target.name, "bytes": target.stat().st_size, "sha256": _file_sha256(target)},
        "migrations": migrations,
        "checksum_method": CHECKSUM_METHOD[vendor],
        "tables": tables,
        "keys": KEYS_NOTE,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.chmod(out / MANIFEST, 0o600)
    return manifest


def _pg_dump_with_manifest(connection, target: Path) -> tuple[dict, dict]:
    """pg_dump and the manifest's counts from one snapshot: a repeatable-read transaction exports its
    snapshot, pg_dump reads with it (``--snapshot``) while the transaction computes the checksums."""
    from django.db import transaction

    args, env = _pg_arguments(connection)
    with transaction.atomic(using=connection.alias):
        with connection.connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        command = [
            _pg_program("pg_dump"),
            "--format=custom",
            f"--snapshot={snapshot}",
            f"--file={target}",
            *args,
        ]
        dump = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
        try:
            tables = _postgresql_tables(connection)
            with connection.connection.cursor() as cursor:
                migrations = _migrations(cursor)
        finally:
            _stdout, stderr = dump.communicate()  # the snapshot must stay open until pg_dump is done
    if dump.returncode != 0:
        raise BackupError(f"pg_dump failed (exit code {dump.returncode}): {stderr.strip()}")
    os.chmod(target, 0o600)
    return tables, migrations


# --- Restore ---


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: it is not a backup made by `waardewerk backup`.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} cannot be read as JSON ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a manifest of this backup format ({FORMAT}).")
    return manifest


def existing_tables(alias: str = "default") -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def restore(directory: Path, alias: str = "default") -> Verification:
    """Restore the backup in ``directory`` into the empty database ``alias`` and compare the result with
    the manifest (``Verification.ok``). Refuses a database that has tables."""
    manifest = read_manifest(directory)
    connection = connections[alias]
    vendor = connection.vendor
    kind = manifest.get("database", {}).get("kind")
    if kind != vendor:
        raise BackupError(
            f"This backup is of a {kind} database; the database configured here (DATABASE_URL) is {vendor}. "
            f"Restore it into a {kind} database."
        )
    source = directory / manifest["file"]["name"]
    if not source.is_file():
        raise BackupError(f"{source} is missing: the backup is incomplete.")
    if _file_sha256(source) != manifest["file"]["sha256"]:
        raise BackupError(f"{source} does not match the checksum in the manifest: it was changed or damaged.")
    tables = existing_tables(alias)
    if tables:
        shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        raise BackupError(
            f"The database is not empty ({len(tables)} tables, e.g. {shown}). A restore only writes into an "
            "empty database, so that nothing is mixed or overwritten: create a new one (PostgreSQL: "
            "createdb; SQLite: a DATABASE_URL with a file that does not exist yet) and restore into that."
        )
    if vendor == "sqlite":
        connection.ensure_connection()
        copy = _sqlite_read_only(source)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
    else:
        args, env = _pg_arguments(connection)
        connection.close()
        _run(
            [
                _pg_program("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(source),
            ],
            env,
        )
    connection.close()
    return Verification(expected=manifest["tables"], found=table_summary(alias))


def migration_state(manifest: dict, alias: str = "default") -> tuple[int, list[str]]:
    """(migrations the code has that the backup had not applied, migrations in the backup unknown to this
    code): the first means "run waardewerk migrate", the second a backup from a newer version."""
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    known = set(loader.graph.nodes)
    applied = {(app, name) for app, names in manifest.get("migrations", {}).items() for name in names}
    return len(known - applied), sorted(f"{app}.{name}" for app, name in applied - known)
