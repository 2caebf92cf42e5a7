"""A queryset compiled to SQL once per process and database, then run with each request's values.

Building a queryset (``filter``, ``annotate``, joins, correlated subqueries) and compiling it cost Python on
every request, also when only a value changes: for the start page's signal queries that was about half of
the page's function calls (docs/performance.md). ``CompiledQuery`` keeps one definition, the ORM's, and
compiles it once for the database in use (both dialects from the same definition); each call runs the
stored SQL with the call's values. The results are read as the queryset reads them (each column's
conversion from the database, e.g. a date or a UUID on SQLite), so ``query(...)`` returns what
``list(query.queryset(...))`` returns. Nothing is kept across requests but the SQL: every row is read anew.

``build(*fixed, **params)`` makes the queryset (``.values(...)``, or ``.values_list(...)`` with
``rows="tuples"`` or, for ``flat=True``, ``rows="flat"``; or, with ``rows="objects"``, a queryset of model
instances, ``select_related``, ``only``/``defer`` and annotations included, no ``prefetch_related``: the
instances are made as the queryset makes them, with the related objects it joins and its annotations as
attributes, in the default fetch mode). The call's keyword values reach it as placeholders:

- a plain value (a number, text, date, moment, UUID) becomes a ``Param``: ``%s`` in the SQL, filled with the
  call's value (adapted for the database as a field's value would be);
- a ``core.sql.RowSQL`` (a policy's scope as an SQL subquery) comes back as the same SQL with placeholders
  for its values: the SQL text is part of what the compiled form is kept under (another scope is another
  form), its values are filled in per call.

Positional values (``fixed``) reach ``build`` as they are and are part of the key, for values the
definition computes with (today's date, from which a source works out "this week"): a new value compiles
anew; a few of the latest forms are kept. Settings the definition reads are read when it compiles; a
changed setting (``override_settings`` in tests) drops every compiled form. A keyword value of another
kind (a queryset, ``None``: ``filter(x=None)`` means ``IS NULL``, which a placeholder cannot say) makes
the call run the queryset as the ORM does.

Use it where a profile shows the cost (the start page's signals and counts), and test each query's rows
against its queryset on SQLite and PostgreSQL (``core/tests/test_compiled.py`` for the helper itself). It
uses the compiler's ``as_sql`` and ``results_iter``, which is the same path a queryset takes, and for model
instances what the queryset's own iterator reads from the compiler (``select``, ``klass_info``,
``annotation_col_map``, ``get_related_populators``).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
import weakref
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    FETCH_ONE,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Expression,
    Field,
    FloatField,
    IntegerField,
    UUIDField,
)
from django.db.models.query import get_related_populators
from django.dispatch import receiver

from waardewerk.core.sql import RowSQL, adapt

# The field that a plain value's placeholder has, by the value's type (bool before int: a bool is an int).
_FIELDS = (
    (bool, BooleanField),
    (int, IntegerField),
    (float, FloatField),
    (Decimal, DecimalField),
    (str, CharField),
    (dt.datetime, DateTimeField),
    (dt.date, DateField),
    (uuid.UUID, UUIDField),
)
# How many compiled forms one query keeps (per database connection): a new day or another shape of scope
# adds one, the oldest goes.
KEEP = 8
# The rows a compiled query returns, as its queryset's: ``.values()`` dicts, ``.values_list()`` tuples, or
# ``.values_list(..., flat=True)`` values, or model instances ("objects"). Said by the caller (the queryset
# keeps it in a private attribute).
ROWS = ("dicts", "tuples", "flat", "objects")


class Param(Expression):
    """A placeholder for a value given when a ``CompiledQuery`` runs: ``%s`` in the SQL, the value filled in
    per call. ``as_sql`` hands itself over as the parameter, so the compiled parameters say where it went."""

    contains_aggregate = False
    contains_over_clause = False

    def __init__(self, name, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", (self,)


class _Objects:
    """Model instances from the compiled rows, as the queryset's own iterator (``ModelIterable``) makes them:
    the model's columns through ``from_db``, the joined related objects (``select_related``, ``None`` for a
    missing one) and the annotations as attributes. Worked out once per compiled form."""

    __slots__ = ("model", "using", "start", "end", "init_list", "populators", "annotations")

    def __init__(self, compiler, using):
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        self.using = using
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        # FETCH_ONE, the queryset's default fetch mode, keeps the populators free of state between calls.
        self.populators = get_related_populators(klass_info, select, using, FETCH_ONE)
        self.annotations = tuple((compiler.annotation_col_map or {}).items())

    def make(self, rows) -> list:
        model, using, start, end, init_list = self.model, self.using, self.start, self.end, self.init_list
        populators, annotations = self.populators, self.annotations
        made = []
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end], fetch_mode=FETCH_ONE)
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            made.append(obj)
        return made


class _Compiled:
    __slots__ = ("sql", "params", "compiler", "converters", "names", "flat", "as_dicts", "objects")

    def __init__(self, queryset, using, rows):
        compiler = queryset.query.get_compiler(using)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.compiler = compiler
        # Each column's conversion from the database, worked out once (``results_iter`` asks every column
        # of the select for it on every call: about a thousand calls for the trajectory section's row).
        # Composite fields (none in the product) are left to ``results_iter``.
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        self.converters = None if compiler.has_composite_fields(fields) else compiler.get_converters(fields)
        query = queryset.query
        self.as_dicts = rows == "dicts"
        self.flat = rows == "flat"
        if rows == "objects":
            if query.values_select or query.selected:
                raise TypeError("CompiledQuery: rows='objects' is for a queryset of model instances")
            self.names = []
            self.objects = _Objects(compiler, using)
            return
        self.objects = None
        self.names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        if not self.names:
            raise TypeError("CompiledQuery: build a .values() or .values_list() queryset")

    def run(self, connection, values: dict) -> list:
        params = [(adapt(connection, values[p.name]) if isinstance(p, Param) else p) for p in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not rows:
            return []
        if self.converters is None:
            converted = self.compiler.results_iter(results=[rows])
        elif self.converters:
            converted = self.compiler.apply_converters(rows, self.converters)
        else:
            converted = rows
        if self.objects is not None:
            return self.objects.make(converted)
        if self.as_dicts:
            names = self.names
            indexes = range(len(names))
            return [{names[i]: row[i] for i in indexes} for row in converted]
        if self.flat:
            return [row[0] for row in converted]
        return [tuple(row) for row in converted]


class CompiledQuery:
    """See the module docstring. ``CompiledQuery(build)(*fixed, **params)`` returns the rows of
    ``build(*fixed, **params)`` (a list of dicts for ``.values()``, of tuples or values for
    ``.values_list()``, of model instances for ``rows="objects"``)."""

    def __init__(self, build: Callable, rows: str = "dicts", using: str = DEFAULT_DB_ALIAS):
        if rows not in ROWS:
            raise ValueError(f"CompiledQuery: rows is one of {', '.join(ROWS)}")
        self.build = build
        self.rows = rows
        self.using = using
        self.forget()
        _ALL.add(self)

    def forget(self) -> None:
        """Drop the compiled forms (per thread, as Django's connections are: a form reads its rows with its
        own connection)."""
        self._local = threading.local()

    def queryset(self, *fixed, **params):
        """The queryset with the call's values, as the ORM runs it."""
        return self.build(*fixed, **params).using(self.using)

    def __call__(self, *fixed, **params) -> list:
        shape = []
        for name, value in params.items():
            if isinstance(value, RowSQL):
                sql = value.sql if isinstance(value.sql, str) else tuple(value.sql.items())
                shape.append((name, sql, len(value.params), value.output_field.get_internal_type()))
                continue
            field = next((f for t, f in _FIELDS if isinstance(value, t)), None)
            if field is None:  # None, a queryset, a list: the ORM's way
                return list(self.queryset(*fixed, **params))
            shape.append((name, field))
        forms = getattr(self._local, "forms", None)
        if forms is None:
            forms = self._local.forms = {}
        key = (fixed, tuple(shape))
        compiled = forms.get(key)
        if compiled is None:
            try:
                compiled = _Compiled(self.queryset(*fixed, **_stand_ins(params)), self.using, self.rows)
            except EmptyResultSet:  # the query can find nothing (e.g. ``pk__in=[]``): the ORM says so
                return list(self.queryset(*fixed, **params))
            forms[key] = compiled
            while len(forms) > KEEP:
                forms.pop(next(iter(forms)))
        values = {}
        for name, value in params.items():
            if isinstance(value, RowSQL):
                for i, part in enumerate(value.params):
                    values[(name, i)] = part
            else:
                values[name] = value
        return compiled.run(connections[self.using], values)


_ALL: weakref.WeakSet[CompiledQuery] = weakref.WeakSet()


@receiver(setting_changed, dispatch_uid="waardewerk.core.compiled.forget")
def _setting_changed(**kwargs):
    """A definition may read a setting when it is compiled (e.g. how many days without contact count): a
    changed setting (tests) compiles every query anew."""
    for query in list(_ALL):
        query.forget()


def _stand_ins(params: dict) -> dict:
    """The values as placeholders, for compiling."""
    stand_ins = {}
    for name, value in params.items():
        if isinstance(value, RowSQL):
            stand_ins[name] = RowSQL(
                value.sql,
                [Param((name, i), Field()) for i in range(len(value.params))],
                output_field=value.output_field,
            )
        else:
            stand_ins[name] = Param(name, next(f for t, f in _FIELDS if isinstance(value, t))())
    return stand_ins
