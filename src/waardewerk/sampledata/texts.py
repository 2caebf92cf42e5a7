"""The sample data's word lists and texts: YAML files in ``sampledata/data/``, read once per process.

The files are data, not code: names, places, employers, questions for help, conversation summaries,
actions, plan texts and the like, in Dutch. Each file says in its header what it holds and which
placeholders its texts may use. This module reads them and turns the rows that carry rules (which context,
phase or age a text fits) into small typed records; everything else is handed out as plain lists and dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
AGE_LIMIT = 200  # "no upper age limit"


@cache
def load(name: str) -> dict:
    """The parsed contents of ``data/<name>.yaml`` (cached: do not change what you get)."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _contexts(row: dict, all_contexts: frozenset[str]) -> frozenset[str]:
    contexts = row.get("contexts")
    return frozenset(contexts) if contexts else all_contexts


@dataclass(frozen=True)
class Question:
    """A client's question for help (hulpvraag) or the assignment, for one context."""

    context: str
    text: str
    min_age: int = 0
    max_age: int = AGE_LIMIT
    status_holders_only: bool = False


@dataclass(frozen=True)
class ConversationText:
    """A conversation summary for a phase; ``when`` is "first", "any" or "later"; ``mode`` may be empty."""

    phase: str
    text: str
    contexts: frozenset[str]
    when: str = "later"
    mode: str = ""
    max_age: int = AGE_LIMIT


@dataclass(frozen=True)
class ActionText:
    """An action; ``stage`` 0 is intake and plan, 1 execution onwards, 2 evaluation only."""

    stage: int
    text: str
    owner: str
    contexts: frozenset[str]
    newcomers_only: bool = False


@cache
def questions() -> tuple[Question, ...]:
    return tuple(
        Question(
            context=row["context"],
            text=row["text"],
            min_age=row.get("min_age", 0),
            max_age=row.get("max_age", AGE_LIMIT),
            status_holders_only=row.get("origins") == "status_holders",
        )
        for row in load("trajectories")["questions"]
    )


@cache
def conversation_texts(all_contexts: frozenset[str]) -> tuple[ConversationText, ...]:
    return tuple(
        ConversationText(
            phase=row["phase"],
            text=row["text"],
            contexts=_contexts(row, all_contexts),
            when=row.get("when", "later"),
            mode=row.get("mode", ""),
            max_age=row.get("max_age", AGE_LIMIT),
        )
        for row in load("trajectories")["conversations"]
    )


@cache
def action_texts(all_contexts: frozenset[str]) -> tuple[ActionText, ...]:
    return tuple(
        ActionText(
            stage=row["stage"],
            text=row["text"],
            owner=row["owner"],
            contexts=_contexts(row, all_contexts),
            newcomers_only=row.get("newcomers_only", False),
        )
        for row in load("trajectories")["actions"]
    )


@cache
def phase_reasons() -> dict[tuple[str, str], tuple[str, ...]]:
    """The reasons recorded with a move in the cycle, by (from phase, to phase)."""
    return {(row["from"], row["to"]): tuple(row["reasons"]) for row in load("trajectories")["phase_reasons"]}
