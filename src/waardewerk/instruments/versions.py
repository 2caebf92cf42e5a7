"""Instrument versions and their definitions, cached (reads only).

- A stored version's definition never changes (``services.instrument_load`` refuses other content for a
  version that exists), so each process keeps the parsed ``Definition`` of every version it has read,
  by id: a measurement's definition costs no query after the first time.
- Which version of each instrument is current changes when a new version is loaded. That small list
  lives in the cache all processes share, under ``CURRENT_KEY``; ``services.instrument_load`` removes it
  when it stores a new version (at once, and again after its transaction commits, so that no process
  keeps serving the old list), and the next read takes it from the database again. The entry also
  expires after ``CURRENT_SECONDS`` as a safety net.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from waardewerk.instruments.definition import Definition
from waardewerk.instruments.models import Instrument, InstrumentVersion

CURRENT_KEY = "instruments:current:v1"
CURRENT_SECONDS = 3600

_definitions: dict[int, Definition] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class CurrentVersion:
    instrument_id: int
    key: str
    version_id: int
    version: int


def current() -> list[CurrentVersion]:
    """The current version of every instrument that has one, by instrument key."""
    rows = cache.get(CURRENT_KEY)
    if rows is None:
        instruments = Instrument.objects.select_related("current").exclude(current=None).order_by("key")
        rows = []
        for instrument in instruments:
            _keep(instrument.current)
            rows.append(
                CurrentVersion(
                    instrument.pk, instrument.key, instrument.current_id, instrument.current.version
                )
            )
        cache.set(CURRENT_KEY, rows, CURRENT_SECONDS)
    return rows


def current_definitions() -> dict[str, tuple[CurrentVersion, Definition]]:
    """The current version and its definition of every instrument, by key."""
    rows = current()
    found = definitions(row.version_id for row in rows)
    return {row.key: (row, found[row.version_id]) for row in rows}


def definitions(version_ids) -> dict[int, Definition]:
    """The definitions of these versions, by version id (one query for those this process has not read)."""
    wanted = set(version_ids)
    with _lock:
        found = {pk: _definitions[pk] for pk in wanted if pk in _definitions}
    missing = wanted - found.keys()
    if missing:
        for version in InstrumentVersion.objects.filter(pk__in=missing).only("pk", "definition"):
            found[version.pk] = _keep(version)
    return found


def forget_current(version: InstrumentVersion | None = None) -> None:
    """A version was stored: drop the shared list of current versions now and after the commit, and any
    definition this process holds under the new version's id (an id can be reused after a rollback)."""
    if version is not None:
        with _lock:
            _definitions.pop(version.pk, None)
    cache.delete(CURRENT_KEY)
    transaction.on_commit(lambda: cache.delete(CURRENT_KEY))


def clear() -> None:
    """Forget the definitions this process holds (tests; a fresh process starts like this)."""
    with _lock:
        _definitions.clear()


def _keep(version: InstrumentVersion) -> Definition:
    definition = Definition(version.definition)
    with _lock:
        return _definitions.setdefault(version.pk, definition)
