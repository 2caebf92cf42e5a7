"""Instrument definitions, parsed once per process.

A stored version's definition never changes (``core.content_versions`` refuses other content under a
version number that exists), and a ``Definition`` is fixed by its version and the current version of its
instrument (whose roles it takes). So each process keeps the stored dict of every version it has read
and the ``Definition`` of every (version, current version) pair: a page asks the database only which
versions it needs and which are current (ids, a small query that is always up to date: loading a new
version changes the answer at once, in every process), and reads the definitions themselves, tens of
kilobytes of JSON each, once per process.
"""

from __future__ import annotations

import threading

from waardewerk.instruments.definition import Definition
from waardewerk.instruments.models import InstrumentVersion

_data: dict[int, dict] = {}
_parsed: dict[tuple[int, int | None], Definition] = {}
_checksums: dict[int, str] = {}  # of the versions read by ``load_current``
_lock = threading.Lock()


def definition(version_id: int, current_id: int | None) -> Definition:
    """The definition of a version with the roles of its instrument's current version (both read before
    with ``load``)."""
    key = (version_id, current_id)
    with _lock:
        found = _parsed.get(key)
        if found is None:
            current = _data[current_id] if current_id is not None and current_id != version_id else None
            found = _parsed[key] = Definition(_data[version_id], current)
    return found


def load(version_ids) -> None:
    """Read the stored definitions of these versions that this process does not hold yet (one query,
    none when it holds them all)."""
    with _lock:
        missing = set(version_ids) - _data.keys()
    if missing:
        rows = InstrumentVersion.objects.filter(pk__in=missing).values_list("pk", "definition")
        with _lock:
            _data.update(rows)


def load_current(versions: dict[int, str]) -> None:
    """As ``load`` for the current versions of the instruments, given as ``{version id: checksum}`` by a
    query that did not read the definitions themselves: a version this process holds under another checksum
    (its id came back after a rollback in another process) is read again too."""
    with _lock:
        stale = {pk for pk, digest in versions.items() if _checksums.get(pk, digest) != digest}
        for pk in stale:
            _drop(pk)
        missing = set(versions) - _data.keys()
    if missing:
        rows = InstrumentVersion.objects.filter(pk__in=missing).values_list("pk", "definition", "checksum")
        with _lock:
            for pk, data, digest in rows:
                _data[pk] = data
                _checksums[pk] = digest


def attach_current(instruments) -> None:
    """Give instruments fetched with their current version but without its definition
    (``select_related("current").defer("current__definition")``) the stored definition, from this process
    (``load_current``: one query for the versions it does not hold yet)."""
    load_current({i.current_id: i.current.checksum for i in instruments})
    for instrument in instruments:
        instrument.current.definition = data(instrument.current_id)


def data(version_id: int) -> dict:
    """The stored definition of a version read before with ``load`` or ``load_current``."""
    with _lock:
        return _data[version_id]


def _drop(version_id: int) -> None:
    _data.pop(version_id, None)
    _checksums.pop(version_id, None)
    for key in [key for key in _parsed if version_id in key]:
        del _parsed[key]


def forget(version_id: int) -> None:
    """A version was stored under this id (an id can come back after a rollback): drop what this process
    held under it."""
    with _lock:
        _drop(version_id)


def clear() -> None:
    """Forget everything (tests; a freshly started process starts like this)."""
    with _lock:
        _data.clear()
        _parsed.clear()
        _checksums.clear()
