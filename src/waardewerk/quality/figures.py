"""Team quality figures per quarter (docs/quality.md): computed for one organisation, suppressed with the
practice-evidence rule (``insights.suppression``) before they are stored.

Scopes: the organisation, each team (by the trajectory's team) and each professional (by the trajectory's
responsible professional; shown only to that professional, privately). Quarters: the current one and the
``QUARTERS - 1`` before it.

The indicators (each a share of a group of trajectories, or a distribution of changes):

- ``intake_complete`` - trajectories that left the intake phase in the quarter with every measurement the
  instruments' ``roles.checklist.intake`` expect taken on or before that day;
- ``plan_sources`` - trajectories open in the quarter with a plan by its end, whose latest version then has at
  least one choice and every choice resting on research, expertise and the client's preference;
- ``plan_agreed`` - the same trajectories whose latest plan version then was agreed by the client by then;
- ``remeasure_on_time`` - trajectories with a re-measurement in the quarter of an instrument with an active
  schedule, every one taken no later than the schedule's interval after the one before;
- ``reflection`` - trajectories ended in the quarter whose evaluation holds the professional's reflection
  (what worked, what I would do differently, which chances I left);
- ``change`` - for trajectories ended in the quarter: latest minus first measurement (up to the end date) of
  the capability-set size (``roles.plan: work_values``), the dimensions the determinant profile watches
  (``roles.attention``) and the outcome level (``roles.outcome: level``), per respondent: median, quartiles;
- ``experience`` - the client-experience questionnaire (``roles.quality: experience``): per trajectory the
  client's latest answer in the quarter; median and quartiles;
- ``principles`` - per guiding principle (``knowledge.principles``): of the trajectories with a conversation
  in the quarter, the share with at least one conversation in the quarter that served the principle;
- ``intervision`` - (teams and organisation only) the share of the case workers of the team whom the
  facilitator recorded present at an intervision session in the quarter.

The instruments are found through their roles, never through their keys. The rows are read with a fixed
number of queries per organisation; encrypted texts (plan content, reflection) are decrypted here and only
the outcome of the check is kept.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from waardewerk.insights import suppression
from waardewerk.instruments.models import Measurement, MeasurementStatus, Respondent
from waardewerk.instruments.schedules import schedules_for
from waardewerk.instruments.selectors import current_instruments
from waardewerk.intervision.models import Attendance, AttendanceStatus
from waardewerk.knowledge.selectors import current_principles
from waardewerk.quality.models import QualityScope, QualitySnapshot
from waardewerk.quality.policies import team_case_workers
from waardewerk.trajectories.models import (
    Conversation,
    Evaluation,
    Phase,
    PhaseChange,
    PlanAgreement,
    PlanVersion,
    Trajectory,
)
from waardewerk.trajectories.plan import PlanContent

# The version of the calculation: a snapshot computed by another version is computed again.
METHOD = 4  # 2: client experience; 3: guiding principles, stored per scope; 4: intervision counts
# recorded attendance, not group membership
QUARTERS = 6
SHARES = ("intake_complete", "plan_sources", "plan_agreed", "remeasure_on_time", "reflection")
TEAM_ONLY = ("intervision",)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> dt.date:
        following = self.next()
        return following.first - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def recent_quarters(today: dt.date, count: int = QUARTERS) -> list[Quarter]:
    quarters = [Quarter.of(today)]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


@dataclass(frozen=True)
class Measure:
    """One figure of change: an instrument found by its role, a respondent, and what to read in its score."""

    kind: str  # set_size, dimension, level
    instrument_id: int
    respondent: str
    term: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.instrument_id}:{self.respondent}:{self.term}"

    def read(self, score: dict):
        try:
            if self.kind == "set_size":
                value = score["capability_set_size"]
            elif self.kind == "dimension":
                value = score["scores"][self.term]
            else:
                value = score["level"]
        except (KeyError, TypeError):
            return None
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def change_measures(instruments) -> list[Measure]:
    """The figures of change, from the instruments' roles (``current_instruments``)."""
    found: list[Measure] = []
    kinds_done: set[str] = set()
    for instrument, definition in instruments:
        respondents = tuple(definition.data.get("respondents") or ("client",))
        roles = definition.roles
        if (
            "set_size" not in kinds_done
            and definition.rule == "capability_set"
            and roles.plan == "work_values"
        ):
            kinds_done.add("set_size")
            found.extend(Measure("set_size", instrument.pk, r) for r in respondents)
        attention = definition.data.get("roles", {}).get("attention") or {}
        if "dimension" not in kinds_done and roles.plan == "determinants" and attention:
            kinds_done.add("dimension")
            found.extend(
                Measure("dimension", instrument.pk, r, term) for term in attention for r in respondents
            )
        if "level" not in kinds_done and definition.rule == "level" and roles.outcome == "level":
            kinds_done.add("level")
            found.extend(Measure("level", instrument.pk, r) for r in respondents)
    return found


def _share(hits: int, n: int, k: int) -> dict:
    """A share of ``n`` trajectories: the percentage and n when n is at least k, else only "too few"."""
    shown_n = suppression.shown(n, n, k)
    return {"n": shown_n, "share": suppression.share(hits, shown_n) if shown_n else None}


def _distribution(changes: list[float], k: int) -> dict:
    n = len(changes)
    if suppression.shown(n, n, k) is None:
        return {"n": None}
    q1, median, q3 = statistics.quantiles(sorted(changes), n=4, method="inclusive")
    return {"n": n, "q1": round(q1, 2), "median": round(median, 2), "q3": round(q3, 2)}


class Tally:
    """Counts per scope and quarter: ``shares[scope][quarter][indicator] = [hits, n]`` and the changes."""

    def __init__(self):
        self.shares = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0, 0])))
        self.changes = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))

    def add(self, scopes, quarter: str, indicator: str, hit: bool) -> None:
        for scope in scopes:
            cell = self.shares[scope][quarter][indicator]
            cell[0] += int(bool(hit))
            cell[1] += 1

    def add_change(self, scopes, quarter: str, measure: str, value: float) -> None:
        for scope in scopes:
            self.changes[scope][quarter][measure].append(value)


def _ended_reflection(evaluation) -> bool:
    return bool(evaluation.what_worked and evaluation.do_differently and evaluation.missed_chances)


def compute(organisation_id: int, today: dt.date | None = None) -> dict:
    """The suppressed figures of one organisation (see the module's docstring)."""
    k = suppression.min_cell_size()
    today = today or timezone.localdate()
    quarters = recent_quarters(today)
    start, end = quarters[0].first, quarters[-1].last
    keys = {q.key for q in quarters}
    instruments = current_instruments(organisation_id)
    measures = change_measures(instruments)
    intake_expected = [
        (instrument.pk, who) for instrument, d in instruments for who in d.roles.checklist("intake")
    ]
    schedules = {s.instrument_id: s for s in schedules_for(organisation_id) if s.active}
    experience_ids = {instrument.pk for instrument, d in instruments if d.roles.quality == "experience"}

    trajectories = {
        pk: (team_id, responsible_id, start_date, end_date)
        for pk, team_id, responsible_id, start_date, end_date in Trajectory.objects.filter(
            organisation_id=organisation_id
        )
        .exclude(end_date__lt=start)
        .filter(start_date__lte=end)
        .values_list("id", "team_id", "responsible_id", "start_date", "end_date")
        .order_by()
    }

    def scopes(pk: int) -> tuple:
        team_id, responsible_id, _s, _e = trajectories[pk]
        return ("org", f"team:{team_id}", f"pro:{responsible_id}")

    tally = Tally()

    # The submitted, uncorrected measurements of these trajectories, in the order they were taken.
    corrected = Measurement.objects.filter(corrects=OuterRef("pk"), status=MeasurementStatus.SUBMITTED)
    series: dict[tuple, list[tuple[dt.date, dict]]] = defaultdict(list)
    rows = (
        Measurement.objects.filter(
            trajectory__organisation_id=organisation_id, status=MeasurementStatus.SUBMITTED
        )
        .exclude(Exists(corrected))
        .order_by("trajectory_id", "instrument_id", "respondent", "taken_on", "submitted_at", "id")
        .values_list("trajectory_id", "instrument_id", "respondent", "taken_on", "score")
    )
    for trajectory_id, instrument_id, respondent, taken_on, score in rows.iterator(chunk_size=5000):
        if trajectory_id in trajectories:
            series[(trajectory_id, instrument_id, respondent)].append((taken_on, score))

    # Intake complete: the day the trajectory first left the intake phase.
    left_intake = (
        PhaseChange.objects.filter(trajectory_id__in=list(trajectories), from_phase=Phase.INTAKE)
        .values("trajectory_id")
        .annotate(first=Min("changed_at"))
        .values_list("trajectory_id", "first")
        .order_by()
    )
    for pk, changed_at in left_intake:
        day = timezone.localdate(changed_at)
        quarter = Quarter.of(day).key
        if quarter not in keys or not intake_expected:
            continue
        complete = all(_taken_by(series, pk, iid, who, day) for iid, who in intake_expected)
        tally.add(scopes(pk), quarter, "intake_complete", complete)

    # Plans: the latest version at the end of each quarter the trajectory was open in.
    versions: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for pk, trajectory_id, created_at, content in (
        PlanVersion.objects.filter(trajectory_id__in=list(trajectories), created_at__date__lte=end)
        .order_by("trajectory_id", "number")
        .values_list("id", "trajectory_id", "created_at", "content")
        .iterator(chunk_size=2000)
    ):
        versions[trajectory_id].append((timezone.localdate(created_at), pk, content))
    agreed: dict[int, dt.date] = dict(
        PlanAgreement.objects.filter(plan_version__trajectory_id__in=list(versions))
        .values("plan_version_id")
        .annotate(first=Min("agreed_on"))
        .values_list("plan_version_id", "first")
        .order_by()
    )
    grounded: dict[int, bool] = {}
    for trajectory_id, plan in versions.items():
        _team, _resp, began, ended = trajectories[trajectory_id]
        for quarter in quarters:
            if began > quarter.last or (ended is not None and ended < quarter.first):
                continue
            current = [v for v in plan if v[0] <= quarter.last]
            if not current:
                continue
            _day, version_id, content = current[-1]
            if version_id not in grounded:
                parsed = PlanContent.from_json(content)
                grounded[version_id] = bool(parsed.choices) and not parsed.choices_missing_sources
            where = scopes(trajectory_id)
            tally.add(where, quarter.key, "plan_sources", grounded[version_id])
            on = agreed.get(version_id)
            tally.add(where, quarter.key, "plan_agreed", on is not None and on <= quarter.last)

    # Re-measurement on time, per trajectory and quarter.
    on_time: dict[tuple[int, str], bool] = {}
    for (trajectory_id, instrument_id, _respondent), taken in series.items():
        schedule = schedules.get(instrument_id)
        if schedule is None:
            continue
        for (before, _s1), (after, _s2) in zip(taken, taken[1:], strict=False):
            quarter = Quarter.of(after).key
            if quarter not in keys:
                continue
            key = (trajectory_id, quarter)
            fine = (after - before).days <= schedule.interval_days
            on_time[key] = on_time.get(key, True) and fine
    for (trajectory_id, quarter), fine in on_time.items():
        tally.add(scopes(trajectory_id), quarter, "remeasure_on_time", fine)

    # Client experience: per trajectory the latest answer in the quarter (mean or total of the statements).
    latest: dict[tuple[int, str], float] = {}
    for (trajectory_id, instrument_id, respondent), taken in series.items():
        if instrument_id not in experience_ids or respondent != "client":
            continue
        for taken_on, score in taken:
            quarter = Quarter.of(taken_on).key
            value = (score or {}).get("mean", (score or {}).get("total"))
            if quarter in keys and isinstance(value, int | float) and not isinstance(value, bool):
                latest[(trajectory_id, quarter)] = value
    for (trajectory_id, quarter), value in latest.items():
        tally.add_change(scopes(trajectory_id), quarter, "experience", value)

    # Ended in the quarter: reflection and change.
    ended = {pk: row[3] for pk, row in trajectories.items() if row[3] is not None and start <= row[3] <= end}
    evaluations = {
        e.trajectory_id: e
        for e in Evaluation.objects.filter(trajectory_id__in=list(ended)).only(
            "trajectory_id", "what_worked", "do_differently", "missed_chances"
        )
    }
    for pk, day in ended.items():
        quarter = Quarter.of(day).key
        evaluation = evaluations.get(pk)
        tally.add(scopes(pk), quarter, "reflection", evaluation is not None and _ended_reflection(evaluation))
        if evaluation is None:
            continue
        for measure in measures:
            taken = [
                s for d, s in series.get((pk, measure.instrument_id, measure.respondent), ()) if d <= day
            ]
            values = [v for s in taken if (v := measure.read(s)) is not None]
            if len(values) >= 2:
                tally.add_change(scopes(pk), quarter, measure.key, values[-1] - values[0])

    # Guiding principles: per trajectory and quarter, the principles its conversations served.
    found = current_principles()
    principles = found[1].definition["principles"] if found else []
    served: dict[tuple[int, str], set[str]] = {}
    for trajectory_id, date, keys in (
        Conversation.objects.filter(
            trajectory__organisation_id=organisation_id, date__gte=start, date__lte=end
        )
        .values_list("trajectory_id", "date", "principles")
        .order_by()
        .iterator(chunk_size=5000)
    ):
        if trajectory_id in trajectories:
            served.setdefault((trajectory_id, Quarter.of(date).key), set()).update(keys or ())
    for (trajectory_id, quarter), keys in served.items():
        for principle in principles:
            tally.add(
                scopes(trajectory_id), quarter, f"principle:{principle['key']}", principle["key"] in keys
            )

    # Intervision: the case workers of each team recorded present at an intervision session in the quarter.
    members: dict[int, set[int]] = defaultdict(set)
    for user_id, team_id in team_case_workers(organisation_id).values_list("user_id", "team_id"):
        members[team_id].add(user_id)
    met: dict[str, set[int]] = defaultdict(set)
    for date, user_id in (
        Attendance.objects.filter(
            session__group__organisation_id=organisation_id,
            session__date__gte=start,
            session__date__lte=end,
            status=AttendanceStatus.PRESENT,
        )
        .values_list("session__date", "member_id")
        .order_by()
    ):
        if user_id is not None:
            met[Quarter.of(date).key].add(user_id)
    for team_id, users in members.items():
        for quarter in quarters:
            for user_id in users:
                tally.add(("org", f"team:{team_id}"), quarter.key, "intervision", user_id in met[quarter.key])

    return {
        "quarters": [q.key for q in quarters],
        "experience": bool(experience_ids),
        "measures": [
            {
                "key": m.key,
                "kind": m.kind,
                "instrument_id": m.instrument_id,
                "respondent": m.respondent,
                "term": m.term,
            }
            for m in measures
        ],
        "principles": [{"key": p["key"], "title": p["title"]} for p in principles],
        "scopes": _suppressed(tally, quarters, measures, [p["key"] for p in principles], k),
    }


def _taken_by(series: dict, trajectory_id: int, instrument_id: int, who: str, day: dt.date) -> bool:
    """Whether the instrument was answered (by ``who``; by anyone when empty) on or before ``day``."""
    respondents = [who] if who else list(Respondent.values)
    return any(
        taken_on <= day
        for respondent in respondents
        for taken_on, _score in series.get((trajectory_id, instrument_id, respondent), ())
    )


def _suppressed(tally: Tally, quarters, measures, principles, k: int) -> dict:
    out = {}
    for scope in set(tally.shares) | set(tally.changes):
        per_quarter = {}
        for quarter in quarters:
            cells = tally.shares[scope][quarter.key]
            figures = {name: _share(*cells[name], k) if name in cells else {"n": None} for name in SHARES}
            if not scope.startswith("pro:"):
                cell = cells.get("intervision")
                figures["intervision"] = _share(*cell, k) if cell else {"n": None}
            changes = tally.changes[scope][quarter.key]
            figures["change"] = {m.key: _distribution(changes.get(m.key, []), k) for m in measures}
            figures["experience"] = _distribution(changes.get("experience", []), k)
            figures["principles"] = {
                key: _share(*cells[f"principle:{key}"], k) if f"principle:{key}" in cells else {"n": None}
                for key in principles
            }
            per_quarter[quarter.key] = figures
        out[scope] = per_quarter
    return out


def refresh(organisation_id: int) -> QualitySnapshot:
    """Compute the organisation's figures now and store them: one snapshot row per organisation with what
    every page needs (quarters, measures, principles), and one row per scope (the organisation, each team,
    each professional), so a page reads only the few scopes it shows."""
    started = time.perf_counter()
    figures = compute(organisation_id)
    scopes = figures.pop("scopes")
    with transaction.atomic():
        snapshot, _ = QualitySnapshot.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={
                "computed_at": timezone.now(),
                "min_cell_size": suppression.min_cell_size(),
                "method": METHOD,
                "seconds": round(time.perf_counter() - started, 3),
                "figures": figures,
            },
        )
        QualityScope.objects.filter(snapshot=snapshot).delete()
        QualityScope.objects.bulk_create(
            (QualityScope(snapshot=snapshot, scope=scope, figures=data) for scope, data in scopes.items()),
            batch_size=1000,
        )
    return snapshot
