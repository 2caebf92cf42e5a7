"""Knowledge-base entry files: the format (docs/knowledge.md), its checker, and a reader of one version in
the active language.

The fields follow the description sheet of the Dutch recognition system (DOMAIN.md): name, owner or
licence holder, summary, target group (final and intermediate), goal, approach, working elements,
conditions (materials, training, costs), the work values and determinants it aims at, the contexts it fits,
contraindications, references and its recognition (level, assessing body, date, validity). A local practice
method is a kind of its own and is never given a recognition level. ``unverified`` says on the entry which
of its facts were not checked against the primary source.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from waardewerk.core.content import Checker, ContentError, localised
from waardewerk.knowledge.models import EntryKind, Recognition
from waardewerk.trajectories.models import Context

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
DOI = re.compile(r"^10\.\d{4,9}/\S{1,200}$")
URL = re.compile(r"^https?://\S{1,500}$")
FIELDS = (
    "key", "version", "kind", "name", "owner", "summary", "target_group", "goal", "approach",
    "working_elements", "conditions", "work_values", "determinants", "contexts", "contraindications",
    "references", "recognition", "unverified",
)  # fmt: skip
TEXTS = ("summary", "goal", "approach", "working_elements", "contraindications", "unverified")
REQUIRED_TEXTS = ("summary", "goal", "approach")
CONDITIONS = ("materials", "training", "costs")
TARGET_GROUPS = ("final", "intermediate")
MAX_REFERENCES = 30
MAX_TEXT = 5000
MAX_LINE = 500
ASSESSED = frozenset(Recognition.values) - {Recognition.NOT_ASSESSED}


class EntryError(ContentError):
    pass


def _date(c: Checker, value, where: str, required: bool) -> str:
    if value in (None, ""):
        if required:
            c.problem(where, "missing (a date: YYYY-MM-DD)")
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    c.problem(where, f"'{value}' is not a date (YYYY-MM-DD)")
    return ""


def _text(c: Checker, value, where: str, required: bool) -> dict | None:
    texts = c.text(value, where, required=required)
    for lang, text in (texts or {}).items():
        if len(text) > MAX_TEXT:
            c.problem(f"{where}.{lang}", f"at most {MAX_TEXT} characters")
    return texts


def check_entry(raw, *, values: set[str] | None = None, determinants: set[str] | None = None) -> dict:
    """Check a read entry file and return it normalised, or raise ``EntryError`` naming every problem.

    ``values`` and ``determinants`` are the keys the loaded instruments offer (their ``roles.plan``); when
    one is None (nothing loaded yet) those keys are checked for their form only."""
    c = Checker()
    raw = c.mapping(raw, "")
    c.unknown(raw, FIELDS, "")
    out: dict = {
        "key": c.key(raw.get("key"), "key", KEY, "lower-case letters, digits and hyphens"),
        "version": c.integer(raw.get("version"), "version", minimum=1),
        "kind": c.string(raw.get("kind"), "kind"),
        "name": _text(c, raw.get("name"), "name", True),
        "owner": c.string(raw.get("owner"), "owner", required=False),
    }
    if out["kind"] and out["kind"] not in EntryKind.values:
        c.problem("kind", f"unknown '{out['kind']}' (known: {', '.join(EntryKind.values)})")
    for name, text in (out["name"] or {}).items():
        if len(text) > 200:
            c.problem(f"name.{name}", "at most 200 characters")
    if len(out["owner"]) > MAX_LINE:
        c.problem("owner", f"at most {MAX_LINE} characters")
    for name in TEXTS:
        out[name] = _text(c, raw.get(name), name, name in REQUIRED_TEXTS)
    target = c.mapping(raw.get("target_group"), "target_group") if "target_group" in raw else None
    if target is None:
        c.problem("target_group", "missing (final, and intermediate when there is one)")
        target = {}
    c.unknown(target, TARGET_GROUPS, "target_group")
    out["target_group"] = {
        "final": _text(c, target.get("final"), "target_group.final", bool(target) or False),
        "intermediate": _text(c, target.get("intermediate"), "target_group.intermediate", False),
    }
    conditions = c.mapping(raw.get("conditions") or {}, "conditions")
    c.unknown(conditions, CONDITIONS, "conditions")
    out["conditions"] = {
        name: _text(c, conditions.get(name), f"conditions.{name}", False) for name in CONDITIONS
    }
    out["work_values"] = c.key_list(
        raw.get("work_values"),
        "work_values",
        allowed=sorted(values) if values is not None else None,
        pattern=KEY_TERM,
    )
    out["determinants"] = c.key_list(
        raw.get("determinants"),
        "determinants",
        allowed=sorted(determinants) if determinants is not None else None,
        pattern=KEY_TERM,
    )
    out["contexts"] = c.key_list(raw.get("contexts"), "contexts", allowed=Context.values)
    out["references"] = _references(c, raw.get("references"))
    out["recognition"] = _recognition(c, raw.get("recognition"), out["kind"])
    if c.problems:
        raise EntryError(c.problems)
    return out


KEY_TERM = re.compile(r"^[a-z0-9_.-]{1,60}$")


def _references(c: Checker, value) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        c.problem("references", "expected a list of {citation, doi, url}")
        return []
    if len(value) > MAX_REFERENCES:
        c.problem("references", f"at most {MAX_REFERENCES}")
    out = []
    for index, raw in enumerate(value[:MAX_REFERENCES]):
        where = f"references[{index}]"
        raw = c.mapping(raw, where)
        c.unknown(raw, ("citation", "doi", "url"), where)
        citation = c.string(raw.get("citation"), f"{where}.citation")
        doi = c.string(raw.get("doi"), f"{where}.doi", required=False)
        url = c.string(raw.get("url"), f"{where}.url", required=False)
        if len(citation) > MAX_LINE:
            c.problem(f"{where}.citation", f"at most {MAX_LINE} characters")
        if doi and not DOI.match(doi):
            c.problem(f"{where}.doi", f"'{doi}' is not a DOI (10.xxxx/...)")
        if url and not URL.match(url):
            c.problem(f"{where}.url", f"'{url}' is not a web address (http:// or https://)")
        out.append({"citation": citation, "doi": doi, "url": url})
    return out


def _recognition(c: Checker, value, kind: str) -> dict:
    raw = c.mapping(value, "recognition") if value is not None else {"level": Recognition.NOT_ASSESSED}
    c.unknown(raw, ("level", "body", "date", "valid_until", "reason"), "recognition")
    level = c.string(raw.get("level"), "recognition.level")
    if level and level not in Recognition.values:
        c.problem("recognition.level", f"unknown '{level}' (known: {', '.join(Recognition.values)})")
    assessed = level in ASSESSED
    if kind == EntryKind.LOCAL_PRACTICE and level and level != Recognition.NOT_ASSESSED:
        c.problem(
            "recognition.level",
            "a local practice method is a kind of its own, never a recognition level: use not_assessed "
            "(an assessed method is an intervention)",
        )
    body = c.string(raw.get("body"), "recognition.body", required=assessed)
    if len(body) > 200:
        c.problem("recognition.body", "at most 200 characters")
    out = {
        "level": level,
        "body": body,
        "date": _date(c, raw.get("date"), "recognition.date", assessed),
        "valid_until": _date(c, raw.get("valid_until"), "recognition.valid_until", False),
        "reason": _text(c, raw.get("reason"), "recognition.reason", level == Recognition.NOT_RECOGNISED),
    }
    if not assessed and (out["body"] or out["date"] or out["valid_until"]):
        c.problem("recognition", "an entry that is not assessed has no assessing body, date or validity")
    if out["date"] and out["valid_until"] and out["valid_until"] < out["date"]:
        c.problem("recognition.valid_until", "lies before the assessment date")
    return out


# Reading one version ------------------------------------------------------------------------------------

KIND_LABELS = dict(EntryKind.choices)
RECOGNITION_LABELS = dict(Recognition.choices)
CONDITION_LABELS = {"materials": _("Materials"), "training": _("Training"), "costs": _("Costs")}


@dataclass
class Entry:
    """One version of an entry, read in the active language."""

    definition: dict

    def __getattr__(self, name):
        data = self.__dict__["definition"]
        if name in TEXTS or name == "name":
            return localised(data.get(name))
        raise AttributeError(name)

    @property
    def key(self) -> str:
        return self.definition["key"]

    @property
    def kind(self) -> str:
        return self.definition["kind"]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def owner(self) -> str:
        return self.definition.get("owner", "")

    @property
    def target_final(self) -> str:
        return localised(self.definition["target_group"].get("final"))

    @property
    def target_intermediate(self) -> str:
        return localised(self.definition["target_group"].get("intermediate"))

    @property
    def conditions(self) -> list[tuple[str, str]]:
        return [
            (CONDITION_LABELS[name], localised(text))
            for name, text in self.definition.get("conditions", {}).items()
            if text
        ]

    @property
    def references(self) -> list[dict]:
        return self.definition.get("references", [])

    @property
    def recognition(self) -> dict:
        return self.definition["recognition"]

    @property
    def level(self) -> str:
        return self.recognition["level"]

    @property
    def level_label(self) -> str:
        return RECOGNITION_LABELS.get(self.level, self.level)

    @property
    def recognition_reason(self) -> str:
        return localised(self.recognition.get("reason"))

    @property
    def expired(self) -> bool:
        until = self.recognition.get("valid_until")
        return bool(until) and until < dt.date.today().isoformat()

    @property
    def searchable(self) -> str:
        """The texts a search looks in, lower case, in every language."""
        parts = [self.definition.get("owner", "")]
        for name in ("name", *TEXTS):
            parts.extend((self.definition.get(name) or {}).values())
        for group in self.definition["target_group"].values():
            parts.extend((group or {}).values())
        parts.extend(r["citation"] for r in self.references)
        return " ".join(parts).lower()
