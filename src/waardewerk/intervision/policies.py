"""Who may see and do what in intervision. See docs/intervision.md and docs/authorization.md.

- Methods are content without client data: every staff member reads them.
- A group and its sessions are visible to its members only; anyone else (a colleague of the same
  organisation who is not a member, another organisation, a client) gets the same 404 as for a group that
  does not exist.
- The functional administrator manages the groups of the organisation (name, schedule, members) but does not
  read what members write in sessions: session notes are peer conversation about their work, not a
  management instrument.
- Any member writes the session record and adds their own experiments; only the owner of an experiment
  writes its reflection, and only the owner sees the trajectory it is linked to.
"""

from django.db.models import QuerySet

from waardewerk.accounts.models import Role, User
from waardewerk.intervision.models import Experiment, IntervisionGroup, IntervisionSession

MEMBER_ROLES = (Role.PROFESSIONAL, Role.TEAM_LEAD)


def _staff(actor) -> bool:
    return bool(
        actor
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and getattr(actor, "organisation_id", None)
    )


def can_read_methods(actor) -> bool:
    return _staff(actor)


def may_join_groups(actor) -> bool:
    return _staff(actor) and actor.role in MEMBER_ROLES


def can_manage_groups(actor) -> bool:
    return _staff(actor) and actor.role == Role.FUNCTIONAL_ADMIN


def may_use_intervision(actor) -> bool:
    """Shown in the navigation: members read their groups, the functional administrator manages them."""
    return may_join_groups(actor) or can_manage_groups(actor)


def eligible_members(actor) -> QuerySet[User]:
    """Who may be put in a group of the actor's organisation."""
    if not _staff(actor):
        return User.objects.none()
    return User.objects.filter(
        organisation_id=actor.organisation_id, is_active=True, role__in=MEMBER_ROLES
    ).order_by("last_name", "first_name", "username")


def visible_groups(actor) -> QuerySet[IntervisionGroup]:
    if not may_join_groups(actor):
        return IntervisionGroup.objects.none()
    return IntervisionGroup.objects.filter(organisation_id=actor.organisation_id, members=actor)


def group_in_organisation(actor, group_id) -> bool:
    """Whether a group with this public id exists in the actor's organisation (whoever may use it): outside
    it, every answer is the 404 of a group that does not exist."""
    return (
        _staff(actor)
        and IntervisionGroup.objects.filter(organisation_id=actor.organisation_id, uuid=group_id).exists()
    )


def manageable_groups(actor) -> QuerySet[IntervisionGroup]:
    if not can_manage_groups(actor):
        return IntervisionGroup.objects.none()
    return IntervisionGroup.objects.filter(organisation_id=actor.organisation_id)


def is_member(actor, group: IntervisionGroup) -> bool:
    return may_join_groups(actor) and visible_groups(actor).filter(pk=group.pk).exists()


def visible_sessions(actor) -> QuerySet[IntervisionSession]:
    return IntervisionSession.objects.filter(group__in=visible_groups(actor))


def can_write_session(actor, session: IntervisionSession) -> bool:
    return is_member(actor, session.group)


def visible_experiments(actor) -> QuerySet[Experiment]:
    return Experiment.objects.filter(session__in=visible_sessions(actor))


def can_reflect(actor, experiment: Experiment) -> bool:
    return experiment.owner_id == getattr(actor, "pk", None) and is_member(actor, experiment.session.group)


def may_see_experiment_trajectory(actor, experiment: Experiment) -> bool:
    return experiment.owner_id == getattr(actor, "pk", None)
