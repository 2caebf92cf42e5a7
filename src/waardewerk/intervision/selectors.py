"""Reads of intervision, scoped by ``policies`` and prefetched: a page's query count does not grow with
the number of groups, sessions, members or experiments."""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, Q, Subquery

from waardewerk.accounts.models import User
from waardewerk.core.access import get_for_actor
from waardewerk.intervision import casedata, in_effect, policies
from waardewerk.intervision.method import Method
from waardewerk.intervision.models import (
    Attendance,
    CasePresentation,
    CaseReview,
    Experiment,
    IntervisionSession,
    PresentationStatus,
)
from waardewerk.trajectories.policies import visible_trajectories


def methods(actor) -> list[Method]:
    """The version of every method the actor's organisation uses (its own where it made one), in the
    active language (one query)."""
    items = in_effect.items_in_effect("method", getattr(actor, "organisation_id", None))
    return sorted((Method.from_definition(i.current.definition) for i in items), key=lambda m: m.title)


def method(actor, key: str) -> tuple[object, Method] | None:
    version = in_effect.version_in_effect("method", getattr(actor, "organisation_id", None), key)
    if version is None:
        return None
    return version, Method.from_definition(version.definition)


def _group_list(queryset):
    return (
        queryset.annotate(session_count=Count("sessions", distinct=True), last_date=Max("sessions__date"))
        .prefetch_related("members")
        .order_by("name")
    )


def my_groups(actor):
    return _group_list(policies.visible_groups(actor))


def managed_groups(actor):
    return _group_list(policies.manageable_groups(actor))


def group_for_member(actor, group_id):
    return get_for_actor(policies.visible_groups(actor).prefetch_related("members"), group_id)


def group_for_manager(actor, group_id):
    return get_for_actor(policies.manageable_groups(actor).prefetch_related("members"), group_id)


def group_sessions(group):
    return list(
        group.sessions.select_related("method_version__method", "facilitator", "case_owner")
        .annotate(
            experiment_count=Count("experiments", distinct=True),
            open_count=Count("experiments", filter=Q(experiments__reflected_at=None), distinct=True),
        )
        .order_by("-date", "-created_at")
    )


def session_for_member(actor, session_id) -> IntervisionSession:
    return get_for_actor(
        policies.visible_sessions(actor).select_related(
            "group",
            "method_version__method",
            "facilitator",
            "case_owner",
            "presentation__consent",
            "presentation__trajectory__client",
        ),
        session_id,
    )


def session_attendance(session: IntervisionSession) -> list[tuple]:
    """(member, status or None) for the group's members and anyone recorded for the session (a former
    member keeps their row), by name; one query."""
    status = Attendance.objects.filter(session=session, member=OuterRef("pk")).values("status")[:1]
    people = (
        User.objects.filter(
            Q(intervision_groups=session.group_id)
            | Q(pk__in=Attendance.objects.filter(session=session).values("member_id"))
        )
        .distinct()
        .annotate(attendance=Subquery(status))
        .order_by("last_name", "first_name", "username")
    )
    return [(person, person.attendance) for person in people]


def session_experiments(session: IntervisionSession) -> dict:
    """The experiments agreed in this session, and those of earlier sessions of the group that come back
    here: still open, or reflected on in this session."""
    base = Experiment.objects.select_related("owner", "session", "trajectory__client")
    agreed = list(base.filter(session=session).order_by("owner__last_name", "until"))
    earlier = list(
        base.filter(session__group_id=session.group_id, session__date__lt=session.date)
        .filter(Q(reflected_at=None) | Q(reflection_session=session))
        .order_by("session__date", "owner__last_name")
    )
    return {"agreed": agreed, "returning": earlier}


def experiment_for_member(actor, experiment_id) -> Experiment:
    return get_for_actor(
        policies.visible_experiments(actor).select_related("owner", "session__group", "trajectory__client"),
        experiment_id,
    )


def visible_trajectory_ids(actor, trajectory_ids) -> set[int]:
    """Which of these trajectories the actor may see now (one query; none when the list is empty)."""
    if not trajectory_ids:
        return set()
    return set(visible_trajectories(actor).filter(pk__in=trajectory_ids).values_list("pk", flat=True))


# Case presentations and reviews ---------------------------------------------------------------------------


case_data = casedata.case_data
review_facts = casedata.review_facts


def checkpoint_set(actor):
    """The version of the review checkpoints the actor's organisation uses (its own where it made one), or
    None."""
    return in_effect.version_in_effect("checkpoints", getattr(actor, "organisation_id", None))


def _presentations():
    return CasePresentation.objects.select_related("group", "owner", "consent", "trajectory__client")


def presentation_for_actor(actor, presentation_id) -> CasePresentation:
    return get_for_actor(
        _presentations().filter(pk__in=policies.visible_presentations(actor)), presentation_id
    )


def group_presentations(actor, group) -> list[CasePresentation]:
    """The presentations of a group the actor sees: the shared ones, and their own drafts."""
    return list(
        _presentations()
        .filter(pk__in=policies.visible_presentations(actor), group=group)
        .exclude(status=PresentationStatus.WITHDRAWN)
        .order_by("-created_at")
    )


def session_presentations(group):
    """The presentations a session of the group can take as its case: shared, consent active."""
    return CasePresentation.objects.filter(
        group=group, status=PresentationStatus.SHARED, consent__withdrawn_at__isnull=True
    ).order_by("-shared_at")


def _reviews():
    return CaseReview.objects.select_related(
        "trajectory__client",
        "trajectory__responsible",
        "presentation__group",
        "presentation__consent",
        "reviewer",
        "group",
        "checkpoints",
    )


def review_for_actor(actor, review_id) -> CaseReview:
    return get_for_actor(_reviews().filter(pk__in=policies.visible_reviews(actor)), review_id)


def my_reviews(actor) -> list[CaseReview]:
    """Reviews the actor wrote, of their own trajectories, and those shared with their groups."""
    return list(_reviews().filter(pk__in=policies.visible_reviews(actor)).order_by("-created_at"))


def presentation_reviews(actor, presentation) -> list[CaseReview]:
    return list(
        _reviews()
        .filter(pk__in=policies.visible_reviews(actor), presentation=presentation)
        .order_by("created_at")
    )


def evaluation_reflections(trajectory) -> list[Experiment]:
    """Reflections on experiments their owner linked to this trajectory's evaluation."""
    return list(
        Experiment.objects.filter(trajectory=trajectory, evaluation_linked_at__isnull=False)
        .select_related("owner", "session__group")
        .order_by("reflected_at")
    )
