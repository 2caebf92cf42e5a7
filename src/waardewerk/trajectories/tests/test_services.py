import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import ActionFactory, ClientFactory, TrajectoryFactory
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.trajectories import services
from waardewerk.trajectories.models import ActionStatus, Context, Phase, PhaseChange, Trajectory


@pytest.fixture
def own_client(professional):
    return ClientFactory(organisation=professional.organisation, created_by=professional)


def start(actor, client, **kwargs):
    args = {
        "context": Context.FIRST_TRACK,
        "responsible": actor,
        "start_date": timezone.localdate(),
        "question": "Terug naar eigen werk na uitval.",
    } | kwargs
    return services.trajectory_start(actor=actor, client=client, **args)


@pytest.mark.django_db
def test_start_begins_in_intake_with_a_history_row(professional, team, own_client):
    trajectory = start(professional, own_client)
    assert trajectory.phase == Phase.INTAKE and trajectory.is_open and trajectory.team == team
    (change,) = trajectory.phase_changes.all()
    assert change.from_phase == "" and change.to_phase == Phase.INTAKE and change.changed_by == professional


@pytest.mark.django_db
def test_start_validates(professional, own_client, functional_admin):
    with pytest.raises(ValidationError) as exc:
        start(
            professional,
            own_client,
            context="nonsense",
            question="  ",
            responsible=functional_admin,
            start_date=dt.date(1900, 1, 1),
        )
    assert set(exc.value.message_dict) == {"context", "question", "responsible", "start_date"}
    assert not Trajectory.objects.exists()


@pytest.mark.django_db
def test_only_one_open_trajectory_per_client(professional, own_client):
    start(professional, own_client)
    with pytest.raises(ValidationError):
        start(professional, own_client)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrajectoryFactory(client=own_client, responsible=professional)


@pytest.mark.django_db
def test_phase_changes_are_kept_in_order(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    for phase in (Phase.PLAN, Phase.EXECUTION, Phase.ADJUSTING, Phase.EXECUTION):
        services.trajectory_change_phase(
            actor=professional,
            trajectory=trajectory,
            to_phase=phase,
            reason=f"naar {phase}",
            version=trajectory.version,
        )
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.EXECUTION and trajectory.version == 5
    assert [c.to_phase for c in trajectory.phase_changes.order_by("changed_at", "id")] == [
        Phase.INTAKE,
        Phase.PLAN,
        Phase.EXECUTION,
        Phase.ADJUSTING,
        Phase.EXECUTION,
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "to_phase,reason,field",
    [
        ("unknown", "x", "to_phase"),
        (Phase.INTAKE, "x", "to_phase"),
        (Phase.PLAN, "   ", "reason"),
        (Phase.PLAN, "x" * 501, "reason"),
    ],
)
def test_phase_change_rejects_bad_input(professional, to_phase, reason, field):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    with pytest.raises(ValidationError) as exc:
        services.trajectory_change_phase(
            actor=professional,
            trajectory=trajectory,
            to_phase=to_phase,
            reason=reason,
            version=trajectory.version,
        )
    assert field in exc.value.message_dict
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.INTAKE and PhaseChange.objects.filter(trajectory=trajectory).count() == 1


@pytest.mark.django_db
def test_concurrent_phase_change_is_detected(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    seen = Trajectory.objects.get(pk=trajectory.pk)
    services.trajectory_change_phase(
        actor=professional,
        trajectory=trajectory,
        to_phase=Phase.PLAN,
        reason="eerste",
        version=trajectory.version,
    )
    with pytest.raises(ConcurrentEditError):
        services.trajectory_change_phase(
            actor=professional,
            trajectory=seen,
            to_phase=Phase.EVALUATION,
            reason="tweede",
            version=seen.version,
        )
    assert Trajectory.objects.get(pk=trajectory.pk).phase == Phase.PLAN
    assert PhaseChange.objects.filter(trajectory=trajectory).count() == 2


@pytest.mark.django_db
def test_colleague_cannot_change_phase(professional, colleague):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    with pytest.raises(PermissionDeniedError):
        services.trajectory_change_phase(
            actor=colleague,
            trajectory=trajectory,
            to_phase=Phase.PLAN,
            reason="x",
            version=trajectory.version,
        )


@pytest.mark.django_db
def test_close_records_reason_and_cancels_open_actions(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    action = ActionFactory(trajectory=trajectory)
    services.trajectory_close(
        actor=professional,
        trajectory=trajectory,
        end_date=timezone.localdate(),
        end_reason="paid_work",
        note="Vast contract bij Zorggroep",
        version=trajectory.version,
    )
    trajectory.refresh_from_db()
    action.refresh_from_db()
    assert not trajectory.is_open and trajectory.end_reason == "paid_work"
    assert action.status == ActionStatus.CANCELLED
    with pytest.raises(PermissionDeniedError, match="afgesloten"):
        services.trajectory_change_phase(
            actor=professional,
            trajectory=trajectory,
            to_phase=Phase.PLAN,
            reason="x",
            version=trajectory.version,
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days,reason,note,field",
    [
        (-100, "paid_work", "", "end_date"),
        (5, "paid_work", "", "end_date"),
        (0, "bogus", "", "end_reason"),
        (0, "other", "", "note"),
    ],
)
def test_close_rejects_bad_input(professional, days, reason, note, field):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    with pytest.raises(ValidationError) as exc:
        services.trajectory_close(
            actor=professional,
            trajectory=trajectory,
            end_date=timezone.localdate() + dt.timedelta(days=days),
            end_reason=reason,
            note=note,
            version=trajectory.version,
        )
    assert field in exc.value.message_dict
    trajectory.refresh_from_db()
    assert trajectory.is_open


@pytest.mark.django_db
def test_conversation_in_the_future_is_refused(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    with pytest.raises(ValidationError) as exc:
        services.conversation_record(
            actor=professional,
            trajectory=trajectory,
            date=timezone.localdate() + dt.timedelta(days=1),
            mode="phone",
            summary="x",
        )
    assert "date" in exc.value.message_dict
    conversation = services.conversation_record(
        actor=professional, trajectory=trajectory, date=timezone.localdate(), mode="phone", summary="Gebeld"
    )
    assert conversation.phase == trajectory.phase


@pytest.mark.django_db
def test_action_done_records_completion(professional):
    action = ActionFactory(
        trajectory=TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    )
    services.action_set_status(actor=professional, action=action, status="done")
    assert action.status == "done" and action.completed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.action_set_status(actor=professional, action=action, status="maybe")
