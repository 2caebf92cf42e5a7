"""Instrument definitions: parse and check a definition file, and read a stored definition.

The format is described in docs/instrument-format.md. ``parse_definition`` turns the text of a YAML or
JSON file into a normalised dict and raises ``DefinitionError`` with every problem found (each naming
where it is), so an organisation loading its own file sees at once what to fix. ``Definition`` wraps a
stored (already checked) dict for the forms, the scoring and the charts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from waardewerk.core.content import Checker, ContentError, checksum, load_text, localised
from waardewerk.instruments.scoring import RULES

__all__ = [
    "Definition",
    "DefinitionError",
    "ItemError",
    "Roles",
    "by_order",
    "checksum",
    "localised",
    "parse_definition",
]

FORMAT_VERSION = 1
KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
ITEM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,79}$")
RESPONDENTS = ("client", "professional")
CONTEXTS = ("first_track", "second_track", "participation_act", "ww", "wia_wga", "other")
VALIDATION_STATUSES = ("validated", "not_validated")
SCALE_TYPES = ("ordinal", "number")

# Roles: what the product does with an instrument (docs/instrument-format.md, "Roles").
ROLE_FIELDS = (
    "checklist",
    "effect",
    "explanation",
    "reports",
    "sensitivity",
    "plan",
    "outcome",
    "attention",
    "quality",
    "matching",
)
CHECKLIST_MOMENTS = ("intake", "final")
# summary kind -> the scoring rules whose results it reads, and the charts it can draw (the first is its own)
SUMMARY_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "capability_set": (("capability_set",), ("set_size", "parts")),
    "dimensions": (("profile",), ("dimensions", "groups")),
    "groups": (("profile",), ("groups", "dimensions")),
    "level": (("level",), ("level",)),
    "total": (("sum", "mean"), ("total",)),
}
DEFAULT_SUMMARY = {
    "capability_set": "capability_set",
    "profile": "dimensions",
    "level": "level",
    "sum": "total",
    "mean": "total",
}
DEFAULT_CHARTS = {
    "capability_set": ["set_size", "parts"],
    "dimensions": ["dimensions"],
    "groups": ["groups"],
    "level": ["level"],
    "total": ["total"],
}
DEFAULT_ORDER = 100
DEFAULT_GAP = 2
# The report versions (reports.rules.Audience) and how much of an instrument's results each may show.
REPORT_AUDIENCES = ("file", "commissioner", "employer")
REPORT_SHOWS = ("none", "summary", "full")
DEFAULT_REPORTS = {"file": "full", "commissioner": "full", "employer": "none"}
SENSITIVITIES = ("none", "health")
# plan role -> the scoring rule it reads its vocabulary from
PLAN_LINKS = {"work_values": "capability_set", "determinants": "profile"}
OUTCOMES = {"level": "level"}
# What the team quality figures read (docs/quality.md): the scoring rules it needs.
QUALITY_ROLES = {"experience": ("mean", "sum")}
# What the matching app reads (docs/matching.md): matching role -> the scoring rule it needs.
MATCHING_ROLES = {"work_values": "capability_set"}
MAX_EXPLANATION = 12


class DefinitionError(ContentError):
    """A definition file that cannot be loaded; ``problems`` lists each problem with its place."""


def parse_definition(text: str, filename: str = "") -> dict:
    """Check a definition file and return the normalised definition, or raise DefinitionError."""
    raw = load_text(text, filename, DefinitionError)
    check = Checker()
    data = check.mapping(raw, "file")
    if not data:
        raise DefinitionError(check.problems or ["the file is empty"])
    known = {
        "format",
        "key",
        "version",
        "title",
        "short_title",
        "client_title",
        "purpose",
        "intro",
        "source",
        "licence",
        "validation",
        "respondents",
        "framings",
        "scales",
        "groups",
        "items",
        "scoring",
        "schedule",
        "roles",
    }
    for name in data:
        if name not in known:
            check.problem(str(name), "unknown field")
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        check.problem("format", f"only format {FORMAT_VERSION} exists")
    out: dict = {"format": FORMAT_VERSION}
    key = check.string(data.get("key"), "key")
    if key and not KEY_RE.match(key):
        check.problem("key", "use lower case letters, digits, '_' or '-', starting with a letter")
    out["key"] = key
    out["version"] = check.integer(data.get("version"), "version", minimum=1)
    out["title"] = check.text(data.get("title"), "title")
    out["short_title"] = check.text(data.get("short_title"), "short_title", required=False)
    if "client_title" in data:  # written only when declared: a file without it keeps its checksum
        out["client_title"] = check.text(data.get("client_title"), "client_title")
    out["purpose"] = check.text(data.get("purpose"), "purpose")
    out["intro"] = check.text(data.get("intro"), "intro", required=False)
    out["licence"] = check.text(data.get("licence"), "licence")

    source = check.mapping(data.get("source"), "source")
    out["source"] = {
        "citation": check.string(source.get("citation"), "source.citation"),
        "doi": check.string(source.get("doi"), "source.doi", required=False),
        "url": check.string(source.get("url"), "source.url", required=False),
        "wording": check.text(source.get("wording"), "source.wording", required=False),
    }

    validation = check.mapping(data.get("validation"), "validation")
    status = validation.get("status")
    if status not in VALIDATION_STATUSES:
        check.problem("validation.status", f"use one of {', '.join(VALIDATION_STATUSES)}")
    out["validation"] = {
        "status": status,
        "reference": check.string(validation.get("reference"), "validation.reference", status == "validated"),
        "note": check.text(validation.get("note"), "validation.note", status == "not_validated"),
    }

    respondents = data.get("respondents")
    if not isinstance(respondents, list) or not respondents or not set(respondents) <= set(RESPONDENTS):
        check.problem("respondents", f"a list with one or both of {', '.join(RESPONDENTS)}")
        respondents = ["client"]
    out["respondents"] = list(dict.fromkeys(respondents))

    out["framings"] = _parse_framings(check, data.get("framings") or [])
    framing_keys = [f["key"] for f in out["framings"]]
    out["scales"] = _parse_scales(check, data.get("scales"))
    out["groups"] = _parse_groups(check, data.get("groups") or [])
    out["items"] = _parse_items(check, data.get("items"), out["scales"], out["groups"], framing_keys)
    out["scoring"] = _parse_scoring(check, data.get("scoring"), out["items"], out["scales"])
    out["schedule"] = _parse_schedule(check, data.get("schedule"))
    if "roles" in data:  # a file without roles stores none, so its checksum stays what it was
        out["roles"] = _parse_roles(check, data.get("roles"), out)
    if check.problems:
        raise DefinitionError(check.problems)
    return out


def _parse_framings(check: Checker, framings) -> list[dict]:
    if not isinstance(framings, list):
        check.problem("framings", "expected a list")
        return []
    out, seen = [], set()
    for index, framing in enumerate(framings):
        where = f"framings[{index}]"
        framing = check.mapping(framing, where)
        key = check.string(framing.get("key"), f"{where}.key")
        if key in seen:
            check.problem(f"{where}.key", f"'{key}' is used twice")
        seen.add(key)
        contexts = framing.get("contexts") or []
        if not isinstance(contexts, list) or not set(contexts) <= set(CONTEXTS):
            check.problem(f"{where}.contexts", f"a list of {', '.join(CONTEXTS)}")
            contexts = []
        respondent = framing.get("respondent") or ""
        if respondent and respondent not in RESPONDENTS:
            check.problem(f"{where}.respondent", f"use one of {', '.join(RESPONDENTS)}")
        out.append(
            {
                "key": key,
                "label": check.text(framing.get("label"), f"{where}.label"),
                "intro": check.text(framing.get("intro"), f"{where}.intro", required=False),
                "contexts": contexts,
                "respondent": respondent,
            }
        )
    return out


def _parse_scales(check: Checker, scales) -> dict:
    scales = check.mapping(scales, "scales")
    if not scales:
        check.problem("scales", "at least one scale is needed")
    out = {}
    for name, scale in scales.items():
        where = f"scales.{name}"
        scale = check.mapping(scale, where)
        kind = scale.get("type")
        if kind not in SCALE_TYPES:
            check.problem(f"{where}.type", f"use one of {', '.join(SCALE_TYPES)}")
            continue
        if kind == "ordinal":
            values = scale.get("values")
            if not isinstance(values, list) or len(values) < 2:
                check.problem(f"{where}.values", "an ordinal scale needs at least two values")
                continue
            parsed, seen = [], set()
            for index, entry in enumerate(values):
                entry_where = f"{where}.values[{index}]"
                entry = check.mapping(entry, entry_where)
                value = check.integer(entry.get("value"), f"{entry_where}.value")
                if value in seen:
                    check.problem(f"{entry_where}.value", f"{value} is used twice")
                seen.add(value)
                parsed.append(
                    {
                        "value": value,
                        "label": check.text(entry.get("label"), f"{entry_where}.label"),
                        "description": check.text(
                            entry.get("description"), f"{entry_where}.description", required=False
                        ),
                    }
                )
            numbers = [v["value"] for v in parsed if v["value"] is not None]
            out[name] = {
                "type": kind,
                "values": parsed,
                "min": min(numbers, default=0),
                "max": max(numbers, default=0),
            }
        else:
            low = check.integer(scale.get("min"), f"{where}.min")
            high = check.integer(scale.get("max"), f"{where}.max")
            if low is not None and high is not None and high <= low:
                check.problem(f"{where}.max", "must be larger than min")
            out[name] = {"type": kind, "values": [], "min": low, "max": high}
    return out


def _parse_groups(check: Checker, groups) -> list[dict]:
    if not isinstance(groups, list):
        check.problem("groups", "expected a list")
        return []
    out, seen = [], set()
    for index, group in enumerate(groups):
        where = f"groups[{index}]"
        group = check.mapping(group, where)
        key = check.string(group.get("key"), f"{where}.key")
        if key in seen:
            check.problem(f"{where}.key", f"'{key}' is used twice")
        seen.add(key)
        out.append(
            {
                "key": key,
                "title": check.text(group.get("title"), f"{where}.title"),
                "description": check.text(group.get("description"), f"{where}.description", required=False),
            }
        )
    return out


def _parse_items(check: Checker, items, scales: dict, groups: list[dict], framings: list[str]) -> list[dict]:
    if not isinstance(items, list) or not items:
        check.problem("items", "a list of at least one item is needed")
        return []
    group_keys = {g["key"] for g in groups}
    out, seen = [], set()
    for index, item in enumerate(items):
        item = check.mapping(item, f"items[{index}]")
        item_id = check.string(item.get("id"), f"items[{index}].id")
        where = f"items[{index}] ({item_id})" if item_id else f"items[{index}]"
        if item_id and not ITEM_RE.match(item_id):
            check.problem(f"{where}.id", "use letters, digits, '_', '-' or '.', starting with a letter")
        if item_id in seen:
            check.problem(f"{where}.id", "is used twice")
        seen.add(item_id)
        unknown = set(item) - {
            "id",
            "group",
            "scale",
            "answers",
            "short",
            "client_short",
            "framings",
            "text",
            "help",
            "note",
            "required",
        }
        for name in sorted(unknown):
            check.problem(f"{where}.{name}", "unknown field")
        group = item.get("group") or ""
        if group and group not in group_keys:
            check.problem(f"{where}.group", f"no group '{group}' is defined")
        scale = item.get("scale")
        if scale not in scales:
            check.problem(f"{where}.scale", f"no scale '{scale}' is defined")
        text = item.get("text")
        texts: dict = {}
        if isinstance(text, dict) and framings and set(text) <= set(framings) and set(text):
            missing = [f for f in framings if f not in text]
            if missing:
                check.problem(f"{where}.text", f"a text is missing for framing {', '.join(missing)}")
            for framing, framed in text.items():
                texts[framing] = check.text(framed, f"{where}.text.{framing}")
        else:
            texts["*"] = check.text(text, f"{where}.text")
        for flag in ("note", "required"):
            if flag in item and not isinstance(item[flag], bool):
                check.problem(f"{where}.{flag}", "use true or false")
        answers = (
            _parse_answers(check, item.get("answers"), where, scale, scales, framings)
            if "answers" in item
            else None
        )
        out.append(
            {
                "id": item_id,
                "group": group,
                "scale": scale,
                "short": check.text(item.get("short"), f"{where}.short", required=False),
                "text": texts,
                "help": _parse_help(check, item.get("help"), where, framings),
                "note": bool(item.get("note", False)),
                "required": bool(item.get("required", True)),
            }
            | ({"answers": answers} if answers is not None else {})  # only when declared: same checksum
            | _optional_item_fields(check, item, where, framings)
        )
    return out


def _optional_item_fields(check: Checker, item: dict, where: str, framings: list[str]) -> dict:
    """``client_short`` (the item's name in the client's words, outside the form) and ``framings`` (the
    framings that ask the item; others skip it): stored only when declared, so a file without them keeps
    its checksum."""
    out: dict = {}
    if "client_short" in item:
        out["client_short"] = check.text(item.get("client_short"), f"{where}.client_short")
    if "framings" in item:
        asked = item.get("framings")
        if not isinstance(asked, list) or not asked or not set(asked) <= set(framings):
            check.problem(
                f"{where}.framings", f"a list of defined framings ({', '.join(framings) or 'none'})"
            )
        else:
            out["framings"] = list(dict.fromkeys(asked))
    return out


def _parse_help(check: Checker, help_text, where: str, framings: list[str]) -> dict | None:
    """An item's ``help``: one text, or one per framing (a framing left out gets none). One text is stored
    as before (a map of languages), so a file without framed help keeps its checksum."""
    if isinstance(help_text, dict) and framings and help_text and set(help_text) <= set(framings):
        return {"framed": {f: check.text(t, f"{where}.help.{f}") for f, t in help_text.items()}}
    return check.text(help_text, f"{where}.help", required=False)


def _parse_answers(check: Checker, answers, where: str, scale, scales: dict, framings: list[str]) -> dict:
    """``answers``: per framing, the scale whose labels the respondent reads in that framing (a client's
    words for a question the professional answers on a technical scale). Scoring reads ``scale``; an
    answer scale has exactly its values."""
    if not isinstance(answers, dict) or not answers:
        check.problem(f"{where}.answers", "a map of framing to scale, e.g. {client: trust5}")
        return {}
    out = {}
    values = {e["value"] for e in scales.get(scale, {}).get("values", [])} if scale in scales else None
    for framing, key in answers.items():
        if framing not in framings:
            check.problem(f"{where}.answers.{framing}", "no framing of that name is defined")
        elif key not in scales:
            check.problem(f"{where}.answers.{framing}", f"no scale '{key}' is defined")
        elif values is not None and {e["value"] for e in scales[key].get("values", [])} != values:
            check.problem(
                f"{where}.answers.{framing}", f"scale '{key}' must have the values of scale '{scale}'"
            )
        else:
            out[framing] = key
    return out


def _parse_scoring(check: Checker, scoring, items: list[dict], scales: dict) -> dict:
    scoring = check.mapping(scoring, "scoring")
    rule = scoring.get("rule")
    params = scoring.get("params") or {}
    if rule not in RULES:
        check.problem("scoring.rule", f"unknown rule '{rule}' (known: {', '.join(sorted(RULES))})")
        return {"rule": rule, "params": params}
    params = check.mapping(params, "scoring.params") if params else {}
    for problem in RULES[rule].check(params, {i["id"]: i for i in items}, scales):
        check.problem("scoring.params", problem)
    return {"rule": rule, "params": params}


def _parse_schedule(check: Checker, schedule) -> dict | None:
    if schedule is None:
        return None
    schedule = check.mapping(schedule, "schedule")
    return {
        "interval_days": check.integer(schedule.get("interval_days"), "schedule.interval_days", 1),
        "first_within_days": check.integer(
            schedule.get("first_within_days", 28), "schedule.first_within_days", 0
        ),
    }


def default_roles(rule: str) -> dict:
    """The roles of an instrument whose (current) definition declares none: shown in the effect view, the
    portal and the file and commissioner reports as its scoring rule suggests; no checklist, no employer."""
    summary = DEFAULT_SUMMARY.get(rule, "total")
    return {
        "checklist": {},
        "effect": {"order": DEFAULT_ORDER, "summary": summary, "charts": list(DEFAULT_CHARTS[summary])},
        "explanation": [],
        "reports": dict(DEFAULT_REPORTS),
        "sensitivity": "none",
        "plan": "",
        "outcome": "",
    }


def _parse_roles(check: Checker, roles, out: dict) -> dict:
    """Check the ``roles`` section against the rest of the definition (rule, respondents, groups) and return
    it complete, with the defaults filled in."""
    rule = out["scoring"]["rule"]
    params = out["scoring"].get("params") or {}
    result = default_roles(rule)
    if roles is None:
        return result
    roles = check.mapping(roles, "roles")
    check.unknown(roles, ROLE_FIELDS, "roles")

    checklist = roles.get("checklist")
    if checklist is not None:
        checklist = check.mapping(checklist, "roles.checklist")
        check.unknown(checklist, CHECKLIST_MOMENTS, "roles.checklist")
        for moment in CHECKLIST_MOMENTS:
            value = checklist.get(moment)
            where = f"roles.checklist.{moment}"
            if value is None or value is False:
                continue
            if value is True:
                result["checklist"][moment] = True
            elif isinstance(value, list) and value:
                who = check.key_list(value, where, allowed=RESPONDENTS)
                for index, respondent in enumerate(who):
                    if respondent not in out["respondents"]:
                        check.problem(
                            f"{where}[{index}]",
                            f"'{respondent}' is not a respondent of this instrument "
                            f"(respondents: {', '.join(out['respondents'])})",
                        )
                result["checklist"][moment] = who
            else:
                check.problem(
                    where, "use true (anyone answers), or a list of respondents (client, professional)"
                )

    effect = roles.get("effect")
    if effect is not None:
        effect = check.mapping(effect, "roles.effect")
        check.unknown(effect, ("order", "summary", "charts", "gap"), "roles.effect")
        if "order" in effect:
            result["effect"]["order"] = check.integer(effect["order"], "roles.effect.order", 0)
        summary = effect.get("summary", result["effect"]["summary"])
        if not isinstance(summary, str) or summary not in SUMMARY_KINDS:
            check.problem("roles.effect.summary", f"use one of {', '.join(SUMMARY_KINDS)}")
            summary = result["effect"]["summary"]
        elif rule not in SUMMARY_KINDS[summary][0]:
            check.problem(
                "roles.effect.summary",
                f"'{summary}' does not fit scoring rule '{rule}' (use {DEFAULT_SUMMARY.get(rule, 'total')})",
            )
        has_groups = bool(params.get("groups")) if isinstance(params, dict) else False
        if summary == "groups" and not has_groups:
            check.problem("roles.effect.summary", "'groups' needs scoring.params.groups")
        result["effect"]["summary"] = summary
        charts = list(DEFAULT_CHARTS[summary])
        if "charts" in effect:
            charts = check.key_list(
                effect["charts"], "roles.effect.charts", allowed=SUMMARY_KINDS[summary][1]
            )
            if "groups" in charts and not has_groups:
                check.problem("roles.effect.charts", "the 'groups' chart needs scoring.params.groups")
        result["effect"]["charts"] = charts
        if "gap" in effect:
            if summary not in ("dimensions", "groups"):
                check.problem("roles.effect.gap", "only for summary 'dimensions' or 'groups'")
            else:
                result["effect"]["gap"] = check.integer(effect["gap"], "roles.effect.gap", 1)
    if result["effect"]["summary"] in ("dimensions", "groups"):
        result["effect"].setdefault("gap", DEFAULT_GAP)

    explanation = roles.get("explanation")
    if explanation is not None:
        if not isinstance(explanation, list) or not explanation or len(explanation) > MAX_EXPLANATION:
            check.problem(
                "roles.explanation",
                f'a list of 1 to {MAX_EXPLANATION} paragraphs, each {{nl: "...", en: "..."}}',
            )
        else:
            result["explanation"] = [
                check.text(text, f"roles.explanation[{index}]") for index, text in enumerate(explanation)
            ]

    reports = roles.get("reports")
    if reports is not None:
        reports = check.mapping(reports, "roles.reports")
        check.unknown(reports, REPORT_AUDIENCES, "roles.reports")
        for audience in REPORT_AUDIENCES:
            if audience not in reports:
                continue
            if not isinstance(reports[audience], str) or reports[audience] not in REPORT_SHOWS:
                check.problem(f"roles.reports.{audience}", f"use one of {', '.join(REPORT_SHOWS)}")
            else:
                result["reports"][audience] = reports[audience]

    sensitivity = roles.get("sensitivity", "none")
    if not isinstance(sensitivity, str) or sensitivity not in SENSITIVITIES:
        check.problem("roles.sensitivity", f"use one of {', '.join(SENSITIVITIES)}")
    else:
        result["sensitivity"] = sensitivity
    if result["sensitivity"] == "health" and result["reports"]["employer"] != "none":
        check.problem(
            "roles.reports.employer",
            "an instrument with sensitivity 'health' never goes to an employer (GDPR art. 9): use none",
        )

    for name, allowed in (("plan", PLAN_LINKS), ("outcome", OUTCOMES)):
        value = roles.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or value not in allowed:
            check.problem(f"roles.{name}", f"use one of {', '.join(allowed)}")
        elif rule != allowed[value]:
            check.problem(f"roles.{name}", f"'{value}' needs scoring rule '{allowed[value]}', not '{rule}'")
        else:
            result[name] = value

    quality = roles.get("quality")
    if quality is not None:
        if not isinstance(quality, str) or quality not in QUALITY_ROLES:
            check.problem("roles.quality", f"use one of {', '.join(QUALITY_ROLES)}")
        elif rule not in QUALITY_ROLES[quality]:
            check.problem(
                "roles.quality",
                f"'{quality}' needs scoring rule {' or '.join(QUALITY_ROLES[quality])}, not '{rule}'",
            )
        elif "client" not in (out.get("respondents") or ()):
            check.problem("roles.quality", f"'{quality}' needs the client as a respondent")
        else:
            result["quality"] = quality  # only when declared: a file without it is stored as before

    matching = roles.get("matching")
    if matching is not None:
        if not isinstance(matching, str) or matching not in MATCHING_ROLES:
            check.problem("roles.matching", f"use one of {', '.join(MATCHING_ROLES)}")
        elif rule != MATCHING_ROLES[matching]:
            check.problem(
                "roles.matching",
                f"'{matching}' needs scoring rule '{MATCHING_ROLES[matching]}', not '{rule}'",
            )
        else:
            result["matching"] = matching  # only when declared: a file without it is stored as before

    attention = roles.get("attention")
    if attention is not None:
        attention = check.mapping(attention, "roles.attention")
        if result["plan"] != "determinants":
            check.problem("roles.attention", "needs plan: determinants (a goal must be able to work on it)")
        dimensions = (params.get("dimensions") or []) if isinstance(params, dict) else []
        # Only a declared section is stored, so files without one keep their checksum.
        result["attention"] = {}
        for item, highest in attention.items():
            where = f"roles.attention.{item}"
            if item not in dimensions:
                check.problem(where, "not one of the dimensions (scoring.params.dimensions)")
                continue
            result["attention"][item] = check.integer(highest, where, 0)
    return result


@dataclass(frozen=True)
class ItemError:
    item: str
    message: str


class Roles:
    """What the product does with an instrument (checklist, effect view, portal, reports, plan, evaluation),
    read from a stored definition's ``roles``, or the defaults of its scoring rule when it has none."""

    def __init__(self, data: dict | None, rule: str):
        self.declared = data is not None
        self.data = data if data is not None else default_roles(rule)

    def checklist(self, moment: str) -> list[str]:
        """Who is expected to have answered at this moment (``intake``, ``final``): ``[""]`` for anyone,
        a list of respondents for one check each, or ``[]`` when the checklist does not ask for it."""
        value = self.data["checklist"].get(moment)
        if value is True:
            return [""]
        return list(value or [])

    @property
    def order(self) -> int:
        return self.data["effect"]["order"]

    @property
    def summary(self) -> str:
        return self.data["effect"]["summary"]

    @property
    def charts(self) -> list[str]:
        return self.data["effect"]["charts"]

    @property
    def gap(self) -> int:
        return self.data["effect"].get("gap", DEFAULT_GAP)

    @property
    def explanation(self) -> list[str]:
        """The plain-language explanation for the client, one paragraph each, in the active language."""
        return [localised(text) for text in self.data["explanation"]]

    def report(self, audience: str) -> str:
        """How much of the results a report version shows: none, summary or full."""
        if audience == "employer" and self.health_related:
            return "none"
        return self.data["reports"].get(audience, DEFAULT_REPORTS.get(audience, "none"))

    @property
    def health_related(self) -> bool:
        return self.data["sensitivity"] == "health"

    @property
    def plan(self) -> str:
        return self.data["plan"]

    @property
    def outcome(self) -> str:
        return self.data["outcome"]

    @property
    def quality(self) -> str:
        """What the team quality figures read from this instrument (``experience``), or empty."""
        return self.data.get("quality", "")

    @property
    def matching(self) -> str:
        """What the matching app reads from this instrument (``work_values``: the client's side of the value
        fit, docs/matching.md), or empty."""
        return self.data.get("matching", "")

    @property
    def attention(self) -> dict[str, int]:
        """Dimensions that ask for a goal on them when rated this low or lower (the case review)."""
        return dict(self.data.get("attention") or {})


def by_order(definitions):
    """Definitions (or objects with a ``definition``) in the effect view's order: ``roles.effect.order``,
    then key."""

    def sort_key(entry):
        definition = getattr(entry, "definition", entry)
        return (definition.roles.order, definition.key)

    return sorted(definitions, key=sort_key)


class Definition:
    """A stored definition, with what forms, scoring and charts need.

    ``current`` is the stored definition of the instrument's current version: an instrument's roles are
    those of its current version, also for measurements taken with an older version (which may have none)."""

    def __init__(self, data: dict, current: dict | None = None):
        self.data = data
        self._roles_source = current if current is not None else data

    @cached_property
    def roles(self) -> Roles:
        source = self._roles_source
        return Roles(source.get("roles"), source["scoring"]["rule"])

    @property
    def key(self) -> str:
        return self.data["key"]

    @property
    def version(self) -> int:
        return self.data["version"]

    @property
    def title(self) -> str:
        return localised(self.data["title"])

    @property
    def short_title(self) -> str:
        return localised(self.data.get("short_title")) or self.title

    @property
    def client_title(self) -> str:
        """The title the client reads in the portal: plain words (B1), no abbreviation or instrument name;
        the title when the definition gives none."""
        return localised(self.data.get("client_title")) or self.title

    @property
    def purpose(self) -> str:
        return localised(self.data["purpose"])

    @property
    def intro(self) -> str:
        return localised(self.data.get("intro"))

    @property
    def licence(self) -> str:
        return localised(self.data["licence"])

    @property
    def validation_note(self) -> str:
        return localised(self.data["validation"].get("note"))

    @property
    def wording(self) -> str:
        return localised(self.data["source"].get("wording"))

    @property
    def is_validated(self) -> bool:
        return self.data["validation"]["status"] == "validated"

    @property
    def rule(self) -> str:
        return self.data["scoring"]["rule"]

    @property
    def params(self) -> dict:
        return self.data["scoring"]["params"]

    @cached_property
    def items(self) -> dict[str, dict]:
        return {item["id"]: item for item in self.data["items"]}

    @cached_property
    def groups(self) -> dict[str, dict]:
        return {group["key"]: group for group in self.data["groups"]}

    def group_title(self, key: str) -> str:
        """A group's title (for the LWC: the work value's name), or its key when it has none."""
        return localised(self.groups.get(key, {}).get("title")) or key

    def plan_terms(self) -> dict[str, str]:
        """What a plan's goal can be linked to (``roles.plan``): the work values of a capability set (key ->
        title), or the dimensions of a profile (item id -> label)."""
        if self.rule == "capability_set":
            return {key: self.group_title(key) for key in self.params["values"]}
        if self.rule == "profile":
            return {key: self.item_label(key) for key in self.params.get("dimensions") or self.items}
        return {}

    def levels(self) -> list[tuple[int, str]]:
        """The levels of a ``level`` instrument with their labels, lowest first."""
        if self.rule != "level":
            return []
        item = self.params["item"]
        return [(entry["value"], localised(entry["label"])) for entry in self.scale(item)["values"]]

    def scale(self, item_id: str) -> dict:
        return self.data["scales"][self.items[item_id]["scale"]]

    def answer_scale(self, item_id: str, framing: str = "") -> dict:
        """The scale whose labels the form shows for ``item_id`` in ``framing`` (``answers``), else its
        scale."""
        key = (self.items[item_id].get("answers") or {}).get(framing)
        return self.data["scales"][key] if key else self.scale(item_id)

    def item_help(self, item_id: str, framing: str = "") -> str:
        """The explanation under a question: its one text, or the text for ``framing``."""
        help_text = self.items[item_id].get("help") or {}
        if "framed" in help_text:
            return localised(help_text["framed"].get(framing))
        return localised(help_text)

    def item_text(self, item_id: str, framing: str = "") -> str:
        texts = self.items[item_id]["text"]
        return localised(texts.get(framing) or texts.get("*") or next(iter(texts.values())))

    def item_label(self, item_id: str) -> str:
        item = self.items[item_id]
        return localised(item.get("short")) or self.item_text(item_id)

    def client_label(self, item_id: str) -> str:
        """The item's name as the client reads it outside the form (``client_short``), else its label."""
        return localised(self.items[item_id].get("client_short")) or self.item_label(item_id)

    def asked_in(self, item_id: str, framing: str | None) -> bool:
        """Whether ``framing`` asks the item (an item without ``framings`` is asked in every one; no framing
        given asks every item)."""
        asked = self.items[item_id].get("framings")
        return not asked or framing is None or framing in asked

    def scale_label(self, item_id: str, value) -> str:
        for entry in self.scale(item_id)["values"]:
            if entry["value"] == value:
                return localised(entry["label"])
        return "" if value is None else str(value)

    def default_framing(self, respondent: str, context: str) -> str:
        for framing in self.data["framings"]:
            if framing["respondent"] and framing["respondent"] != respondent:
                continue
            if framing["contexts"] and context not in framing["contexts"]:
                continue
            return framing["key"]
        return self.data["framings"][0]["key"] if self.data["framings"] else ""

    def framing_keys(self) -> list[str]:
        return [framing["key"] for framing in self.data["framings"]]

    def check_answers(
        self, answers: dict, complete: bool, framing: str | None = None
    ) -> tuple[dict, list[ItemError]]:
        """Keep the answers that fit their item's scale; report every other one, and (when
        ``complete``) every required item without an answer. With ``framing``, an item that framing does
        not ask is left out (its answer dropped, never required). Returns (valid answers, errors)."""

        clean: dict = {}
        errors: list[ItemError] = []
        for item_id in answers:
            if item_id not in self.items:
                errors.append(ItemError(item_id, _("This question is not part of the questionnaire.")))
        for item_id, item in self.items.items():
            if not self.asked_in(item_id, framing):
                continue
            raw = answers.get(item_id)
            if raw is None or raw == "":
                if complete and item["required"] and (framing is not None or not item.get("framings")):
                    errors.append(ItemError(item_id, _("Answer this question.")))
                continue
            scale = self.data["scales"][item["scale"]]
            try:
                value = int(str(raw).strip())
            except ValueError:
                errors.append(ItemError(item_id, _("Choose one of the answers.")))
                continue
            if scale["type"] == "ordinal":
                allowed = [entry["value"] for entry in scale["values"]]
                if value not in allowed:
                    errors.append(
                        ItemError(
                            item_id,
                            _("%(value)s is not one of the answers (%(allowed)s).")
                            % {"value": raw, "allowed": ", ".join(str(a) for a in allowed)},
                        )
                    )
                    continue
            elif not scale["min"] <= value <= scale["max"]:
                errors.append(
                    ItemError(
                        item_id,
                        _("Give a number from %(min)d to %(max)d.")
                        % {"min": scale["min"], "max": scale["max"]},
                    )
                )
                continue
            clean[item_id] = value
        return clean, errors
