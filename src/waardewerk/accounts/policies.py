"""The actor and its role: the bottom of the policy layer (docs/authorization.md); the organisation's
structure (teams and users) and resetting a second factor.

Every other policy module starts from these answers; nothing outside a ``policies.py`` looks at a role.
The import direction between policy modules is fixed and checked by ``tests/test_policy_contract.py``:

    accounts <- clients <- trajectories <- instruments, portal, reports
    accounts <- audit, knowledge

This module imports no other policy module.
"""

from django.db.models import QuerySet

from waardewerk.accounts.models import Role, Team, TeamMembership, User
from waardewerk.core import sql

CASE_ROLES = frozenset({Role.PROFESSIONAL, Role.TEAM_LEAD})


def is_staff_member(actor) -> bool:
    """A signed-in, active user of an organisation (any role). A client in the portal is not."""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and getattr(actor, "organisation_id", None)
    )


def actor_kind(actor) -> tuple:
    """What the role policies look at of an actor, in one look: signed in, active, of an organisation, and
    the role. The policies the navigation asks (``pages.navigation``) decide on this alone, so two actors of
    the same kind get the same answers and the navigation asks the policies once per kind (a process keeps
    the answers). A policy the navigation asks that needs more of the user (a flag, a row) breaks that:
    ``pages/tests/test_navigation.py`` fails when one reads anything else of the actor."""
    return (
        bool(getattr(actor, "is_authenticated", False)),
        bool(getattr(actor, "is_active", False)),
        bool(getattr(actor, "organisation_id", None)),
        getattr(actor, "role", None),
    )


def is_case_worker(actor) -> bool:
    """A professional or team lead: someone who can be responsible for trajectories."""
    return is_staff_member(actor) and actor.role in CASE_ROLES


def is_team_lead(actor) -> bool:
    return is_staff_member(actor) and actor.role == Role.TEAM_LEAD


def is_functional_admin(actor) -> bool:
    return is_staff_member(actor) and actor.role == Role.FUNCTIONAL_ADMIN


def is_knowledge_editor(actor) -> bool:
    """The content role ("Inhoudsredacteur", content editor) that publishes knowledge-base entries and
    reviews proposed local practice methods (docs/knowledge.md), and edits the organisation's intervision
    methods and review checkpoints (docs/intervision.md); separate from the functional administrator."""
    return is_staff_member(actor) and actor.role == Role.KNOWLEDGE_EDITOR


def led_teams(actor) -> QuerySet[Team]:
    """The teams a team lead leads: the teams of their own organisation they are a member of."""
    if not is_team_lead(actor):
        return Team.objects.none()
    return Team.objects.filter(organisation_id=actor.organisation_id, memberships__user=actor)


def led_team_ids(actor):
    """The ids of ``led_teams(actor)`` as one SQL subquery (``core.sql``), for queries compiled once
    (``core.compiled``: the start page's counts per team); the same teams (``workday`` tests)."""
    if not is_team_lead(actor):
        return Team.objects.none().values("pk")
    return sql.ids(
        f"SELECT m.team_id FROM {TeamMembership._meta.db_table} m"  # noqa: S608 - table names, no input
        f" JOIN {Team._meta.db_table} t ON t.id = m.team_id WHERE m.user_id = %s AND t.organisation_id = %s",
        [actor.pk, actor.organisation_id],
    )


def can_view_organisation(actor) -> bool:
    """The organisation's teams and users: the functional administrator's page."""
    return is_functional_admin(actor)


def can_reset_two_factor(actor, user) -> bool:
    """A functional administrator resets the second factor of another user of their organisation (their
    own is reset by another administrator, or by the server's operator)."""
    return (
        can_view_organisation(actor) and user.organisation_id == actor.organisation_id and user.pk != actor.pk
    )


def can_view_background_tasks(actor) -> bool:
    """The queue of background tasks and the ones that failed: the functional administrator's page. It
    shows which task ran when and how it ended, never the task's arguments or its error message (which may
    name a client)."""
    return is_functional_admin(actor)


def can_manage_users(actor) -> bool:
    """Create users, change their name, role, profession and teams, deactivate them and send them a link to
    set a password; create and rename teams: the functional administrator, in their own organisation."""
    return is_functional_admin(actor)


def manageable_users(actor) -> QuerySet[User]:
    if not can_manage_users(actor):
        return User.objects.none()
    return User.objects.filter(organisation_id=actor.organisation_id)


def manageable_teams(actor) -> QuerySet[Team]:
    if not can_manage_users(actor):
        return Team.objects.none()
    return Team.objects.filter(organisation_id=actor.organisation_id)


def can_deactivate_user(actor, user) -> bool:
    """Not oneself: the last administrator of an organisation cannot lock everyone out that way."""
    return can_manage_users(actor) and user.organisation_id == actor.organisation_id and user.pk != actor.pk


def may_give_role(actor, user, role) -> bool:
    """An administrator gives any role, except a new one to themselves (another administrator does that, so
    nobody raises or drops their own rights alone)."""
    return can_manage_users(actor) and (user.pk != actor.pk or role == user.role)
