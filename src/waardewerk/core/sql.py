"""Correlated subqueries written as SQL, for the few annotations on the pages opened most.

A ``Subquery`` or ``Exists`` is a whole queryset: Django builds, resolves and compiles it anew on every
request, which for the trajectory section's one row cost more Python than the database took to run the
query (docs/performance.md, "Where the time of a page goes"). ``RowSQL`` is the same correlated subquery
as a string: it costs almost nothing to build and compile. Use it only where a profile shows the
difference, keep the SQL to indexed lookups of the outer row's own columns, and test it on SQLite and
PostgreSQL (the two databases the product supports).

The SQL names the outer row as ``{outer}`` (its quoted alias, e.g. ``{outer}.id``); tables and columns are
best taken from the models (``Model._meta.db_table``). ``params`` are placeholders' values (``%s``), adapted
as Django adapts a field's value (a datetime for the database in use). ``sql`` may be a mapping from the
database vendor (``"postgresql"``, ``"sqlite"``) to its SQL where the two differ.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping

from django.db.models import BooleanField, Expression, IntegerField, TextField
from django.utils.dateparse import parse_datetime


class RowSQL(Expression):
    """A scalar subquery in SQL, correlated with the outer query's row (see the module docstring)."""

    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, sql: str | Mapping[str, str], params=(), *, output_field):
        super().__init__(output_field=output_field)
        self.sql = sql
        self.params = tuple(params)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.sql!r}, {self.params!r})"

    def as_sql(self, compiler, connection):
        sql = self.sql if isinstance(self.sql, str) else self.sql[connection.vendor]
        outer = compiler.quote_name(compiler.query.base_table)
        params = tuple(adapt(connection, p) for p in self.params)
        return f"({sql.format(outer=outer)})", params


def adapt(connection, value):
    """A placeholder's value for the database in use, as a field of its type would send it."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, uuid.UUID) and not connection.features.has_native_uuid_field:
        return value.hex
    return value


def ids(sql: str, params=()) -> RowSQL:
    """A subquery of ids in SQL, for ``filter(pk__in=ids(...))``: the set need not be correlated."""
    return RowSQL(sql, params, output_field=IntegerField())


def exists(sql: str, params=()) -> RowSQL:
    """``EXISTS (sql)`` as a boolean annotation."""
    return RowSQL(f"SELECT EXISTS ({sql})", params, output_field=BooleanField())


def json_object(pairs: Mapping[str, str]) -> dict[str, str]:
    """A JSON object of ``{key: SQL expression}`` as text, per database: the one row of a subquery with
    several columns (a scalar subquery returns one). Read it with ``read_json``."""
    arguments = ", ".join(f"'{key}', {expression}" for key, expression in pairs.items())
    return {
        "postgresql": f"json_build_object({arguments})::text",
        "sqlite": f"json_object({arguments})",
    }


def json_row(select: Mapping[str, str], rest: str, params=()) -> RowSQL:
    """``SELECT <a JSON object of select> <rest>``: a subquery's one row with several columns, as text
    (``read_json`` makes it a dict, or None without a row)."""
    return RowSQL(
        {vendor: f"SELECT {expression} {rest}" for vendor, expression in json_object(select).items()},
        params,
        output_field=TextField(),
    )


def json_rows(select: Mapping[str, str], rest: str, params=()) -> RowSQL:
    """``SELECT <a JSON array of one object per row> <rest>``: all the rows of a subquery with several
    columns, as text (``read_json`` makes it a list; an empty one without rows). The array's order is not
    defined: sort the rows where it matters."""
    arguments = ", ".join(f"'{key}', {expression}" for key, expression in select.items())
    return RowSQL(
        {
            "postgresql": f"SELECT coalesce(json_agg(json_build_object({arguments})), '[]')::text {rest}",
            "sqlite": f"SELECT json_group_array(json_object({arguments})) {rest}",
        },
        params,
        output_field=TextField(),
    )


def read_json(value) -> dict | list | None:
    if value is None:
        return None
    return value if isinstance(value, dict) else json.loads(value)


def read_date(value) -> dt.date | None:
    """A date from a JSON row (both databases write it as ISO 8601)."""
    return None if value is None else dt.date.fromisoformat(value)


def read_datetime(value) -> dt.datetime | None:
    """A timestamp from a JSON row: PostgreSQL writes it with its offset, SQLite as stored (UTC, naive)."""
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed
