"""Intervision method files: the format (docs/intervision.md), its checker, and the read-only view of one
version in the active language.

A method has a key, a version, a title and description (Dutch required, English optional), one or more
sources, and ordered phases. A phase says who speaks (the case owner, the facilitator, the members or
everyone), its timebox in minutes, its rules and what it produces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from waardewerk.core.content import Checker, ContentError, load_text, localised

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
SPEAKERS = {
    "case_owner": _("Case owner"),
    "facilitator": _("Facilitator"),
    "members": _("Members"),
    "everyone": _("Everyone"),
}
MAX_PHASES = 20
MAX_MINUTES = 240


class MethodError(ContentError):
    pass


def check_head(c: Checker, raw, body: str) -> tuple[dict, dict]:
    """The part every intervision content file shares (methods, review checkpoints): key, version, title,
    description and sources, beside one list named ``body``. Returns the raw mapping and the output so far."""
    raw = c.mapping(raw, "")
    c.unknown(raw, ("key", "version", "title", "description", "sources", body), "")
    out = {
        "key": c.key(raw.get("key"), "key", KEY, "lower-case letters, digits and hyphens"),
        "version": c.integer(raw.get("version"), "version", minimum=1),
        "title": c.text(raw.get("title"), "title"),
        "description": c.text(raw.get("description"), "description"),
        "sources": [],
        body: [],
    }
    sources = raw.get("sources")
    if not isinstance(sources, list) or not sources:
        c.problem("sources", "name at least one source (a list of texts)")
    else:
        for index, source in enumerate(sources):
            text = c.string(source, f"sources[{index}]")
            if text:
                out["sources"].append(text)
    return raw, out


def check_method(raw) -> dict:
    """Check a read method file and return it normalised, or raise ``MethodError`` naming every problem."""
    c = Checker()
    raw, out = check_head(c, raw, "phases")
    phases = raw.get("phases")
    if not isinstance(phases, list) or not phases:
        c.problem("phases", "give at least one phase (a list)")
        phases = []
    if len(phases) > MAX_PHASES:
        c.problem("phases", f"at most {MAX_PHASES} phases")
    keys = set()
    for index, phase in enumerate(phases):
        where = f"phases[{index}]"
        phase = c.mapping(phase, where)
        c.unknown(phase, ("key", "title", "speaker", "minutes", "rules", "produces"), where)
        key = c.key(phase.get("key"), f"{where}.key", KEY, "lower-case letters, digits and hyphens")
        if key in keys:
            c.problem(f"{where}.key", f"'{key}' is used twice")
        keys.add(key)
        speaker = c.string(phase.get("speaker"), f"{where}.speaker")
        if speaker and speaker not in SPEAKERS:
            c.problem(f"{where}.speaker", f"unknown '{speaker}' (known: {', '.join(SPEAKERS)})")
        minutes = c.integer(phase.get("minutes"), f"{where}.minutes", minimum=1)
        if minutes is not None and minutes > MAX_MINUTES:
            c.problem(f"{where}.minutes", f"at most {MAX_MINUTES}")
        rules = phase.get("rules") or []
        if not isinstance(rules, list):
            c.problem(f"{where}.rules", "expected a list of texts per language")
            rules = []
        out["phases"].append(
            {
                "key": key,
                "title": c.text(phase.get("title"), f"{where}.title"),
                "speaker": speaker,
                "minutes": minutes,
                "rules": [c.text(rule, f"{where}.rules[{i}]") for i, rule in enumerate(rules)],
                "produces": c.text(phase.get("produces"), f"{where}.produces"),
            }
        )
    if c.problems:
        raise MethodError(c.problems)
    return out


def parse_method(text: str, filename: str = "") -> dict:
    return check_method(load_text(text, filename, MethodError))


@dataclass(frozen=True)
class MethodPhase:
    key: str
    title: str
    speaker: str
    speaker_label: str
    minutes: int
    rules: list[str]
    produces: str


@dataclass(frozen=True)
class Method:
    """One version of a method in the active language."""

    key: str
    version: int
    title: str
    description: str
    sources: list[str]
    phases: list[MethodPhase]

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.phases)

    @classmethod
    def from_definition(cls, definition: dict) -> Method:
        return cls(
            key=definition["key"],
            version=definition["version"],
            title=localised(definition["title"]),
            description=localised(definition["description"]),
            sources=list(definition["sources"]),
            phases=[
                MethodPhase(
                    key=p["key"],
                    title=localised(p["title"]),
                    speaker=p["speaker"],
                    speaker_label=str(SPEAKERS[p["speaker"]]),
                    minutes=p["minutes"],
                    rules=[localised(r) for r in p["rules"]],
                    produces=localised(p["produces"]),
                )
                for p in definition["phases"]
            ],
        )
