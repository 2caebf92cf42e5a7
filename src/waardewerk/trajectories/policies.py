"""Who may see and do what with trajectories and the client's dossier. See docs/authorization.md.

Each question is answered twice from the same rules: as a queryset ("which objects may this actor ...?",
``visible_*``, ``*_trajectories``) and as a yes/no for one object (``can_*``). Where a ``can_*`` keeps a
shortcut that needs no query (the responsible professional), ``trajectories/tests/test_policy_properties.py``
checks on generated organisations that it gives the same answer as its queryset for every actor and object.

- **Working on** a trajectory: its responsible professional, and colleagues with an active assignment
  (co-professional or substitute, from a start date until an optional end date). They read the dossier and,
  while it is open, change it.
- **Emergency access**: a team lead who opened emergency access for a trajectory of a team they lead reads
  that dossier (never changes it) until the access ends (``WAARDEWERK_EMERGENCY_ACCESS_HOURS``).
- **Staffing**: the responsible professional and the team leads of the trajectory's team manage who works
  on an open trajectory, but nobody can give themselves access that way.
- **Scope** (``known_*``): the objects an actor knows exist, which decides between 404 and 403.

This module builds on ``accounts.policies`` and ``clients.policies``; neither imports it.
"""

from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.accounts.actor import application_allows, is_application_actor
from waardewerk.accounts.models import User
from waardewerk.accounts.policies import (
    CASE_ROLES,
    is_case_worker,
    is_functional_admin,
    is_team_lead,
    led_teams,
)
from waardewerk.clients.actor import is_client_actor
from waardewerk.clients.models import Client, Consent
from waardewerk.core import sql
from waardewerk.trajectories.models import (
    Action,
    ActionOwner,
    ActionStatus,
    EmergencyAccess,
    Trajectory,
    TrajectoryAssignment,
)

# Facts: assignments and emergency accesses in force -----------------------------------------------------


def active_assignments(actor, day=None) -> QuerySet[TrajectoryAssignment]:
    if not is_case_worker(actor):
        return TrajectoryAssignment.objects.none()
    day = day or timezone.localdate()
    return TrajectoryAssignment.objects.filter(
        user=actor, starts_on__lte=day, revoked_at__isnull=True
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def active_emergency_accesses(actor, now=None) -> QuerySet[EmergencyAccess]:
    if not is_team_lead(actor):
        return EmergencyAccess.objects.none()
    now = now or timezone.now()
    return EmergencyAccess.objects.filter(user=actor, starts_at__lte=now, ends_at__gt=now)


def _in_organisation(actor, ids) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(organisation_id=actor.organisation_id, pk__in=ids)


# The trajectories the actor is responsible for, is assigned to today (``active_assignments``) and, for a
# team lead, holds an active emergency access for (``active_emergency_accesses``), as one SQL union
# (``core.sql``): every page with a trajectory, and the caseload, scopes by them, and built as querysets
# the union cost more to build and compile than to run. ``test_policy_properties`` holds them to the same
# answers as the ``can_*``.
_OWN_SQL = "SELECT id FROM trajectories_trajectory WHERE responsible_id = %s"
_ASSIGNED_SQL = (
    "SELECT trajectory_id FROM trajectories_trajectoryassignment WHERE user_id = %s AND starts_on <= %s"
    " AND revoked_at IS NULL AND (ends_on IS NULL OR ends_on >= %s)"
)
_EMERGENCY_SQL = (
    "SELECT trajectory_id FROM trajectories_emergencyaccess WHERE user_id = %s AND starts_at <= %s"
    " AND ends_at > %s"
)


def _scope_ids(actor, *, emergency: bool):
    day = timezone.localdate()
    parts, params = [_OWN_SQL, _ASSIGNED_SQL], [actor.pk, actor.pk, day, day]
    if emergency and is_team_lead(actor):  # as active_emergency_accesses: only team leads hold one
        now = timezone.now()
        parts.append(_EMERGENCY_SQL)
        params += [actor.pk, now, now]
    return sql.ids(" UNION ".join(parts), params)


# Dossier contents --------------------------------------------------------------------------------------


def working_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories the actor works on: responsible for, or assigned to today (open and closed). These make
    the caseload; only these can be changed."""
    if not is_case_worker(actor):
        return Trajectory.objects.none()
    # One set of ids, not "responsible OR EXISTS(assignment)": with the OR, PostgreSQL tests every open
    # trajectory of the organisation (tens of thousands); the union is index scans on (responsible, ...)
    # and (user, ...) and stays as fast at any size (docs/performance.md).
    return _in_organisation(actor, _scope_ids(actor, emergency=False))


def working_trajectory_ids(actor, *, open_only: bool = False):
    """The ids of ``working_trajectories(actor)`` (with ``open_only``: of ``changeable_trajectories``) as one
    SQL subquery, for ``filter(trajectory_id__in=...)``: the same trajectories (``test_policy_properties``).
    For the start page, whose ten signal queries each filter by the actor's scope: as a queryset the scope
    cost each of them more Python to build and compile than the database took to run it
    (docs/performance.md)."""
    if not is_case_worker(actor):
        return Trajectory.objects.none().values("pk")
    day = timezone.localdate()
    still_open = " AND end_date IS NULL" if open_only else ""
    return sql.ids(
        f"SELECT id FROM trajectories_trajectory WHERE organisation_id = %s{still_open}"  # noqa: S608 - no input
        f" AND id IN ({_OWN_SQL} UNION {_ASSIGNED_SQL})",
        [actor.organisation_id, actor.pk, actor.pk, day, day],
    )


def changeable_trajectory_ids(actor):
    """The ids of ``changeable_trajectories(actor)`` as one SQL subquery (``working_trajectory_ids``)."""
    return working_trajectory_ids(actor, open_only=True)


def works_on_visible(actor) -> ExpressionWrapper:
    """For annotating trajectories already scoped by ``visible_trajectories(actor)``: whether the actor works
    on each (as ``working_trajectories``). Within that scope the organisation is already checked, so this is
    the responsible professional or an active assignment: a cheaper expression to build and run than
    ``Exists(working_trajectories(actor))``, with the same answer (``test_policy_properties``). In SQL
    (``core.sql.RowSQL``), the assignment as ``active_assignments`` has it: the trajectory section reads it
    on every request, and as a queryset it cost more to build than to run."""
    if not is_case_worker(actor):
        return ExpressionWrapper(Value(False), output_field=BooleanField())
    day = timezone.localdate()
    return sql.RowSQL(
        "{outer}.responsible_id = %s OR EXISTS (SELECT 1 FROM trajectories_trajectoryassignment"
        " WHERE trajectory_id = {outer}.id AND user_id = %s AND starts_on <= %s AND revoked_at IS NULL"
        " AND (ends_on IS NULL OR ends_on >= %s))",
        (actor.pk, actor.pk, day, day),
        output_field=BooleanField(),
    )


def my_assignment_kind(actor) -> sql.RowSQL:
    """For annotating trajectories: the kind of the actor's active assignment to each (as
    ``active_assignments``, the first by its start), or NULL. In SQL (``core.sql.RowSQL``) for the
    caseload's rows: as a ``Subquery`` of ``active_assignments`` it cost the page more to build and compile
    than to run (``test_policy_properties`` holds the two to the same answer)."""
    if not is_case_worker(actor):
        return ExpressionWrapper(Value(None), output_field=CharField())
    day = timezone.localdate()
    return sql.RowSQL(
        "SELECT kind FROM trajectories_trajectoryassignment WHERE user_id = %s AND trajectory_id = {outer}.id"
        " AND starts_on <= %s AND revoked_at IS NULL AND (ends_on IS NULL OR ends_on >= %s)"
        " ORDER BY starts_on, id LIMIT 1",
        (actor.pk, day, day),
        output_field=CharField(),
    )


def can_work_on_trajectory(actor, trajectory: Trajectory) -> bool:
    if not is_case_worker(actor) or trajectory.organisation_id != actor.organisation_id:
        return False
    if trajectory.responsible_id == actor.pk:
        return True
    return active_assignments(actor).filter(trajectory_id=trajectory.pk).exists()


def visible_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories whose contents the actor may read: those they work on, and those they hold an active
    emergency access for. An application (the API) with ``trajectories:read`` reads every trajectory of
    its organisation; it never changes one (``changeable_trajectories`` is empty for it)."""
    if is_application_actor(actor):
        return application_trajectories(actor)
    if not is_case_worker(actor):
        return Trajectory.objects.none()
    return _in_organisation(actor, _scope_ids(actor, emergency=True))


def visible_trajectory_ids(actor):
    """The ids of ``visible_trajectories(actor)`` as one SQL subquery (``core.sql.RowSQL``), for
    ``filter(pk__in=...)``: the same trajectories (``test_policy_properties``). For the pages with a
    trajectory's section (the dossier, the trajectory page, the effect view), whose query is compiled once
    per process (``core.compiled``) and runs with the actor's values."""
    if is_application_actor(actor):  # as application_trajectories
        if not application_allows(actor, "trajectories:read"):
            return Trajectory.objects.none().values("pk")
        return sql.ids(
            "SELECT id FROM trajectories_trajectory WHERE organisation_id = %s", [actor.organisation_id]
        )
    if not is_case_worker(actor):
        return Trajectory.objects.none().values("pk")
    scope = _scope_ids(actor, emergency=True)
    return sql.ids(
        f"SELECT id FROM trajectories_trajectory WHERE organisation_id = %s AND id IN ({scope.sql})",  # noqa: S608 - no input
        [actor.organisation_id, *scope.params],
    )


def application_trajectories(actor) -> QuerySet[Trajectory]:
    if not application_allows(actor, "trajectories:read"):
        return Trajectory.objects.none()
    return Trajectory.objects.filter(organisation_id=actor.organisation_id)


def can_view_trajectory(actor, trajectory: Trajectory) -> bool:
    if is_application_actor(actor):
        return application_allows(actor, "trajectories:read") and (
            trajectory.organisation_id == actor.organisation_id
        )
    if not is_case_worker(actor) or trajectory.organisation_id != actor.organisation_id:
        return False
    if trajectory.responsible_id == actor.pk:
        return True
    return visible_trajectories(actor).filter(pk=trajectory.pk).exists()


def changeable_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories the actor may change (phase, conversations, plan, actions, measurements, closing): open
    ones they work on. Emergency access never gives this."""
    return working_trajectories(actor).filter(end_date__isnull=True)


def can_change_trajectory(actor, trajectory: Trajectory) -> bool:
    return trajectory.is_open and can_work_on_trajectory(actor, trajectory)


def emergency_access_in_use(actor, trajectory: Trajectory) -> EmergencyAccess | None:
    """The active emergency access under which the actor reads this trajectory, if any: such reads are
    flagged in the access log. Only team leads hold one, so for anyone else this needs no query."""
    if not is_team_lead(actor) or trajectory.responsible_id == actor.pk:
        return None
    return active_emergency_accesses(actor).filter(trajectory_id=trajectory.pk).first()


def emergency_access_for_client(actor, client: Client) -> EmergencyAccess | None:
    """As ``emergency_access_in_use``, for a read of the client's dossier as a whole."""
    if not is_team_lead(actor):
        return None
    return active_emergency_accesses(actor).filter(trajectory__client_id=client.pk).first()


def visible_actions(actor) -> QuerySet[Action]:
    return Action.objects.filter(trajectory__in=visible_trajectories(actor))


# The client's dossier ----------------------------------------------------------------------------------


def _registered_without_trajectory(actor) -> Q:
    return Q(created_by=actor) & ~Exists(Trajectory.objects.filter(client=OuterRef("pk")))


def visible_clients(actor) -> QuerySet[Client]:
    """Clients with a trajectory the actor may read, and clients the actor registered who have no
    trajectory yet (so a newly registered client does not vanish before the first trajectory). An
    application (the API) with ``clients:read`` reads every client of its organisation."""
    if is_application_actor(actor):
        if not application_allows(actor, "clients:read"):
            return Client.objects.none()
        return Client.objects.filter(organisation_id=actor.organisation_id)
    if not is_case_worker(actor):
        return Client.objects.none()
    readable = visible_trajectories(actor).filter(client=OuterRef("pk"))
    return Client.objects.filter(organisation_id=actor.organisation_id).filter(
        Q(Exists(readable)) | _registered_without_trajectory(actor)
    )


def can_view_client(actor, client: Client) -> bool:
    return visible_clients(actor).filter(pk=client.pk).exists()


def editable_clients(actor) -> QuerySet[Client]:
    """Clients whose personal data and consents the actor may change, and for whom they may start a
    trajectory: as ``visible_clients``, without emergency access."""
    if not is_case_worker(actor):
        return Client.objects.none()
    working = working_trajectories(actor).filter(client=OuterRef("pk"))
    return Client.objects.filter(organisation_id=actor.organisation_id).filter(
        Q(Exists(working)) | _registered_without_trajectory(actor)
    )


def can_edit_client(actor, client: Client) -> bool:
    return editable_clients(actor).filter(pk=client.pk).exists()


def can_start_trajectory(actor, client: Client) -> bool:
    return can_edit_client(actor, client)


def visible_consents(actor) -> QuerySet[Consent]:
    """Consents of the clients whose dossier the actor may read; changing them needs ``can_edit_client``."""
    return Consent.objects.filter(client__in=visible_clients(actor))


def may_have_caseload(actor) -> bool:
    return is_case_worker(actor)


# Scope: which objects an actor knows exist (404 outside it, 403 inside it when the action is refused) ---


def known_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories the actor reads, and those of the teams they lead (listed in their team overview)."""
    if not is_case_worker(actor):
        return Trajectory.objects.none()
    return Trajectory.objects.filter(
        Q(pk__in=visible_trajectories(actor).values("pk")) | Q(pk__in=team_trajectories(actor).values("pk"))
    )


def known_clients(actor) -> QuerySet[Client]:
    if not is_case_worker(actor):
        return Client.objects.none()
    return Client.objects.filter(
        Q(pk__in=visible_clients(actor).values("pk")) | Q(pk__in=team_trajectories(actor).values("client_id"))
    )


# Staffing (who works on a trajectory) ------------------------------------------------------------------


def manageable_trajectories(actor) -> QuerySet[Trajectory]:
    """Open trajectories whose staffing (responsible, assignments) the actor may change: the responsible
    professional's own, and every open trajectory of a team the actor leads."""
    if not is_case_worker(actor):
        return Trajectory.objects.none()
    own = Q(responsible=actor)
    if is_team_lead(actor):
        own |= Q(team__in=led_teams(actor))
    return Trajectory.objects.filter(organisation_id=actor.organisation_id, end_date__isnull=True).filter(own)


def can_manage_staffing(actor, trajectory: Trajectory) -> bool:
    if not trajectory.is_open or not is_case_worker(actor):
        return False
    if trajectory.responsible_id == actor.pk and trajectory.organisation_id == actor.organisation_id:
        return True  # the responsible professional's own: no query needed (as manageable_trajectories)
    return manageable_trajectories(actor).filter(pk=trajectory.pk).exists()


def manageable_assignments(actor) -> QuerySet[TrajectoryAssignment]:
    return TrajectoryAssignment.objects.filter(trajectory__in=manageable_trajectories(actor))


def assignable_professionals(actor) -> QuerySet[User]:
    """Who can be made responsible for or assigned to a trajectory: the organisation's active case workers."""
    if not is_case_worker(actor):
        return User.objects.none()
    return User.objects.filter(
        organisation_id=actor.organisation_id, role__in=CASE_ROLES, is_active=True
    ).order_by("last_name", "first_name")


def can_import_trajectories(actor) -> bool:
    """Starting trajectories from a file of another system (docs/import.md): the functional administrator,
    for clients of their organisation, with one of its active case workers responsible."""
    return is_functional_admin(actor)


def importable_professionals(actor) -> QuerySet[User]:
    """Who an imported trajectory can be given to: the organisation's active case workers."""
    if not can_import_trajectories(actor):
        return User.objects.none()
    return User.objects.filter(organisation_id=actor.organisation_id, role__in=CASE_ROLES, is_active=True)


def staffing_candidates(actor) -> QuerySet[User]:
    """Whom the actor may assign or hand a trajectory to: every assignable colleague except themselves.
    Staffing never opens a dossier to the one who changes it (emergency access is the way for that)."""
    return assignable_professionals(actor).exclude(pk=getattr(actor, "pk", None))


def is_staffing_candidate(actor, user) -> bool:
    return user is not None and staffing_candidates(actor).filter(pk=user.pk).exists()


# Team lead ---------------------------------------------------------------------------------------------


def may_see_team_overview(actor) -> bool:
    return is_team_lead(actor)


def team_trajectories(actor) -> QuerySet[Trajectory]:
    """The trajectories of the teams the actor leads: for overview and figures, not for contents."""
    if not may_see_team_overview(actor):
        return Trajectory.objects.none()
    return Trajectory.objects.filter(organisation_id=actor.organisation_id, team__in=led_teams(actor))


# Emergency access ("break the glass") ------------------------------------------------------------------


def emergency_access_candidates(actor) -> QuerySet[Trajectory]:
    """Trajectories the actor may open emergency access for: open trajectories of a team they lead whose
    dossier they cannot read now. Only team leads: they answer for their team's clients, and already see
    that these trajectories exist."""
    if not is_team_lead(actor):
        return Trajectory.objects.none()
    return (
        team_trajectories(actor)
        .filter(end_date__isnull=True)
        .exclude(pk__in=visible_trajectories(actor).values("pk"))
    )


def can_open_emergency_access(actor, trajectory: Trajectory) -> bool:
    return emergency_access_candidates(actor).filter(pk=trajectory.pk).exists()


# The client in the portal ------------------------------------------------------------------------------


def client_trajectories(actor) -> QuerySet[Trajectory]:
    """A client in the portal sees their own trajectories, open and closed; anyone else none here."""
    if not is_client_actor(actor):
        return Trajectory.objects.none()
    return Trajectory.objects.filter(client_id=actor.client.pk)


def client_actions(actor) -> QuerySet[Action]:
    return Action.objects.filter(trajectory__in=client_trajectories(actor))


def client_completable_actions(actor) -> QuerySet[Action]:
    """The client's own open actions (owner: client) on an open trajectory: these they can mark done."""
    return client_actions(actor).filter(
        trajectory__end_date__isnull=True, owner=ActionOwner.CLIENT, status=ActionStatus.OPEN
    )


def can_client_complete_action(actor, action: Action) -> bool:
    return (
        is_client_actor(actor)
        and action.trajectory.client_id == actor.client.pk
        and action.trajectory.is_open
        and action.owner == ActionOwner.CLIENT
        and action.status == ActionStatus.OPEN
    )


def can_client_agree_to_plan(actor, trajectory: Trajectory) -> bool:
    """The client agrees to the plan of their own open trajectory in the portal."""
    return is_client_actor(actor) and trajectory.client_id == actor.client.pk and trajectory.is_open


# Refusals: what a 403 says -----------------------------------------------------------------------------


def refusal_to_read() -> str:
    return _(
        "You do not have access to this dossier: only the responsible professional and assigned colleagues "
        "read it. A team lead who needs it in an emergency opens emergency access on the staffing page."
    )


def refusal_to_change(trajectory: Trajectory) -> str:
    if not trajectory.is_open:
        return _("This trajectory is closed: it can no longer be changed.")
    return _(
        "You can read this dossier but not change it: only the responsible professional and assigned "
        "colleagues change it."
    )


def refusal_to_manage_staffing(trajectory: Trajectory) -> str:
    if not trajectory.is_open:
        return _("This trajectory is closed: who works on it no longer changes.")
    return _("Only the responsible professional and the team lead of the team change who works on it.")


def refusal_to_give_yourself_access() -> str:
    """Staffing never opens a dossier to the one who changes it (docs/authorization.md, "Staffing")."""
    return _(
        "You cannot give yourself access to a dossier. Ask the responsible professional or another team "
        "lead to add you, or open emergency access with a reason."
    )


def refusal_to_open_emergency_access(actor, trajectory: Trajectory) -> str:
    if can_view_trajectory(actor, trajectory):
        return _("You can read this dossier already: emergency access is not needed.")
    return _("Emergency access is for open trajectories of a team you lead, by its team lead.")
