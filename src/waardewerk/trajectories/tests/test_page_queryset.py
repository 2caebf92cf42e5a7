"""The trajectory row of the trajectory section (``selectors.trajectory_page_queryset``): the current plan
version and whether there was emergency access come from correlated SQL on the row, checked here against
the rows on either database."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.trajectories import selectors
from waardewerk.trajectories.models import EmergencyAccess, PlanVersion

pytestmark = pytest.mark.django_db


def _row(actor, trajectory):
    return selectors.trajectory_page_queryset(actor).get(pk=trajectory.pk)


def _version(trajectory, number, text, actor):
    return PlanVersion.objects.create(
        trajectory=trajectory,
        number=number,
        content=json.dumps({"goals": [{"key": "g-1", "text": text}], "choices": []}),
        reason="",
        created_by=actor,
    )


def test_the_current_plan_is_the_highest_version_of_this_trajectory(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    other = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    assert selectors.latest_plan(_row(professional, trajectory)) is None
    _version(trajectory, 1, "Eerste woorden", professional)
    second = _version(trajectory, 2, 'Werken met ouderen, "20 uur" per week — één dag thuis', professional)
    _version(other, 3, "Een ander plan", professional)
    latest = selectors.latest_plan(_row(professional, trajectory))
    assert latest.number == 2
    assert latest.created_at == second.created_at and latest.created_at.tzinfo is not None
    assert (
        json.loads(latest.content)["goals"][0]["text"]
        == 'Werken met ouderen, "20 uur" per week — één dag thuis'
    )
    assert selectors.latest_plan(_row(professional, other)).number == 3


def test_whether_the_trajectory_had_emergency_access(professional, team_lead):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    assert _row(professional, trajectory).has_emergency_access is False
    assert selectors.emergency_accesses(_row(professional, trajectory)) == []
    now = timezone.now()
    EmergencyAccess.objects.create(
        trajectory=trajectory,
        user=team_lead,
        reason="Cliënt belt in crisis, professional ziek",
        starts_at=now - dt.timedelta(hours=5),
        ends_at=now - dt.timedelta(hours=1),
    )
    row = _row(professional, trajectory)
    assert row.has_emergency_access is True
    assert [a.user for a in selectors.emergency_accesses(row)] == [team_lead]
