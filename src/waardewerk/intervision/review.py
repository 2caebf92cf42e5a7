"""Review checkpoints: the format of a checkpoint file (docs/intervision.md, "Checkpoints"), its checker,
and the evaluators that answer a checkpoint from a trajectory's data, with the evidence they found.

A checkpoint names a generic evaluator (``check``) and its parameters; anything about a particular
instrument comes from the instruments' definitions (``roles``: ``checklist``, ``effect.gap``, ``plan``,
``attention``, docs/instrument-format.md), never from a key. Each evaluator returns an outcome (``met``,
``attention`` or ``na``: not applicable), a finding in words, and the evidence: the measurements, goals,
choices, plan versions, conversations, adjustments or the evaluation it looked at.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.core.content import Checker, ContentError, load_text, localised
from waardewerk.intervision.method import check_head

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")  # a checkpoint's key, as a method phase's
OUTCOMES = {
    "met": gettext_lazy("Met"),
    "attention": gettext_lazy("Needs attention"),
    "na": gettext_lazy("Not applicable"),
}
MAX_CHECKPOINTS = 40
OFF_REASON_MAX = 500  # why a checkpoint is switched off (``off``)


class CheckpointError(ContentError):
    pass


# Facts: what the evaluators read, loaded once per review (selectors.review_facts) ---------------------------


@dataclass
class Evidence:
    kind: str  # measurement, goal, choice, plan, conversation, adjustment, evaluation
    label: str
    uuid: str = ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "uuid": self.uuid}


@dataclass
class Facts:
    """A trajectory's data for the review. ``definitions``: the current definition of every instrument by
    key; ``measurements``: the current submitted ones, oldest first; ``plans``: (PlanVersion, PlanContent,
    agreements) oldest first."""

    trajectory: object
    definitions: dict
    measurements: list
    plans: list = field(default_factory=list)
    conversations: list = field(default_factory=list)
    adjustments: list = field(default_factory=list)
    evaluation: object = None

    @property
    def latest_plan(self):
        return self.plans[-1][1] if self.plans else None

    def goals(self) -> list[tuple[int, object]]:
        """The goals of the latest plan version, numbered from 1 as the plan shows them."""
        plan = self.latest_plan
        return list(enumerate(plan.goals, start=1)) if plan else []

    def measured(self, key: str) -> list:
        return [m for m in self.measurements if m.instrument.key == key]


def _day(value) -> str:
    return date_format(value, "d-m-Y")


def _measurement(facts: Facts, m) -> Evidence:
    definition = facts.definitions.get(m.instrument.key)
    title = definition.short_title if definition else m.instrument.key
    return Evidence(
        "measurement",
        _("%(instrument)s of %(date)s (%(who)s)")
        % {"instrument": title, "date": _day(m.taken_on), "who": m.get_respondent_display().lower()},
        str(m.uuid),
    )


def _goal(n: int, goal, plan_number: int) -> Evidence:
    return Evidence("goal", _("Goal %(n)d of plan version %(v)d") % {"n": n, "v": plan_number}, goal.key)


def _conversation(c) -> Evidence:
    return Evidence("conversation", _("Conversation of %(date)s") % {"date": _day(c.date)}, str(c.uuid))


@dataclass
class Result:
    outcome: str
    finding: str
    evidence: list[Evidence] = field(default_factory=list)


# The evaluators ------------------------------------------------------------------------------------------


def intake_measurements(facts: Facts, params: dict) -> Result:
    """Every measurement the instruments' ``roles.checklist.intake`` expect, from each respondent named."""
    expected = [(key, d, who) for key, d in facts.definitions.items() for who in d.roles.checklist("intake")]
    if not expected:
        return Result("na", _("No instrument asks for an intake measurement."))
    missing, evidence = [], []
    for key, definition, who in expected:
        found = [m for m in facts.measured(key) if not who or m.respondent == who]
        if found:
            evidence.append(_measurement(facts, found[0]))
        else:
            name = definition.short_title
            missing.append(f"{name} ({who})" if who else name)
    if missing:
        return Result("attention", _("Missing: %(list)s.") % {"list": ", ".join(missing)}, evidence)
    return Result("met", _("Every intake measurement is there."), evidence)


def discrepancies_answered(facts: Facts, params: dict) -> Result:
    """Every important value that is not enabled or not achieved (a capability set's discrepancies, on an
    instrument with ``roles.plan: work_values``) has a goal that serves it, or a choice under such a goal."""
    evidence, open_values, any_found = [], [], False
    plan_number = facts.plans[-1][0].number if facts.plans else 0
    for key, definition in facts.definitions.items():
        if definition.roles.plan != "work_values":
            continue
        for m in facts.measured(key):
            discrepancies = m.score.get("discrepancies") or []
            if not discrepancies:
                continue
            any_found = True
            evidence.append(_measurement(facts, m))
            for value in discrepancies:
                goals = [(n, g) for n, g in facts.goals() if value in g.values]
                if goals:
                    evidence += [_goal(n, g, plan_number) for n, g in goals]
                else:
                    title = definition.group_title(value)
                    if title not in open_values:
                        open_values.append(title)
    if not any_found:
        return Result("na", _("No measurement shows an important value that is not enabled or achieved."))
    evidence = _unique(evidence)
    if open_values:
        return Result(
            "attention",
            _("No goal serves: %(list)s.") % {"list": ", ".join(open_values)},
            evidence,
        )
    return Result("met", _("Every value to act on has a goal in the plan."), evidence)


def gap_discussed(facts: Facts, params: dict) -> Result:
    """Where the client's and the professional's ratings differ by the instrument's ``roles.effect.gap`` or
    more, a conversation on or after the later rating (within ``within_days``, default 42)."""
    within = params.get("within_days", 42)
    evidence, open_gaps, any_gap = [], [], False
    for key, definition in facts.definitions.items():
        if definition.roles.summary not in ("dimensions", "groups") or definition.rule != "profile":
            continue
        gap = definition.roles.gap
        measured = facts.measured(key)
        clients = [m for m in measured if m.respondent == "client"]
        professionals = [m for m in measured if m.respondent == "professional"]
        for c in clients:
            if not professionals:
                break
            p = min(professionals, key=lambda m, c=c: abs((m.taken_on - c.taken_on).days))
            scores_c, scores_p = c.score.get("scores") or {}, p.score.get("scores") or {}
            apart = [
                definition.item_label(d)
                for d in scores_c
                if d in scores_p and abs(scores_c[d] - scores_p[d]) >= gap
            ]
            if not apart:
                continue
            any_gap = True
            later = max(c.taken_on, p.taken_on)
            talks = [t for t in facts.conversations if later <= t.date <= later + dt.timedelta(days=within)]
            evidence += [_measurement(facts, c), _measurement(facts, p)]
            if talks:
                evidence.append(_conversation(min(talks, key=lambda t: t.date)))
            else:
                open_gaps.append(f"{definition.short_title} {_day(later)}: {', '.join(apart)}")
    if not any_gap:
        return Result("na", _("Client and professional do not differ that much on any rating."))
    evidence = _unique(evidence)
    if open_gaps:
        return Result(
            "attention",
            _("No conversation within %(days)d days after: %(list)s.")
            % {"days": within, "list": "; ".join(open_gaps)},
            evidence,
        )
    return Result("met", _("Every difference was followed by a conversation."), evidence)


def attention_has_goal(facts: Facts, params: dict) -> Result:
    """A rating at or below the instrument's ``roles.attention`` threshold (e.g. low self-efficacy) in the
    latest measurement of a respondent has a goal that works on it (``roles.plan: determinants``)."""
    respondents = params.get("respondents") or []
    evidence, open_items, any_low = [], [], False
    plan_number = facts.plans[-1][0].number if facts.plans else 0
    for key, definition in facts.definitions.items():
        attention = definition.roles.attention
        if not attention:
            continue
        latest = {}
        for m in facts.measured(key):
            if not respondents or m.respondent in respondents:
                latest[m.respondent] = m
        for m in latest.values():
            scores = m.score.get("scores") or {}
            for item, highest in attention.items():
                if item not in scores or scores[item] > highest:
                    continue
                any_low = True
                evidence.append(_measurement(facts, m))
                goals = [(n, g) for n, g in facts.goals() if item in g.determinants]
                if goals:
                    evidence += [_goal(n, g, plan_number) for n, g in goals]
                elif definition.item_label(item) not in open_items:
                    open_items.append(definition.item_label(item))
    if not any_low:
        return Result("na", _("No latest rating is that low."))
    evidence = _unique(evidence)
    if open_items:
        return Result(
            "attention",
            _("Low, and no goal works on it: %(list)s.") % {"list": ", ".join(open_items)},
            evidence,
        )
    return Result("met", _("Every low rating has a goal that works on it."), evidence)


def choices_three_sources(facts: Facts, params: dict) -> Result:
    """Every choice of the latest plan version rests on research, expertise and the client's preference."""
    plan = facts.latest_plan
    if plan is None or not plan.choices:
        return Result("na", _("The plan has no choices yet."))
    number = facts.plans[-1][0].number
    names = {
        "research": _("research"),
        "expertise": _("expertise"),
        "preference": _("the client's preference"),
    }
    evidence, missing = [], []
    for n, choice in enumerate(plan.choices, start=1):
        label = _("Choice %(n)d of plan version %(v)d") % {"n": n, "v": number}
        evidence.append(Evidence("choice", label, choice.key))
        if choice.missing_sources:
            missing.append(f"{label}: {', '.join(str(names[s]) for s in choice.missing_sources)}")
    if missing:
        return Result("attention", _("Without: %(list)s.") % {"list": "; ".join(missing)}, evidence)
    return Result("met", _("Every choice rests on all three sources."), evidence)


def agreement_per_plan_version(facts: Facts, params: dict) -> Result:
    """Every plan version has the client's agreement."""
    if not facts.plans:
        return Result("na", _("There is no plan yet."))
    evidence, missing = [], []
    for version, _content, agreements in facts.plans:
        label = _("Plan version %(v)d") % {"v": version.number}
        evidence.append(Evidence("plan", label, str(version.uuid)))
        if not agreements:
            missing.append(label)
    if missing:
        return Result(
            "attention", _("No agreement recorded for: %(list)s.") % {"list": ", ".join(missing)}, evidence
        )
    return Result("met", _("The client agreed with every plan version."), evidence)


def measurement_after_adjustment(facts: Facts, params: dict) -> Result:
    """After every adjustment a measurement, within ``within_days`` (default: any time after)."""
    if not facts.adjustments:
        return Result("na", _("The course was not adjusted."))
    within = params.get("within_days")
    evidence, missing = [], []
    for adjustment in sorted(facts.adjustments, key=lambda a: a.date):
        label = _("Adjustment of %(date)s") % {"date": _day(adjustment.date)}
        evidence.append(Evidence("adjustment", label, str(adjustment.uuid)))
        after = [
            m
            for m in facts.measurements
            if m.taken_on >= adjustment.date
            and (within is None or m.taken_on <= adjustment.date + dt.timedelta(days=within))
        ]
        if after:
            evidence.append(_measurement(facts, after[0]))
        else:
            missing.append(label)
    if missing:
        return Result(
            "attention", _("No measurement after: %(list)s.") % {"list": ", ".join(missing)}, evidence
        )
    return Result("met", _("A measurement followed every adjustment."), evidence)


REFLECTION_FIELDS = ("what_worked", "do_differently", "missed_chances")


def evaluation_with_reflection(facts: Facts, params: dict) -> Result:
    """An evaluation with the professional's reflection (``fields``: which of what worked, what I would do
    differently, missed chances must be written; default: at least one)."""
    evaluation = facts.evaluation
    phase = getattr(facts.trajectory, "phase", "")
    ended = getattr(facts.trajectory, "end_date", None) is not None
    if evaluation is None:
        if ended or phase == "evaluation":
            return Result("attention", _("The trajectory has no evaluation yet."))
        return Result("na", _("The trajectory has not reached its evaluation."))
    wanted = params.get("fields") or []
    written = [name for name in REFLECTION_FIELDS if (getattr(evaluation, name, "") or "").strip()]
    evidence = [Evidence("evaluation", _("The evaluation"), str(evaluation.uuid))]
    if (wanted and not set(wanted) <= set(written)) or not written:
        return Result("attention", _("The evaluation has no (complete) reflection."), evidence)
    return Result("met", _("The evaluation has the professional's reflection."), evidence)


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen, out = set(), []
    for item in evidence:
        if (item.kind, item.uuid, item.label) not in seen:
            seen.add((item.kind, item.uuid, item.label))
            out.append(item)
    return out


# evaluator kind -> (function, allowed parameters with their checks)
EVALUATORS = {
    "intake_measurements": (intake_measurements, {}),
    "discrepancies_answered": (discrepancies_answered, {}),
    "gap_discussed": (gap_discussed, {"within_days": "days"}),
    "attention_has_goal": (attention_has_goal, {"respondents": "respondents"}),
    "choices_three_sources": (choices_three_sources, {}),
    "agreement_per_plan_version": (agreement_per_plan_version, {}),
    "measurement_after_adjustment": (measurement_after_adjustment, {"within_days": "days"}),
    "evaluation_with_reflection": (evaluation_with_reflection, {"fields": "reflection_fields"}),
}
RESPONDENTS = ("client", "professional")


def evaluate(definition: dict, facts: Facts) -> list[dict]:
    """Every checkpoint of a stored checkpoint set, answered from ``facts``."""
    results = []
    for checkpoint in definition["checkpoints"]:
        if checkpoint.get("off"):
            continue  # switched off by the organisation's content editor (the reason is in ``off``)
        function, _params = EVALUATORS[checkpoint["check"]]
        result = function(facts, checkpoint["params"])
        results.append(
            {
                "key": checkpoint["key"],
                "outcome": result.outcome,
                "finding": result.finding,
                "evidence": [e.as_dict() for e in result.evidence],
                "verdict": result.outcome,
                "words": "",
            }
        )
    return results


# The file format ------------------------------------------------------------------------------------------


def _param(c: Checker, kind: str, value, where: str):
    if kind == "days":
        number = c.integer(value, where, minimum=1)
        if number is not None and number > 730:
            c.problem(where, "at most 730")
        return number
    if kind in ("respondents", "reflection_fields"):
        allowed = RESPONDENTS if kind == "respondents" else REFLECTION_FIELDS
        if not isinstance(value, list) or not all(isinstance(v, str) and v in allowed for v in value):
            c.problem(where, f"a list of: {', '.join(allowed)}")
            return []
        return list(value)
    return value  # pragma: no cover


def check_checkpoints(raw) -> dict:
    """Check a read checkpoint file and return it normalised, or raise ``CheckpointError``."""
    c = Checker()
    raw, out = check_head(c, raw, "checkpoints")
    checkpoints = raw.get("checkpoints")
    if not isinstance(checkpoints, list) or not checkpoints:
        c.problem("checkpoints", "give at least one checkpoint (a list)")
        checkpoints = []
    if len(checkpoints) > MAX_CHECKPOINTS:
        c.problem("checkpoints", f"at most {MAX_CHECKPOINTS}")
    keys = set()
    for index, checkpoint in enumerate(checkpoints):
        where = f"checkpoints[{index}]"
        checkpoint = c.mapping(checkpoint, where)
        c.unknown(checkpoint, ("key", "title", "explanation", "check", "params", "off"), where)
        key = c.key(checkpoint.get("key"), f"{where}.key", KEY, "lower-case letters, digits and hyphens")
        if key in keys:
            c.problem(f"{where}.key", f"'{key}' is used twice")
        keys.add(key)
        kind = c.string(checkpoint.get("check"), f"{where}.check")
        params_out = {}
        if kind and kind not in EVALUATORS:
            c.problem(f"{where}.check", f"unknown '{kind}' (known: {', '.join(EVALUATORS)})")
        elif kind:
            params = checkpoint.get("params") or {}
            params = c.mapping(params, f"{where}.params")
            allowed = EVALUATORS[kind][1]
            c.unknown(params, allowed, f"{where}.params")
            for name, value in params.items():
                if name in allowed:
                    params_out[name] = _param(c, allowed[name], value, f"{where}.params.{name}")
        entry = {
            "key": key,
            "title": c.text(checkpoint.get("title"), f"{where}.title"),
            "explanation": c.text(checkpoint.get("explanation"), f"{where}.explanation"),
            "check": kind,
            "params": params_out,
        }
        off = c.string(checkpoint.get("off"), f"{where}.off", required=False)
        if len(off) > OFF_REASON_MAX:
            c.problem(f"{where}.off", f"at most {OFF_REASON_MAX} characters")
        elif off:
            entry["off"] = off
        out["checkpoints"].append(entry)
    if c.problems:
        raise CheckpointError(c.problems)
    return out


def parse_checkpoints(text: str, filename: str = "") -> dict:
    return check_checkpoints(load_text(text, filename, CheckpointError))


@dataclass(frozen=True)
class Checkpoint:
    key: str
    title: str
    explanation: str
    check: str
    off: str = ""  # why the organisation switched it off; a switched-off checkpoint is not answered


def checkpoints_of(definition: dict, *, active_only: bool = False) -> list[Checkpoint]:
    """The checkpoints of a stored version in the active language (``active_only``: without the ones
    switched off)."""
    return [
        Checkpoint(c["key"], localised(c["title"]), localised(c["explanation"]), c["check"], c.get("off", ""))
        for c in definition["checkpoints"]
        if not (active_only and c.get("off"))
    ]
