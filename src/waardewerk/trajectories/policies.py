"""Who may see and do what with trajectories. See docs/authorization.md for the matrix.

Dossier contents are for the responsible professional and for colleagues with an active assignment
(co-professional or substitute, from a start date until an optional end date). A team lead sees the
team's caseload overview and manages assignments, but reads dossier contents only where assigned.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from waardewerk.accounts.models import Role, Team, User
from waardewerk.clients.policies import CASE_ROLES, is_case_worker
from waardewerk.trajectories.models import Action, Trajectory, TrajectoryAssignment


def active_assignments(actor, day=None) -> QuerySet[TrajectoryAssignment]:
    day = day or timezone.localdate()
    return TrajectoryAssignment.objects.filter(
        user=actor, starts_on__lte=day, revoked_at__isnull=True
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def visible_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories whose contents the actor may see: responsible for, or assigned to today."""
    if not is_case_worker(actor):
        return Trajectory.objects.none()
    # One set of ids, not "responsible OR EXISTS(assignment)": with the OR, PostgreSQL tests every open
    # trajectory of the organisation (tens of thousands); the union is two index scans on
    # (responsible, ...) and (user, ...) and stays as fast at any size (docs/performance.md).
    own = Trajectory.objects.filter(responsible=actor).order_by().values("pk")
    assigned = active_assignments(actor).order_by().values("trajectory_id")
    return Trajectory.objects.filter(organisation_id=actor.organisation_id, pk__in=own.union(assigned))


def may_have_caseload(actor) -> bool:
    return is_case_worker(actor)


def can_view_trajectory(actor, trajectory: Trajectory) -> bool:
    if not is_case_worker(actor) or trajectory.organisation_id != actor.organisation_id:
        return False
    if trajectory.responsible_id == actor.pk:
        return True
    return active_assignments(actor).filter(trajectory=trajectory).exists()


def can_change_trajectory(actor, trajectory: Trajectory) -> bool:
    """Changes (phase, conversations, actions, closing) are for whoever may see it, while it is open."""
    return trajectory.is_open and can_view_trajectory(actor, trajectory)


def can_start_trajectory(actor, client) -> bool:
    from waardewerk.clients.policies import visible_clients

    return is_case_worker(actor) and visible_clients(actor).filter(pk=client.pk).exists()


def visible_actions(actor) -> QuerySet[Action]:
    return Action.objects.filter(trajectory__in=visible_trajectories(actor))


def assignable_professionals(actor) -> QuerySet[User]:
    """Who can be made responsible for or assigned to a trajectory: the organisation's active case workers."""
    if not is_case_worker(actor):
        return User.objects.none()
    return User.objects.filter(
        organisation_id=actor.organisation_id, role__in=CASE_ROLES, is_active=True
    ).order_by("last_name", "first_name")


# Team lead ------------------------------------------------------------------------------------------------


def led_teams(actor) -> QuerySet[Team]:
    if not (is_case_worker(actor) and actor.role == Role.TEAM_LEAD):
        return Team.objects.none()
    return Team.objects.filter(organisation_id=actor.organisation_id, memberships__user=actor)


def may_see_team_overview(actor) -> bool:
    return bool(actor.is_authenticated) and actor.role == Role.TEAM_LEAD and is_case_worker(actor)


def team_trajectories(actor) -> QuerySet[Trajectory]:
    """The caseload overview of the teams the actor leads: for overview and figures, not for contents."""
    if not may_see_team_overview(actor):
        return Trajectory.objects.none()
    return Trajectory.objects.filter(organisation_id=actor.organisation_id, team__in=led_teams(actor))


def manageable_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories whose staffing (responsible, assignments) the actor may change: the responsible
    professional's own, and every trajectory of a team the actor leads."""
    if not is_case_worker(actor):
        return Trajectory.objects.none()
    own = Q(responsible=actor)
    if actor.role == Role.TEAM_LEAD:
        own |= Q(team__in=led_teams(actor))
    return Trajectory.objects.filter(organisation_id=actor.organisation_id).filter(own)


def can_manage_staffing(actor, trajectory: Trajectory) -> bool:
    if not trajectory.is_open or not is_case_worker(actor):
        return False
    if trajectory.responsible_id == actor.pk and trajectory.organisation_id == actor.organisation_id:
        return True  # the responsible professional's own: no query needed (as manageable_trajectories)
    return manageable_trajectories(actor).filter(pk=trajectory.pk).exists()


# The client in the portal ---------------------------------------------------------------------------------


def client_trajectories(actor) -> QuerySet[Trajectory]:
    """A client in the portal sees their own trajectories, open and closed; anyone else none here."""
    from waardewerk.clients.actor import is_client_actor

    if not is_client_actor(actor):
        return Trajectory.objects.none()
    return Trajectory.objects.filter(client_id=actor.client.pk)


def client_actions(actor) -> QuerySet[Action]:
    return Action.objects.filter(trajectory__in=client_trajectories(actor))


def can_client_complete_action(actor, action: Action) -> bool:
    """A client marks their own open actions done (owner: client), while the trajectory is open."""
    from waardewerk.clients.actor import is_client_actor
    from waardewerk.trajectories.models import ActionOwner, ActionStatus

    return (
        is_client_actor(actor)
        and action.trajectory.client_id == actor.client.pk
        and action.trajectory.is_open
        and action.owner == ActionOwner.CLIENT
        and action.status == ActionStatus.OPEN
    )
