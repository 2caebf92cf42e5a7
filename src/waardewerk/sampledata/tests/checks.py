"""Checks shared by the demo's and the generator's tests: what any generated measurement history must show,
for whatever instruments are loaded (no test here names one)."""

from __future__ import annotations

from collections import defaultdict

from waardewerk.instruments.definition import Definition
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.instruments.scoring import score
from waardewerk.instruments.selectors import catalogue
from waardewerk.trajectories.models import EndReason, Evaluation, Trajectory


def expected_pairs() -> set[tuple[str, str]]:
    """Every loaded instrument measured in rounds (with a schedule) with every respondent it names."""
    return {
        (instrument.key, respondent)
        for instrument, definition in catalogue()
        if definition.data.get("schedule")
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


def check_evaluations_record_the_last_level() -> None:
    """An evaluation records the first outcome instrument's last level (as its first respondent gave it)."""
    definitions = {i.key: d for i, d in catalogue()}
    outcome_keys = [key for key, d in definitions.items() if d.roles.outcome == "level"]
    if not outcome_keys:
        return
    key = sorted(outcome_keys)[0]  # the first outcome instrument, by key as the catalogue lists them
    definition = definitions[key]
    primary, item = definition.data["respondents"][0], definition.params["item"]
    compared = 0
    for evaluation in Evaluation.objects.select_related("trajectory")[:300]:
        taken = list(
            Measurement.objects.filter(
                trajectory=evaluation.trajectory,
                instrument__key=key,
                respondent=primary,
                corrects__isnull=True,
            ).order_by("-taken_on", "-id")[:1]
        )
        if taken:
            assert evaluation.ladder_rung == taken[0].answers[item]
            compared += 1
        else:
            assert evaluation.ladder_rung is None
    assert compared


def check_histories(limit: int | None = None) -> None:
    """Scores as the instruments app computes them; most histories improve, some fall back; a trajectory
    that ended in work ends with an outcome instrument (role ``outcome: level``) at one of its two top
    levels, and the evaluation records the last level."""
    check_evaluations_record_the_last_level()
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

    outcome_keys = [key for key, d in definitions.items() if d.roles.outcome == "level"]
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


def check_timeline() -> None:
    """Every row the sample data wrote has its timeline entry, as if a service had written it."""
    from django.db.models import Count

    from waardewerk.timeline.models import TimelineEntry
    from waardewerk.trajectories.models import (
        Action,
        ActionStatus,
        Adjustment,
        Conversation,
        Evaluation,
        Handover,
        PhaseChange,
        PlanAgreement,
        PlanVersion,
        ProgressNote,
        TrajectoryAssignment,
    )

    events = dict(TimelineEntry.objects.values_list("event").annotate(n=Count("id")).order_by())
    assert events.get("started", 0) + events.get("phase", 0) == PhaseChange.objects.count()
    assert events.get("started") == Trajectory.objects.count()
    expected = {
        "conversation": Conversation.objects.count(),
        "action": Action.objects.count(),
        "action_done": Action.objects.filter(status=ActionStatus.DONE, completed_by_client=False).count(),
        "handover": Handover.objects.count(),
        "assignment": TrajectoryAssignment.objects.count(),
        "measurement": Measurement.objects.filter(status=MeasurementStatus.SUBMITTED).count(),
        "plan_version": PlanVersion.objects.count(),
        "plan_agreed": PlanAgreement.objects.count(),
        "note": ProgressNote.objects.count(),
        "adjustment": Adjustment.objects.count(),
        "evaluation": Evaluation.objects.count(),
        "closed": Trajectory.objects.filter(end_date__isnull=False).count(),
    }
    assert {event: events.get(event, 0) for event in expected} == expected
    assert all(expected[e] for e in ("conversation", "action", "measurement", "plan_version", "closed"))
