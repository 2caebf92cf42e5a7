"""The figures of "what worked here": per knowledge-base entry, computed for one organisation
(docs/practice-evidence.md, "Method").

For every entry chosen in the organisation's plans:

- **chosen**: the number of trajectories whose plan chose it, and per context;
- **change** on each instrument the entry aims at, read from the instruments' definitions (``roles``), never
  from their keys: the capability set's size and the A/B/C parts of the work values the entry names (the
  instrument with ``roles.plan: work_values``), the determinants it names (``roles.plan: determinants``, per
  respondent) and the outcome level (``roles.outcome: level``, per respondent). The change of a trajectory
  is its value in the first measurement after the choice minus its value in the last measurement on or
  before the day of the choice; the figures are the quartiles of those changes, their *n* and the response
  rate (the share of the trajectories that chose the entry with both measurements);
- **outcome**: work found or kept at the evaluation;
- the same for the **comparison**: the organisation's trajectories with a plan that never chose the entry;
  their reference day is the day of their first plan version. It is matched on strata of the context, the
  phase at the reference moment and the band of the starting capability-set size: only trajectories in a
  stratum where the entry was chosen count, and their distributions are weighted so that every stratum
  weighs as much as it does among those who chose the entry.

The rows are read with a fixed number of aggregate queries per organisation (the first choice of each entry
per trajectory, the trajectories with their first plan day and evaluation, and the submitted measurements
of the instruments concerned, one query per instrument); the pairing of measurements around the reference
day and the quartiles are computed in Python, the same on PostgreSQL and SQLite. Everything is suppressed
(``insights.suppression``) before it is stored: no figure about fewer than *k* trajectories leaves this
module.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from waardewerk.insights import suppression
from waardewerk.insights.models import EvidenceSnapshot
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.instruments.selectors import current_instruments
from waardewerk.knowledge.models import KnowledgeEntry, PlanChoiceEntry
from waardewerk.trajectories.models import Context, Phase, PhaseChange, Trajectory

# The version of the calculation: a snapshot computed by another version is computed again.
# 2: every context is a cell of the per-context table, those without a choice too.
# 3: the comparison matched on strata (context, phase, starting capability-set band) and weighted.
METHOD = 3
# The parts of a capability-set score per work value (A, B, C), as the scoring rule names them.
PARTS = ("importance", "enabled", "achieved")
OUTCOME_CELLS = ("work", "no_work", "not_evaluated")
# Bands of the capability-set size before the reference day, for matching the comparison: (lowest, band).
SET_BANDS = ((5, "5+"), (3, "3-4"), (0, "0-2"))
NO_BAND = "none"  # no capability-set measurement before the reference day


def set_band(size) -> str:
    if size is None:
        return NO_BAND
    return next(band for lowest, band in SET_BANDS if size >= lowest)


@dataclass(frozen=True)
class Measure:
    """One figure of change: which instrument, which respondent, which number in its score."""

    kind: str  # set_size, value, determinant, level
    instrument_id: int
    instrument: str  # the instrument's key, as data (for the labels on the page)
    respondent: str
    term: str = ""  # the work value or determinant
    part: str = ""  # importance, enabled or achieved

    @property
    def spec(self) -> dict:
        return {
            "kind": self.kind,
            "instrument": self.instrument,
            "respondent": self.respondent,
            "term": self.term,
            "part": self.part,
        }

    def read(self, score: dict):
        try:
            if self.kind == "set_size":
                value = score["capability_set_size"]
            elif self.kind == "value":
                value = score["values"][self.term][self.part]
            elif self.kind == "determinant":
                value = score["scores"][self.term]
            else:
                value = score["level"]
        except (KeyError, TypeError):
            return None
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Roles:
    """The instruments that play each role, from their current definitions."""

    values: tuple | None  # (instrument id, key, respondents, value keys)
    determinants: tuple | None
    outcome: tuple | None

    @classmethod
    def load(cls) -> Roles:
        values = determinants = outcome = None
        for instrument, definition in current_instruments():
            respondents = tuple(definition.data.get("respondents") or ("client",))
            terms = tuple(definition.plan_terms())
            entry = (instrument.pk, instrument.key, respondents, terms)
            if (
                values is None
                and definition.rule == "capability_set"
                and definition.roles.plan == "work_values"
            ):
                values = entry
            elif determinants is None and definition.roles.plan == "determinants":
                determinants = entry
            if outcome is None and definition.rule == "level" and definition.roles.outcome == "level":
                outcome = entry
        return cls(values, determinants, outcome)

    def measures_for(self, work_values, determinants) -> list[Measure]:
        measures = []
        if self.values:
            pk, key, respondents, terms = self.values
            for respondent in respondents:
                measures.append(Measure("set_size", pk, key, respondent))
                for term in (v for v in work_values if v in terms):
                    measures.extend(Measure("value", pk, key, respondent, term, part) for part in PARTS)
        if self.determinants:
            pk, key, respondents, terms = self.determinants
            for term in (d for d in determinants if d in terms):
                measures.extend(
                    Measure("determinant", pk, key, respondent, term) for respondent in respondents
                )
        if self.outcome:
            pk, key, respondents, _ = self.outcome
            measures.extend(Measure("level", pk, key, respondent) for respondent in respondents)
        return measures

    @property
    def instrument_ids(self) -> list[int]:
        return sorted({role[0] for role in (self.values, self.determinants, self.outcome) if role})


class Series:
    """The submitted, uncorrected measurements of the organisation's trajectories, per trajectory,
    instrument and respondent, in the order they were taken."""

    def __init__(self):
        self.days: dict[tuple, list[dt.date]] = defaultdict(list)
        self.scores: dict[tuple, list[dict]] = defaultdict(list)

    def load(self, organisation_id: int, instrument_ids: list[int]) -> None:
        corrected = Measurement.objects.filter(corrects=OuterRef("pk"), status=MeasurementStatus.SUBMITTED)
        for instrument_id in instrument_ids:
            rows = (
                Measurement.objects.filter(
                    trajectory__organisation_id=organisation_id,
                    instrument_id=instrument_id,
                    status=MeasurementStatus.SUBMITTED,
                )
                .exclude(Exists(corrected))
                .order_by("trajectory_id", "respondent", "taken_on", "submitted_at", "id")
                .values_list("trajectory_id", "respondent", "taken_on", "score")
            )
            for trajectory_id, respondent, taken_on, score in rows.iterator(chunk_size=5000):
                key = (trajectory_id, instrument_id, respondent)
                self.days[key].append(taken_on)
                self.scores[key].append(score)

    def before(self, trajectory_id: int, measure: Measure, day: dt.date):
        """The value of the last measurement on or before ``day``, or None."""
        key = (trajectory_id, measure.instrument_id, measure.respondent)
        days = self.days.get(key)
        if not days:
            return None
        split = bisect.bisect_right(days, day)
        return next(
            (v for s in reversed(self.scores[key][:split]) if (v := measure.read(s)) is not None), None
        )

    def around(self, trajectory_id: int, measure: Measure, day: dt.date):
        """(value before, value after) of the last measurement on or before ``day`` and the first after it,
        or None when either is missing."""
        key = (trajectory_id, measure.instrument_id, measure.respondent)
        days = self.days.get(key)
        if not days:
            return None
        split = bisect.bisect_right(days, day)
        if split == 0 or split == len(days):
            return None
        scores = self.scores[key]
        before = next((v for s in reversed(scores[:split]) if (v := measure.read(s)) is not None), None)
        after = next((v for s in scores[split:] if (v := measure.read(s)) is not None), None)
        if before is None or after is None:
            return None
        return before, after


class Phases:
    """The phase of each of the organisation's trajectories at a moment, from its phase changes."""

    def __init__(self):
        self.moments: dict[int, list[dt.datetime]] = defaultdict(list)
        self.phases: dict[int, list[str]] = defaultdict(list)

    def load(self, organisation_id: int) -> None:
        rows = (
            PhaseChange.objects.filter(trajectory__organisation_id=organisation_id)
            .order_by("trajectory_id", "changed_at", "id")
            .values_list("trajectory_id", "to_phase", "changed_at")
        )
        for trajectory_id, phase, changed_at in rows.iterator(chunk_size=5000):
            self.moments[trajectory_id].append(changed_at)
            self.phases[trajectory_id].append(phase)

    def at(self, trajectory_id: int, moment: dt.datetime) -> str:
        """The phase after the last change on or before ``moment``; a trajectory starts in the intake."""
        index = bisect.bisect_right(self.moments.get(trajectory_id, []), moment)
        return self.phases[trajectory_id][index - 1] if index else Phase.INTAKE


def quartiles(values: list, weights: list | None = None) -> tuple[float, float, float]:
    """The first quartile, the median and the third quartile with the inclusive method (Python's
    ``statistics.quantiles(..., method="inclusive")``). With ``weights``, its weighted form: the sorted
    values stand at the positions (weight of the values before it) / (total weight - the last one's
    weight), from 0 to 1, and a quartile is interpolated between the two values around it; with equal
    weights these are the positions i / (n - 1) of the unweighted method, so the results are the same."""
    if weights is None:
        return tuple(statistics.quantiles(values, n=4, method="inclusive"))
    ordered = sorted(zip(values, weights, strict=True))
    xs = [value for value, _w in ordered]
    span = sum(w for _v, w in ordered) - ordered[-1][1]
    if span <= 0:
        return (xs[-1],) * 3
    positions, before = [], 0.0
    for _value, weight in ordered:
        positions.append(before / span)
        before += weight
    out = []
    for p in (0.25, 0.5, 0.75):
        i = bisect.bisect_right(positions, p) - 1
        if i >= len(xs) - 1:
            out.append(xs[-1])
            continue
        low, high = positions[i], positions[i + 1]
        share = (p - low) / (high - low) if high > low else 0.0
        out.append(xs[i] + (xs[i + 1] - xs[i]) * share)
    return tuple(out)


def _distribution(pairs: list[tuple], base: int, k: int, weights: list | None = None) -> dict:
    """The quartiles of the changes, with n and the response rate; only n when too few. ``weights`` (one
    per pair) weigh the quartiles and the medians before and after; n stays the number of trajectories."""
    n = len(pairs)
    if n < k or base < k:
        return {"n": None}
    q1, median, q3 = quartiles([after - before for before, after in pairs], weights)
    return {
        "n": n,
        "rate": suppression.share(n, base),
        "q1": round(q1, 2),
        "median": round(median, 2),
        "q3": round(q3, 2),
        "before": round(quartiles([b for b, _ in pairs], weights)[1], 2),
        "after": round(quartiles([a for _, a in pairs], weights)[1], 2),
    }


def _outcome(trajectory_ids, work: dict, k: int) -> dict:
    counts = dict.fromkeys(OUTCOME_CELLS, 0)
    for pk in trajectory_ids:
        found = work.get(pk)
        counts["not_evaluated" if found is None else ("work" if found else "no_work")] += 1
    cells, total = suppression.suppress_table(counts, k)
    evaluated = None
    if cells["work"] is not None and cells["no_work"] is not None:
        evaluated = cells["work"] + cells["no_work"]
    return {
        "cells": cells,
        "total": total,
        "work_share": suppression.share(cells["work"], evaluated) if evaluated and evaluated >= k else None,
    }


def compute(organisation_id: int) -> dict:
    """The suppressed figures of every entry chosen in the organisation, by entry id (as a string)."""
    k = suppression.min_cell_size()
    roles = Roles.load()
    first_choice: dict[int, dict[int, dt.date]] = defaultdict(dict)  # entry -> trajectory -> day
    choices = (
        PlanChoiceEntry.objects.filter(trajectory__organisation_id=organisation_id)
        .values("entry_id", "trajectory_id")
        .annotate(first=Min("chosen_at"))
        .values_list("entry_id", "trajectory_id", "first")
        .order_by()
    )
    chosen_at: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for entry_id, trajectory_id, first in choices:
        first_choice[entry_id][trajectory_id] = timezone.localdate(first)
        chosen_at[entry_id][trajectory_id] = first
    trajectories = (
        Trajectory.objects.filter(organisation_id=organisation_id)
        .annotate(planned=Min("plan_versions__created_at"))
        .filter(planned__isnull=False)
        .values_list("id", "context", "planned", "evaluation__work")
        .order_by()
    )
    context_of: dict[int, str] = {}
    planned_at: dict[int, dt.datetime] = {}
    planned_on: dict[int, dt.date] = {}
    work: dict[int, bool] = {}
    by_context: dict[str, list[int]] = defaultdict(list)
    for pk, context, planned, worked in trajectories:
        context_of[pk] = context
        planned_at[pk] = planned
        planned_on[pk] = timezone.localdate(planned)
        by_context[context].append(pk)
        if worked is not None:
            work[pk] = worked
    series, phases = Series(), Phases()
    if first_choice:
        series.load(organisation_id, roles.instrument_ids)
        phases.load(organisation_id)
    start_measure = None
    if roles.values:
        values_id, values_key, respondents, _terms = roles.values
        start_measure = Measure("set_size", values_id, values_key, respondents[0])

    def stratum(pk: int, moment: dt.datetime, day: dt.date) -> tuple:
        size = series.before(pk, start_measure, day) if start_measure else None
        return (context_of[pk], phases.at(pk, moment), set_band(size))

    planned_strata: dict[int, tuple] = {}  # the comparison's strata, at their first plan
    entries = {}
    baselines: dict[Measure, dict[int, tuple | None]] = {}
    definitions = _entry_definitions(list(first_choice))
    for entry_id, chosen in first_choice.items():
        definition = definitions.get(entry_id) or {}
        chosen_ids = [pk for pk in chosen if pk in context_of]
        # Every context is a cell, a context without a choice too: a list of only the contexts where it was
        # chosen would tell a small cell from an empty one.
        contexts: dict[str, int] = dict.fromkeys(Context.values, 0)
        for pk in chosen_ids:
            contexts[context_of[pk]] = contexts.get(context_of[pk], 0) + 1
        context_cells, total = suppression.suppress_table(contexts, k)
        # The comparison: those who never chose it, in a stratum where it was chosen, weighted so that each
        # stratum weighs as much as among those who chose it.
        strata: dict[tuple, int] = defaultdict(int)
        for pk in chosen_ids:
            strata[stratum(pk, chosen_at[entry_id][pk], chosen[pk])] += 1
        compared = []
        for ctx in sorted(contexts):
            for pk in by_context[ctx] if contexts[ctx] else ():
                if pk in chosen:
                    continue
                if pk not in planned_strata:
                    planned_strata[pk] = stratum(pk, planned_at[pk], planned_on[pk])
                if planned_strata[pk] in strata:
                    compared.append(pk)
        in_stratum: dict[tuple, int] = defaultdict(int)
        for pk in compared:
            in_stratum[planned_strata[pk]] += 1
        weight = {pk: strata[planned_strata[pk]] / in_stratum[planned_strata[pk]] for pk in compared}
        rows = []
        for measure in roles.measures_for(
            definition.get("work_values") or [], definition.get("determinants") or []
        ):
            with_pairs = [p for pk in chosen_ids if (p := series.around(pk, measure, chosen[pk]))]
            if measure not in baselines:
                # Around the first plan: the same for every entry, so computed once per figure.
                baselines[measure] = {pk: series.around(pk, measure, day) for pk, day in planned_on.items()}
            around_plan = baselines[measure]
            without = [(p, weight[pk]) for pk in compared if (p := around_plan[pk])]
            rows.append(
                {
                    "measure": measure.spec,
                    "with": _distribution(with_pairs, len(chosen_ids), k),
                    "without": _distribution(
                        [p for p, _w in without], len(compared), k, [w for _p, w in without]
                    ),
                }
            )
        entries[str(entry_id)] = {
            "chosen": total,
            "contexts": context_cells,
            "compared": suppression.shown(len(compared), len(compared), k),
            "measures": rows,
            "outcome": {"with": _outcome(chosen_ids, work, k), "without": _outcome(compared, work, k)},
        }
    return {"entries": entries}


def _entry_definitions(entry_ids: list[int]) -> dict[int, dict]:
    """The definition each entry is chosen by (its published version, else its current one)."""
    found = {}
    entries = KnowledgeEntry.objects.filter(pk__in=entry_ids).select_related("published", "current")
    for entry in entries:
        version = entry.published or entry.current
        found[entry.pk] = version.definition if version else {}
    return found


def refresh(organisation_id: int) -> EvidenceSnapshot:
    """Compute the organisation's figures now and store them (one row per organisation)."""
    started = time.perf_counter()
    figures = compute(organisation_id)
    snapshot, _ = EvidenceSnapshot.objects.update_or_create(
        organisation_id=organisation_id,
        defaults={
            "computed_at": timezone.now(),
            "min_cell_size": suppression.min_cell_size(),
            "method": METHOD,
            "seconds": round(time.perf_counter() - started, 3),
            "figures": figures,
        },
    )
    return snapshot
