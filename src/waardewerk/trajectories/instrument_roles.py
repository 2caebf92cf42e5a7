"""The instruments' definitions as the trajectory layer needs them, answered by the instruments app above it.

A plan goal may serve a work value or a determinant, and an evaluation's outcome is a level of an instrument:
both come from the current instrument definitions (their ``roles``), which live in the layer above
(docs/architecture.md, "Import rules"). This module names the question; ``InstrumentsConfig.ready`` registers
the answer, so imports still flow one way and no import hides inside a function. Without the instruments
app there are no definitions: no plan vocabulary and no outcome levels.
"""

from collections.abc import Callable, Mapping
from typing import Any

_source: Callable[[], Mapping[str, Any]] | None = None


def register(current_definitions: Callable[[], Mapping[str, Any]]) -> None:
    """Called once by the instruments app: ``current_definitions()`` gives the current definition of every
    instrument by key, in the instruments' order."""
    global _source
    _source = current_definitions


def current_definitions() -> Mapping[str, Any]:
    return _source() if _source is not None else {}


def outcome_definition(definitions: Mapping[str, Any] | None = None):
    """The instrument whose level is the evaluation's outcome (``roles.outcome: level``), first in order."""
    if definitions is None:
        definitions = current_definitions()
    return next((d for d in definitions.values() if d.roles.outcome == "level"), None)
