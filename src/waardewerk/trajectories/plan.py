"""The content of a plan version: goals and choices (interventions), checked and read back.

Stored as encrypted JSON in ``PlanVersion.content``::

    {"goals": [{"key": "g-1a2b3c4d", "text": "...", "values": ["income"], "determinants": ["self_efficacy"],
                "status": "active"}],
     "choices": [{"key": "c-...", "goal": "g-1a2b3c4d", "description": "...", "research": "...",
                  "evidence_level": "well_founded", "expertise": "...", "preference": "..."}]}

Goal keys stay the same from version to version, so actions and later versions can refer to a goal.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from waardewerk.trajectories.models import EvidenceLevel

GOAL_STATUSES = ("active", "achieved", "dropped")
TEXT_MAX = 1000


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

    @property
    def missing_sources(self) -> list[str]:
        """The knowledge sources this choice does not yet rest on (research, expertise, preference)."""
        missing = []
        if not self.research.strip() and not self.evidence_level:
            missing.append("research")
        if not self.expertise.strip():
            missing.append("expertise")
        if not self.preference.strip():
            missing.append("preference")
        return missing


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


def check_content(
    goals: list[dict], choices: list[dict], *, values: set[str], determinants: set[str]
) -> tuple[PlanContent, dict[str, str]]:
    """Clean the submitted goals and choices; return the content and errors keyed by ``goal-N-field`` /
    ``choice-N-field`` (N counts from 0 in the submitted order)."""
    errors: dict[str, str] = {}
    content = PlanContent()
    seen: set[str] = set()
    for index, raw in enumerate(goals):
        text = (raw.get("text") or "").strip()
        if not text:
            errors[f"goal-{index}-text"] = _("Write the goal, in the client's own words.")
            continue
        if len(text) > TEXT_MAX:
            errors[f"goal-{index}-text"] = _("Use at most %(max)d characters.") % {"max": TEXT_MAX}
            continue
        key = raw.get("key") or new_key("g")
        if key in seen:
            key = new_key("g")
        seen.add(key)
        status = raw.get("status") or "active"
        if status not in GOAL_STATUSES:
            errors[f"goal-{index}-status"] = _("Choose a status from the list.")
            continue
        unknown = [v for v in raw.get("values", []) if v not in values] + [
            d for d in raw.get("determinants", []) if d not in determinants
        ]
        if unknown:
            errors[f"goal-{index}-values"] = _("Unknown work value or determinant: %(keys)s.") % {
                "keys": ", ".join(unknown)
            }
            continue
        content.goals.append(
            Goal(key, text, list(raw.get("values", [])), list(raw.get("determinants", [])), status)
        )
    goal_keys = {g.key for g in content.goals}
    for index, raw in enumerate(choices):
        description = (raw.get("description") or "").strip()
        if not description:
            errors[f"choice-{index}-description"] = _("Describe the intervention or choice.")
            continue
        goal = raw.get("goal") or ""
        if goal and goal not in goal_keys:
            errors[f"choice-{index}-goal"] = _("Choose one of the plan's goals.")
            continue
        level = raw.get("evidence_level") or ""
        if level not in EvidenceLevel.values:
            errors[f"choice-{index}-evidence_level"] = _("Choose an evidence level from the list.")
            continue
        texts = {name: (raw.get(name) or "").strip() for name in ("research", "expertise", "preference")}
        too_long = [name for name, value in texts.items() if len(value) > TEXT_MAX]
        if too_long or len(description) > TEXT_MAX:
            errors[f"choice-{index}-{(too_long or ['description'])[0]}"] = _(
                "Use at most %(max)d characters."
            ) % {"max": TEXT_MAX}
            continue
        content.choices.append(
            Choice(raw.get("key") or new_key("c"), description, goal, evidence_level=level, **texts)
        )
    return content, errors
