import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, ConversationFactory, TrajectoryFactory
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.timeline.selectors import timeline_entries
from waardewerk.trajectories import policies, selectors, services
from waardewerk.trajectories.models import Trajectory, TrajectoryAssignment

TODAY = timezone.localdate


@pytest.fixture
def trajectory(professional, team):
    return TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )


def assign(actor, trajectory, user, starts=0, ends=None, kind="substitute"):
    return services.assignment_add(
        actor=actor,
        trajectory=trajectory,
        user=user,
        kind=kind,
        starts_on=TODAY() + dt.timedelta(days=starts),
        ends_on=None if ends is None else TODAY() + dt.timedelta(days=ends),
    )


@pytest.mark.django_db
def test_substitute_sees_and_changes_the_trajectory_only_during_the_period(
    professional, colleague, trajectory
):
    assert not policies.can_view_trajectory(colleague, trajectory)
    assignment = assign(professional, trajectory, colleague, starts=0, ends=6)
    assert policies.can_change_trajectory(colleague, trajectory)
    assert list(policies.visible_trajectories(colleague)) == [trajectory]
    assert list(selectors.caseload(actor=colleague))[0].my_assignment == "substitute"
    assert not policies.active_assignments(colleague, TODAY() + dt.timedelta(days=7)).exists()
    services.assignment_end(actor=professional, assignment=assignment)
    assert not policies.can_view_trajectory(colleague, trajectory)


@pytest.mark.django_db
def test_future_assignment_gives_no_access_yet(professional, colleague, trajectory):
    assign(professional, trajectory, colleague, starts=3, kind="co_professional")
    assert not policies.can_view_trajectory(colleague, trajectory)
    assert policies.active_assignments(colleague, TODAY() + dt.timedelta(days=3)).exists()


@pytest.mark.django_db
def test_assignment_rules(professional, colleague, functional_admin, trajectory):
    with pytest.raises(ValidationError) as exc:
        assign(professional, trajectory, professional)
    assert "user" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        assign(professional, trajectory, functional_admin)
    assert "user" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        assign(professional, trajectory, colleague, starts=5, ends=2)
    assert "ends_on" in exc.value.message_dict
    assign(professional, trajectory, colleague, starts=0, ends=10)
    with pytest.raises(ValidationError):
        assign(professional, trajectory, colleague, starts=5)  # overlaps
    with pytest.raises(PermissionDeniedError):
        assign(colleague, trajectory, colleague, starts=20)  # a substitute does not manage staffing
    assert TrajectoryAssignment.objects.count() == 1


@pytest.mark.django_db
def test_team_lead_manages_staffing_without_reading_the_dossier(
    professional, colleague, team_lead, trajectory
):
    assert not policies.can_view_trajectory(team_lead, trajectory)
    assert policies.can_manage_staffing(team_lead, trajectory)
    assign(team_lead, trajectory, colleague)
    assert policies.can_view_trajectory(colleague, trajectory)
    assert not policies.can_view_trajectory(team_lead, trajectory)


@pytest.mark.django_db
def test_transfer_moves_access_and_is_recorded(professional, colleague, trajectory):
    services.trajectory_transfer(
        actor=professional,
        trajectory=trajectory,
        responsible=colleague,
        reason="Zwangerschapsverlof",
        version=trajectory.version,
    )
    trajectory.refresh_from_db()
    assert trajectory.responsible == colleague
    assert policies.can_view_trajectory(colleague, trajectory)
    assert not policies.can_view_trajectory(professional, trajectory)
    (handover,) = [e for e in timeline_entries(trajectory) if e.event == "handover"]
    assert handover.texts == {"reason": "Zwangerschapsverlof"} and handover.actor_id == professional.pk
    assert str(handover.actor) == str(professional)
    assert handover.data == {"from": "Pia Professional", "to": "Cor Collega"}


@pytest.mark.django_db
def test_team_overview_figures(login, professional, colleague, team_lead, team):
    for responsible in (professional, professional, colleague):
        t = TrajectoryFactory(
            responsible=responsible, client__organisation=professional.organisation, team=team
        )
        ActionFactory(trajectory=t, due_date=TODAY() - dt.timedelta(days=2))
    recent = TrajectoryFactory(
        responsible=colleague, client__organisation=professional.organisation, team=team
    )
    ConversationFactory(trajectory=recent, date=TODAY())
    TrajectoryFactory(responsible=colleague, client__organisation=professional.organisation)  # other team
    Trajectory.objects.filter(pk=recent.pk).update(measurement_due_on=TODAY() - dt.timedelta(days=1))
    overview = selectors.team_overview(actor=team_lead)
    assert overview["totals"] == {
        "open": 4,
        "no_recent_contact": 3,
        "with_overdue": 3,
        "long_in_phase": 0,
        "measurement_overdue": 1,
    }
    assert "per_professional" not in overview  # no figures per named professional (docs/quality.md)
    late = selectors.team_overview(actor=team_lead, attention="measurement_late")["rows"]
    assert list(late) == [recent]
    assert selectors.team_overview(actor=team_lead, attention="overdue")["rows"].count() == 3
    assert selectors.team_overview(actor=team_lead, attention="any")["rows"].count() == 4
    html = login(team_lead).get(reverse("trajectories:team")).content.decode()
    assert "Teamoverzicht" in html
    assert "Per professional" not in html and "Per professional" not in html
    assert reverse("clients:dossier", args=[recent.client.uuid]) not in html  # no dossier link: not assigned


@pytest.mark.django_db
def test_team_overview_query_count_is_constant(
    login, professional, team_lead, team, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(team_lead)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("trajectories:team")).status_code == 200
        return len(ctx.captured_queries)

    TrajectoryFactory(responsible=professional, client__organisation=professional.organisation, team=team)
    small = count()
    for _ in range(15):
        t = TrajectoryFactory(
            responsible=professional, client__organisation=professional.organisation, team=team
        )
        ActionFactory(trajectory=t)
    assert count() == small


@pytest.mark.django_db
def test_staffing_page_query_count_is_constant(login, professional, trajectory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    c = login(professional)
    url = reverse("trajectories:staffing", args=[trajectory.uuid])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(8):
        user = UserFactory(organisation=professional.organisation)
        TrajectoryAssignment.objects.create(
            trajectory=trajectory,
            user=user,
            kind="co_professional",
            starts_on=TODAY() - dt.timedelta(days=30),
            ends_on=TODAY() - dt.timedelta(days=1) if i % 2 else None,
            created_by=professional,
        )
    assert count() == small


@pytest.mark.django_db
def test_a_colleague_can_be_added_again_after_an_early_end(professional, colleague, trajectory):
    first = assign(professional, trajectory, colleague)
    services.assignment_end(actor=professional, assignment=first)
    assert not policies.can_view_trajectory(colleague, trajectory)
    assign(professional, trajectory, colleague)
    assert policies.can_view_trajectory(colleague, trajectory)
