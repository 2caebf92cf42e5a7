"""Reading a trajectory for a case presentation (``presentation.CaseData``) and for a case review
(``review.Facts``): a fixed number of queries each. Used by the selectors (pages) and the services (which
rebuild what they store, never trusting what a form sent)."""

from __future__ import annotations

from django.db.models import Prefetch

from waardewerk.instruments import effect
from waardewerk.instruments import selectors as instrument_selectors
from waardewerk.intervision.presentation import CaseData
from waardewerk.intervision.review import Facts
from waardewerk.trajectories.models import Evaluation, PlanAgreement, PlanVersion
from waardewerk.trajectories.plan import PlanContent


def _plans(trajectory) -> list[tuple]:
    versions = PlanVersion.objects.filter(trajectory=trajectory).prefetch_related(
        Prefetch("agreements", queryset=PlanAgreement.objects.order_by("agreed_on"))
    )
    return [
        (v, PlanContent.from_json(v.content), list(v.agreements.all())) for v in versions.order_by("number")
    ]


def case_data(trajectory) -> CaseData:
    """Everything a presentation of this trajectory may show (a fixed number of queries)."""
    measurements = instrument_selectors.trajectory_measurements(trajectory)
    definitions = instrument_selectors.definition_set(measurements)
    titles = {}
    for definition in definitions.current.values():
        titles.update(definition.plan_terms() if definition.roles.plan else {})
    evaluation = Evaluation.objects.filter(trajectory=trajectory).first()
    outcome = instrument_selectors.outcome_definition(definitions.current)
    return CaseData(
        trajectory=trajectory,
        client=trajectory.client,
        conversations=list(trajectory.conversations.order_by("date", "id")),
        phase_changes=list(trajectory.phase_changes.order_by("changed_at", "id")),
        adjustments=list(trajectory.adjustments.order_by("date", "id")),
        measurements=measurements,
        effects=effect.build(measurements, definitions.versions, render=False),
        plans=_plans(trajectory),
        evaluation=evaluation,
        value_titles=titles,
        outcome_label=effect.level_label(outcome, evaluation.ladder_rung)
        if outcome is not None and evaluation is not None and evaluation.ladder_rung is not None
        else "",
    )


def review_facts(trajectory) -> Facts:
    """What the checkpoints read (a fixed number of queries)."""
    measurements = instrument_selectors.trajectory_measurements(trajectory)
    definitions = instrument_selectors.definition_set(measurements)
    return Facts(
        trajectory=trajectory,
        definitions=definitions.current,
        measurements=measurements,
        plans=_plans(trajectory),
        conversations=list(trajectory.conversations.order_by("date", "id")),
        adjustments=list(trajectory.adjustments.order_by("date", "id")),
        evaluation=Evaluation.objects.filter(trajectory=trajectory).first(),
    )
