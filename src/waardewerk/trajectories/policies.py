"""Who may see and do what with trajectories. See docs/authorization.md for the matrix."""

from django.db.models import QuerySet

from waardewerk.accounts.models import User
from waardewerk.clients.policies import CASE_ROLES, is_case_worker
from waardewerk.trajectories.models import Action, Trajectory


def visible_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories whose contents the actor may see: those they are responsible for."""
    if not is_case_worker(actor):
        return Trajectory.objects.none()
    return Trajectory.objects.filter(organisation_id=actor.organisation_id, responsible=actor)


def may_have_caseload(actor) -> bool:
    return is_case_worker(actor)


def can_view_trajectory(actor, trajectory: Trajectory) -> bool:
    return is_case_worker(actor) and trajectory.responsible_id == actor.pk


def can_change_trajectory(actor, trajectory: Trajectory) -> bool:
    """Changes (phase, contacts, actions, closing) are for the responsible professional, while open."""
    return can_view_trajectory(actor, trajectory) and trajectory.is_open


def can_start_trajectory(actor, client) -> bool:
    from waardewerk.clients.policies import visible_clients

    return is_case_worker(actor) and visible_clients(actor).filter(pk=client.pk).exists()


def visible_actions(actor) -> QuerySet[Action]:
    return Action.objects.filter(trajectory__in=visible_trajectories(actor))


def assignable_professionals(actor) -> QuerySet[User]:
    """Who can be made responsible for a trajectory: active case workers of the actor's organisation."""
    if not is_case_worker(actor):
        return User.objects.none()
    return User.objects.filter(
        organisation_id=actor.organisation_id, role__in=CASE_ROLES, is_active=True
    ).order_by("last_name", "first_name")
