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

from django.db.models import Exists, OuterRef, Q, QuerySet

from waardewerk.accounts.models import Role, User
from waardewerk.accounts.policies import is_knowledge_editor
from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.core import sql
from waardewerk.intervision.models import (
    CasePresentation,
    CaseReview,
    Experiment,
    IntervisionGroup,
    IntervisionSession,
    PresentationStatus,
)
from waardewerk.trajectories.policies import can_view_trajectory, visible_trajectories

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


def can_edit_content(actor) -> bool:
    """The content editor of the organisation edits its methods and review checkpoints (new versions)."""
    return _staff(actor) and is_knowledge_editor(actor)


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


def visible_group_ids(actor):
    """The ids of ``visible_groups(actor)`` as one SQL subquery (``core.sql``), for the start page's signal
    query compiled once (``core.compiled``); the same groups (``intervision/tests/test_group_ids.py``)."""
    if not may_join_groups(actor):
        return IntervisionGroup.objects.none().values("pk")
    members = IntervisionGroup.members.through._meta
    group, user = members.get_field("intervisiongroup").column, members.get_field("user").column
    return sql.ids(
        f"SELECT m.{group} FROM {members.db_table} m"  # noqa: S608 - the models' names, no input
        f" JOIN {IntervisionGroup._meta.db_table} g ON g.id = m.{group}"
        f" WHERE m.{user} = %s AND g.organisation_id = %s",
        [actor.pk, actor.organisation_id],
    )


def visible_sessions(actor) -> QuerySet[IntervisionSession]:
    return IntervisionSession.objects.filter(group__in=visible_groups(actor))


def can_write_session(actor, session: IntervisionSession) -> bool:
    return is_member(actor, session.group)


def can_record_attendance(actor, session: IntervisionSession) -> bool:
    """The facilitator of the session records who attended (and who sent apologies)."""
    return session.facilitator_id == getattr(actor, "pk", None) and is_member(actor, session.group)


def visible_experiments(actor) -> QuerySet[Experiment]:
    return Experiment.objects.filter(session__in=visible_sessions(actor))


def can_reflect(actor, experiment: Experiment) -> bool:
    return experiment.owner_id == getattr(actor, "pk", None) and is_member(actor, experiment.session.group)


def may_see_experiment_trajectory(actor, experiment: Experiment) -> bool:
    return experiment.owner_id == getattr(actor, "pk", None)


# Case presentations and reviews --------------------------------------------------------------------------
#
# - The case owner builds a presentation from a trajectory they are responsible for and may see, while its
#   client's intervision consent is active, for a group they are a member of. Until they confirm it, only
#   they see it (a draft); they may withdraw it at any time.
# - Members of the group read a shared presentation while the consent grant it was made under is active: a
#   withdrawal hides it from then on (also when consent is given again later: that is a new grant).
# - A case review is read by its reviewer and by the professional responsible for the trajectory; shared
#   with a group, by that group's members while the client's intervision consent is active. Nobody else,
#   and no page adds reviews up per person.


def _consent_active() -> Q:
    return Q(consent__withdrawn_at__isnull=True)


def presentable_trajectories(actor) -> QuerySet:
    """The trajectories the actor may present: their own, readable, with active intervision consent."""
    if not may_join_groups(actor):
        return visible_trajectories(actor).none()
    consented = Consent.objects.filter(
        client=OuterRef("client"), kind=ConsentKind.INTERVISION, withdrawn_at__isnull=True
    )
    return visible_trajectories(actor).filter(responsible=actor).filter(Exists(consented))


def visible_presentations(actor) -> QuerySet[CasePresentation]:
    """The owner's own presentations (also drafts and withdrawn ones) in their groups, and the shared ones
    of the actor's groups whose consent is still active."""
    groups = visible_groups(actor)
    shared = Q(status=PresentationStatus.SHARED) & _consent_active()
    return CasePresentation.objects.filter(group__in=groups).filter(
        Q(owner=actor) | shared if may_join_groups(actor) else Q(pk__in=[])
    )


def is_readable_by_group(presentation: CasePresentation) -> bool:
    return presentation.status == PresentationStatus.SHARED and presentation.consent.withdrawn_at is None


def can_edit_presentation(actor, presentation: CasePresentation) -> bool:
    return (
        presentation.owner_id == getattr(actor, "pk", None)
        and presentation.status == PresentationStatus.DRAFT
    )


def can_withdraw_presentation(actor, presentation: CasePresentation) -> bool:
    return (
        presentation.owner_id == getattr(actor, "pk", None)
        and presentation.status != PresentationStatus.WITHDRAWN
    )


def can_review_presentation(actor, presentation: CasePresentation) -> bool:
    """A peer of the group reviews a shared presentation; the owner reviews their own trajectory."""
    return (
        presentation.owner_id != getattr(actor, "pk", None)
        and is_member(actor, presentation.group)
        and is_readable_by_group(presentation)
    )


def reviewable_trajectories(actor) -> QuerySet:
    """The trajectories the actor may review themselves: their own, readable."""
    if not may_join_groups(actor):
        return visible_trajectories(actor).none()
    return visible_trajectories(actor).filter(responsible=actor)


def visible_reviews(actor) -> QuerySet[CaseReview]:
    if not may_join_groups(actor):
        return CaseReview.objects.none()
    consented = Consent.objects.filter(
        client=OuterRef("trajectory__client"), kind=ConsentKind.INTERVISION, withdrawn_at__isnull=True
    )
    shared = Q(group__in=visible_groups(actor), shared_at__isnull=False) & Q(Exists(consented))
    shared &= Q(presentation__isnull=True) | Q(presentation__consent__withdrawn_at__isnull=True)
    own = Q(reviewer=actor) | Q(
        trajectory__responsible=actor, trajectory__organisation_id=actor.organisation_id
    )
    return CaseReview.objects.filter(own | shared)


def may_learn_from_review(actor, review: CaseReview) -> bool:
    """The reviewer and the professional of the trajectory may take a review into their development log."""
    return may_join_groups(actor) and getattr(actor, "pk", None) in (
        review.reviewer_id,
        review.trajectory.responsible_id,
    )


def can_edit_review(actor, review: CaseReview) -> bool:
    return review.reviewer_id == getattr(actor, "pk", None)


def shareable_groups(actor, review: CaseReview) -> QuerySet[IntervisionGroup]:
    """Where a review may be shared: the presentation's group, or for a review of one's own trajectory any
    of the actor's groups."""
    if review.presentation_id:
        return visible_groups(actor).filter(pk=review.presentation.group_id)
    return visible_groups(actor)


def may_preview_presentation(actor, presentation: CasePresentation) -> bool:
    """The owner's preview of a draft reads the dossier as it is now: only while they may read it."""
    return presentation.owner_id == getattr(actor, "pk", None) and can_view_trajectory(
        actor, presentation.trajectory
    )


def may_see_review_evidence_links(actor, review: CaseReview) -> bool:
    """Links to the dossier only for who may read it (the responsible professional, mostly)."""
    return can_view_trajectory(actor, review.trajectory)
