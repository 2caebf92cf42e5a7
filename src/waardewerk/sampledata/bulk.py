"""Fast bulk loading of model rows: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

Used by the data generator (``waardewerk generate``). Rows are given as dicts of model attribute names; the
writer assigns primary keys itself (from the table's current maximum), so rows can refer to each other
before they are written, and resets the PostgreSQL identity sequences afterwards.

Values are prepared for the database the way ``bulk_create`` prepares them where it matters: encrypted
fields go through ``get_prep_value`` (so they are encrypted with the newest field key, exactly as on a
save), JSON through the field's encoder, dates and times through the backend's adapters. ``auto_now`` and
``auto_now_add`` are *not* applied: the generator sets ``created_at``/``updated_at`` to the moment the row
would have been made, which keeps the data deterministic and plausible.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import models

from waardewerk.core.fields import EncryptedTextField

_MISSING = object()


class PreparedJSON(str):
    """A JSON value already serialised (e.g. the same small dict on millions of rows): written as it is."""


class _Factory:
    """A default made per row (``default=list`` / ``default=dict``)."""

    def __init__(self, make):
        self.make = make


class TableWriter:
    """Buffers rows for one model and writes them in batches."""

    def __init__(self, model, connection):
        self.model = model
        self.connection = connection
        self.table = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.columns = [f.column for f in self.fields]
        self.defaults = [self._default(f) for f in self.fields]
        self.converters = [self._converter(f) for f in self.fields]
        with connection.cursor() as cursor:
            pk = model._meta.pk.column
            cursor.execute(f'SELECT MAX("{pk}") FROM "{self.table}"')  # noqa: S608 (identifiers from models)
            self.next_id = (cursor.fetchone()[0] or 0) + 1
        self.first_id = self.next_id
        self.rows: list[tuple] = []
        self.count = 0
        self.write_seconds = 0.0  # time spent sending rows to the database
        self.encrypt_seconds = 0.0  # time spent encrypting values (part of preparing them in add())
        self.encrypted_values = 0

    # -- preparing ------------------------------------------------------------------------------------------

    @staticmethod
    def _default(field):
        if field.primary_key:
            return _MISSING
        if field.has_default():
            if field.default in (list, dict):  # an empty JSON list or object, made fresh per row
                return _Factory(field.default)
            return _MISSING if callable(field.default) else field.default
        if field.null:
            return None
        if field.blank and isinstance(field, models.CharField | models.TextField):
            return ""
        return _MISSING

    def _converter(self, field) -> Callable | None:
        vendor = self.connection.vendor
        ops = self.connection.ops
        if isinstance(field, EncryptedTextField):
            prepare = field.get_prep_value  # encrypts, as bulk_create and save() do

            def encrypt(value):
                started = time.perf_counter()
                token = prepare(value)
                self.encrypt_seconds += time.perf_counter() - started
                self.encrypted_values += 1 if value else 0
                return token

            return encrypt
        if isinstance(field, models.JSONField):
            encoder = field.encoder

            def to_json(value):
                if value is None or type(value) is PreparedJSON:
                    return None if value is None else str(value)
                return json.dumps(value, cls=encoder)

            return to_json
        if vendor == "postgresql":
            return None  # psycopg adapts UUID, date, aware datetime, bool, int and str itself
        if isinstance(field, models.UUIDField):
            return lambda value: None if value is None else value.hex
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        return None

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, values: dict) -> None:
        """Queue one row; ``values`` must hold ``id`` (from :meth:`new_id`) and every required field."""
        row = []
        for name, default, convert in zip(self.names, self.defaults, self.converters, strict=True):
            value = values.get(name, default)
            if type(value) is _Factory:
                value = value.make()
            if value is _MISSING:
                raise ValueError(f"{self.model._meta.label}: no value for {name!r}")
            if convert is not None and value is not None:
                value = convert(value)
            row.append(value)
        self.rows.append(tuple(row))

    # -- writing --------------------------------------------------------------------------------------------

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.perf_counter()
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                sql = f'INSERT INTO "{self.table}" ({columns}) VALUES ({placeholders})'  # noqa: S608
                cursor.executemany(sql, self.rows)
        self.count += len(self.rows)
        self.rows = []
        self.write_seconds += time.perf_counter() - started

    def reset_sequence(self) -> None:
        """After explicit ids, let the database's own id sequence continue after them (PostgreSQL)."""
        statements = self.connection.ops.sequence_reset_sql(no_style(), [self.model])
        if statements:
            with self.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


@contextlib.contextmanager
def indexes_deferred(connection, model, *, rows: int, minimum: int = 100_000):
    """For a large load: drop the table's secondary indexes (and on PostgreSQL its unique constraints)
    first and build them again afterwards, in the same transaction (a failure restores them with
    everything else).

    Inserting millions of rows into B-trees keyed on random values (hashes, UUIDs) that outgrow the cache
    makes every row evict a page; one sort per index at the end is several times faster. The definitions
    come from the catalog (``pg_indexes``/``pg_constraint``, ``sqlite_master``), so exactly what the
    migrations made is rebuilt. SQLite's UNIQUE constraints are part of the table and stay. Used only when
    ``rows`` is at least ``minimum`` and more than the table already holds.
    """
    if rows < minimum or connection.vendor not in ("postgresql", "sqlite"):
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (identifier from the model)
        if cursor.fetchone()[0] >= rows:
            yield
            return
        constraints = []
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass) ORDER BY indexname",
                [table, table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL ORDER BY name",
                [table],
            )
        indexes = cursor.fetchall()
        for name, _definition in constraints:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)


@contextlib.contextmanager
def large_cache(connection, megabytes: int = 1024):
    """SQLite: a larger page cache for this connection while loading (the default is 2 MB), so the unique
    indexes that stay during the load (random hashes, UUIDs) are updated in memory. No-op elsewhere."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(megabytes) * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
