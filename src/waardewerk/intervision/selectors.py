"""Reads of intervision, scoped by ``policies`` and prefetched: a page's query count does not grow with
the number of groups, sessions, members or experiments."""

from __future__ import annotations

from django.db.models import Count, Max, Q

from waardewerk.core.access import get_for_actor
from waardewerk.intervision import policies
from waardewerk.intervision.method import Method
from waardewerk.intervision.models import Experiment, IntervisionMethod, IntervisionSession
from waardewerk.intervision.services import METHODS
from waardewerk.trajectories.policies import visible_trajectories


def methods() -> list[Method]:
    """The current version of every method, in the active language (one query)."""
    items = IntervisionMethod.objects.exclude(current=None).select_related("current").order_by("key")
    return sorted((Method.from_definition(i.current.definition) for i in items), key=lambda m: m.title)


def method(key: str) -> tuple[object, Method] | None:
    version = METHODS.current(key)
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
            "group", "method_version__method", "facilitator", "case_owner"
        ),
        session_id,
    )


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
