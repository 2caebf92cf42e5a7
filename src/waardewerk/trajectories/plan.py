"""The content of a plan version: goals and choices (interventions), checked and read back.

Stored as encrypted JSON in ``PlanVersion.content``::

    {"goals": [{"key": "g-1a2b3c4d", "text": "...", "values": ["income"], "determinants": ["self_efficacy"],
                "status": "active"}],
     "choices": [{"key": "c-...", "goal": "g-1a2b3c4d", "description": "...", "research": "...",
                  "evidence_level": "", "expertise": "...", "preference": "...", "weighing": "...",
                  "entry": "ips", "entry_version": 3, "recognition": "strong_indications",
                  "entry_references": 2, "practice_based": false}]}

A choice of a knowledge-base entry names it (``entry``, ``entry_version``); its recognition and the number
of references are copied from that entry version when the plan version is stored, so the version reads back
as it was agreed. A free choice (``entry`` empty, "not in the knowledge base") rests on research only when
it names a reference (``research``). ``evidence_level`` is what a professional picked before the knowledge
base (read back, no longer asked); ``practice_based`` marks a choice that carried the former
"practice-based" level, which the recognition system does not have.

Goal keys stay the same from version to version, so actions and later versions can refer to a goal.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

GOAL_STATUSES = ("active", "achieved", "dropped")
TEXT_MAX = 1000
KEY_MAX = 40
ROWS_MAX = 50
NEW_KEY = {"g": re.compile(r"^g-[0-9a-f]{8}\Z"), "c": re.compile(r"^c-[0-9a-f]{8}\Z")}


def new_key(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


@dataclass
class Goal:
    key: str
    text: str
    values: list[str] = field(default_factory=list)
    determinants: list[str] = field(default_factory=list)
    status: str = "active"


@dataclass
class Choice:
    key: str
    description: str
    goal: str = ""
    research: str = ""
    evidence_level: str = ""
    expertise: str = ""
    preference: str = ""
    weighing: str = ""
    entry: str = ""
    entry_version: int = 0
    recognition: str = ""
    entry_references: int = 0
    practice_based: bool = False

    @property
    def in_knowledge_base(self) -> bool:
        return bool(self.entry)

    @property
    def has_research(self) -> bool:
        """Research counts only as a reference: the chosen entry's references, or a free choice's own.
        A level without a reference, or practice alone, is not a research source."""
        if self.entry:
            return self.entry_references > 0
        return bool(self.research.strip())

    @property
    def missing_sources(self) -> list[str]:
        """The knowledge sources this choice does not yet rest on (research, expertise, preference)."""
        missing = []
        if not self.has_research:
            missing.append("research")
        if not self.expertise.strip():
            missing.append("expertise")
        if not self.preference.strip():
            missing.append("preference")
        return missing


@dataclass(frozen=True)
class PlanEntry:
    """A knowledge-base entry a choice can pick, as the plan needs it (given by the caller, so this layer
    does not depend on the knowledge app): its key, published version, recognition, number of references
    and name."""

    key: str
    version: int
    recognition: str
    references: int
    name: str


@dataclass
class PlanContent:
    goals: list[Goal] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {"goals": [vars(g) for g in self.goals], "choices": [vars(c) for c in self.choices]},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> PlanContent:
        data = json.loads(text) if text else {}
        return cls(
            goals=[Goal(**g) for g in data.get("goals", [])],
            choices=[Choice(**c) for c in data.get("choices", [])],
        )

    def goal(self, key: str) -> Goal | None:
        return next((g for g in self.goals if g.key == key), None)

    @property
    def active_goals(self) -> list[Goal]:
        return [g for g in self.goals if g.status == "active"]

    @property
    def choices_missing_sources(self) -> list[Choice]:
        return [c for c in self.choices if c.missing_sources]


def _text(raw: dict, name: str, errors: dict, where: str, maximum: int = TEXT_MAX) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or "\x00" in value:
        errors[f"{where}-{name}"] = _("This text contains characters that cannot be stored.")
        return ""
    value = value.strip()
    if len(value) > maximum:
        errors[f"{where}-{name}"] = _("Use at most %(max)d characters (now %(n)d).") % {
            "max": maximum,
            "n": len(value),
        }
    return value


def _key(raw: dict, prefix: str, known: set[str], seen: set[str], errors: dict, where: str) -> str:
    """The row's key: one of the plan's (``known``), a new key in the usual form, or a fresh one when
    empty. A key that belongs to no goal or choice of the plan, or is used twice, is refused."""
    key = raw.get("key") or ""
    if not key:
        key = new_key(prefix)
        while key in known or key in seen:
            key = new_key(prefix)
    elif not isinstance(key, str) or (key not in known and not NEW_KEY[prefix].match(key)):
        errors[f"{where}-key"] = _(
            "This row does not belong to the plan. Reload the page and make your change again."
        )
        return ""
    elif key in seen:
        errors[f"{where}-key"] = _("This row appears twice. Reload the page and make your change again.")
        return ""
    seen.add(key)
    return key


def _keys(value, allowed: set[str]) -> list[str] | None:
    """A list of known keys, or None when it is something else."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None
    return list(dict.fromkeys(value)) if set(value) <= allowed else None


def check_content(
    goals: list[dict],
    choices: list[dict],
    *,
    values: set[str],
    determinants: set[str],
    known_goals: set[str] = frozenset(),
    known_choices: set[str] = frozenset(),
    entries: dict[str, PlanEntry] | None = None,
    previous: dict[str, Choice] | None = None,
) -> tuple[PlanContent, dict[str, str]]:
    """Clean the submitted goals and choices; return the content and errors keyed by ``goal-N-field`` /
    ``choice-N-field`` (N counts from 0 in the submitted order).

    ``known_goals``/``known_choices`` are the keys of the version the edit starts from: a row keeps its
    key when it is one of them; a new row has no key (one is made) or a new key in the usual form (made
    by the editor, so a choice can name a goal added in the same edit).

    ``entries`` are the knowledge-base entries a choice can pick (key -> ``PlanEntry``); a choice takes the
    entry's version, recognition and number of references from it. ``previous`` are the choices of the
    starting version by key: a choice keeps an entry it had (also one no longer offered), the evidence
    level it carried from before the knowledge base and its "practice-based" mark."""
    entries = entries or {}
    previous = previous or {}
    errors: dict[str, str] = {}
    content = PlanContent()
    seen: set[str] = set()
    if len(goals) > ROWS_MAX or len(choices) > ROWS_MAX:
        errors["__all__"] = _("A plan has at most %(max)d goals and %(max)d choices.") % {"max": ROWS_MAX}
        return content, errors
    kept_goals: set[str] = set()
    for index, raw in enumerate(goals):
        where = f"goal-{index}"
        key = _key(raw, "g", known_goals, seen, errors, where)
        kept_goals.add(key)
        text = _text(raw, "text", errors, where)
        if not text and f"{where}-text" not in errors:
            errors[f"{where}-text"] = _("Write the goal, in the client's own words.")
        status = raw.get("status") or "active"
        if status not in GOAL_STATUSES:
            errors[f"{where}-status"] = _("Choose a status from the list.")
        linked_values = _keys(raw.get("values") or [], values)
        linked_determinants = _keys(raw.get("determinants") or [], determinants)
        if linked_values is None or linked_determinants is None:
            errors[f"{where}-values"] = _("Choose work values and determinants from the lists.")
        if not any(name.startswith(f"{where}-") for name in errors):
            content.goals.append(Goal(key, text, linked_values, linked_determinants, status))
    for index, raw in enumerate(choices):
        where = f"choice-{index}"
        key = _key(raw, "c", known_choices, seen, errors, where)
        before = previous.get(key)
        entry = _choice_entry(raw.get("entry"), before, entries, errors, where)
        description = _text(raw, "description", errors, where)
        if not description and entry:
            description = entry.name if isinstance(entry, PlanEntry) else before.description
        if not description and f"{where}-description" not in errors:
            errors[f"{where}-description"] = _("Describe the intervention or choice.")
        goal = raw.get("goal") or ""
        if not isinstance(goal, str) or (goal and goal not in kept_goals):
            errors[f"{where}-goal"] = _("Choose one of the plan's goals.")
        texts = {name: _text(raw, name, errors, where) for name in ("research", "expertise", "preference")}
        texts["weighing"] = _text(raw, "weighing", errors, where)
        if not any(name.startswith(f"{where}-") for name in errors):
            choice = Choice(key, description, goal, **texts)
            if before is not None:
                choice.evidence_level, choice.practice_based = before.evidence_level, before.practice_based
            if isinstance(entry, PlanEntry):
                choice.entry, choice.entry_version = entry.key, entry.version
                choice.recognition, choice.entry_references = entry.recognition, entry.references
            elif entry:  # kept from the starting version
                choice.entry, choice.entry_version = before.entry, before.entry_version
                choice.recognition, choice.entry_references = before.recognition, before.entry_references
            content.choices.append(choice)
    return content, errors


def _choice_entry(value, before: Choice | None, entries: dict, errors: dict, where: str):
    """The entry a choice picks: a ``PlanEntry`` on offer, True for the entry the choice had already, or
    None for a free choice ("not in the knowledge base")."""
    if value in (None, ""):
        return None
    if isinstance(value, str) and value in entries:
        return entries[value]
    if before is not None and value == before.entry:
        return True
    errors[f"{where}-entry"] = _("Choose an entry of the knowledge base from the list, or none.")
    return None


def content_keys(content: PlanContent | None) -> tuple[set[str], set[str]]:
    """The goal keys and choice keys of a version's content."""
    if content is None:
        return set(), set()
    return {g.key for g in content.goals}, {c.key for c in content.choices}
