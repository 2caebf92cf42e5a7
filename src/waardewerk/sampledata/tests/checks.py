"""Checks shared by the demo's and the generator's tests: what any generated measurement history must show,
for whatever instruments are loaded (no test here names one)."""

from __future__ import annotations

from collections import defaultdict

from waardewerk.instruments.definition import Definition
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.instruments.scoring import score
from waardewerk.instruments.selectors import catalogue
from waardewerk.trajectories.models import EndReason, Trajectory


def expected_pairs() -> set[tuple[str, str]]:
    """Every loaded instrument with every respondent its definition names."""
    return {
        (instrument.key, respondent)
        for instrument, definition in catalogue()
        for respondent in definition.data["respondents"]
    }


def positions(definition: Definition, answers: dict) -> int:
    """The sum of the answers' positions on their scales (0 = lowest answer of every item)."""
    total = 0
    for item_id, value in answers.items():
        scale = definition.scale(item_id)
        values = sorted(e["value"] for e in scale["values"]) or list(range(scale["min"], scale["max"] + 1))
        total += values.index(value)
    return total


def check_histories(limit: int | None = None) -> None:
    """Scores as the instruments app computes them; most histories improve, some fall back; a trajectory
    that ended in work ends with an outcome instrument (scored by level) at one of its two top levels."""
    definitions = {i.key: d for i, d in catalogue()}
    rows = Measurement.objects.filter(status=MeasurementStatus.SUBMITTED, corrects__isnull=True)
    rows = rows.select_related("instrument", "instrument_version").order_by("taken_on", "id")
    histories = defaultdict(list)
    for m in rows[:limit] if limit else rows:
        assert m.score == score(m.instrument_version.definition, m.answers)
        assert set(m.answers) == set(Definition(m.instrument_version.definition).items)
        histories[(m.trajectory_id, m.instrument.key, m.respondent)].append(m)
    moves = {"up": 0, "down": 0}
    for (_trajectory, key, _respondent), history in histories.items():
        if len(history) >= 3:
            first, last = (positions(definitions[key], m.answers) for m in (history[0], history[-1]))
            if last != first:
                moves["up" if last > first else "down"] += 1
    assert moves["up"] > 2 * moves["down"] > 0, moves

    outcome_keys = [key for key, d in definitions.items() if d.rule == "level"]
    checked = 0
    for trajectory in Trajectory.objects.filter(
        end_reason__in=[EndReason.PAID_WORK, EndReason.WORK_OWN_EMPLOYER]
    ).prefetch_related("measurements__instrument"):
        for key in outcome_keys:
            definition = definitions[key]
            primary = definition.data["respondents"][0]
            taken = [
                m
                for m in trajectory.measurements.all()
                if m.instrument.key == key and m.respondent == primary
            ]
            if not taken:
                continue
            last = max(taken, key=lambda m: (m.taken_on, m.id))
            item = definition.params["item"]
            values = sorted(e["value"] for e in definition.scale(item)["values"])
            assert last.answers[item] in values[-2:], (trajectory.pk, last.answers)
            assert (trajectory.end_date - last.taken_on).days <= 5
            checked += 1
    assert checked or not outcome_keys
