"""Reads of the development log, scoped by ``policies`` and prefetched: a page's query count does not grow
with the number of activities, registers, goals, progress notes or meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.http import Http404

from waardewerk.core.access import get_for_actor
from waardewerk.development import policies
from waardewerk.development.models import (
    Activity,
    ActivityKind,
    ActivityRegister,
    Evidence,
    GoalProgress,
    GoalStatus,
    LearningGoal,
    MentorMeeting,
    Mentorship,
    Register,
)
from waardewerk.intervision import policies as intervision_policies
from waardewerk.intervision.method import Method
from waardewerk.intervision.models import AttendanceStatus
from waardewerk.intervision.review import OUTCOMES, checkpoints_of
from waardewerk.trajectories.models import Evaluation
from waardewerk.trajectories.policies import visible_trajectories

NOT_YOURS = "You can read this item because it was shared with you; only its owner changes it."


def _with_details(queryset):
    return (
        queryset.select_related("owner", "source_session__group")
        .prefetch_related(Prefetch("registers", queryset=ActivityRegister.objects.order_by("register")))
        .annotate(has_evidence=Exists(Evidence.objects.filter(activity=OuterRef("pk"))))
    )


def my_activities(actor, *, register: str = "", start=None, end=None):
    queryset = policies.own_activities(actor)
    if register:
        queryset = queryset.filter(registers__register=register)
    if start:
        queryset = queryset.filter(date__gte=start)
    if end:
        queryset = queryset.filter(date__lte=end)
    return list(_with_details(queryset).order_by("dismissed", "-date", "-created_at"))


def totals(activities) -> list[dict]:
    """Hours and points per register of the counted activities shown (computed from the list already read:
    no extra query)."""
    sums = {value: [Decimal(0), Decimal(0), 0] for value in Register.values}
    for activity in activities:
        if activity.dismissed:
            continue
        for row in activity.registers.all():
            entry = sums[row.register]
            entry[0] += activity.hours
            entry[1] += activity.points
            entry[2] += 1
    return [
        {
            "register": value,
            "label": label,
            "hours": sums[value][0],
            "points": sums[value][1],
            "count": sums[value][2],
        }
        for value, label in Register.choices
        if sums[value][2]
    ]


def activity_for_viewer(actor, activity_id) -> Activity:
    return get_for_actor(_with_details(policies.visible_activities(actor)), activity_id)


def activity_for_owner(actor, activity_id) -> Activity:
    """The actor's own activity; an activity shared with them is a 403 (they know it), any other a 404."""
    return get_for_actor(
        _with_details(policies.own_activities(actor)),
        activity_id,
        known=lambda: policies.visible_activities(actor),
        refusal=NOT_YOURS,
    )


def evidence_for_viewer(actor, activity_id) -> Evidence:
    activity = get_for_actor(policies.visible_activities(actor), activity_id)
    found = Evidence.objects.filter(activity=activity).select_related("activity__owner").first()
    if found is None:
        raise Http404
    return found


# The projection of intervision sessions -------------------------------------------------------------------


@dataclass(frozen=True)
class AttendedSession:
    pk: int
    date: dt.date
    title: str
    hours: Decimal


def session_hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def unlogged_sessions(actor, today: dt.date) -> list[AttendedSession]:
    """The sessions of the actor's intervision groups up to today that the facilitator recorded them present
    at and that are not in their log yet (read through ``intervision.policies``: only the groups the actor
    is a member of), each with the hours of its method's timeboxes."""
    logged = Activity.objects.filter(owner=actor, source_session__isnull=False).values("source_session_id")
    sessions = (
        intervision_policies.visible_sessions(actor)
        .filter(date__lte=today)
        .filter(attendance__member=actor, attendance__status=AttendanceStatus.PRESENT)
        .exclude(pk__in=logged)
        .select_related("group", "method_version")
        .order_by("date")
    )
    found = []
    for session in sessions:
        method = Method.from_definition(session.method_version.definition)
        found.append(
            AttendedSession(
                pk=session.pk,
                date=session.date,
                title=f"{session.group.name}: {method.title}"[:200],
                hours=session_hours(method.minutes),
            )
        )
    return found


def last_intervision_registers(actor) -> list[str]:
    """The registers of the actor's latest counted intervision activity that has any (one query)."""
    latest = (
        Activity.objects.filter(
            owner=actor, kind=ActivityKind.INTERVISION, dismissed=False, registers__isnull=False
        )
        .order_by("-date", "-created_at")
        .values("pk")[:1]
    )
    return sorted(
        ActivityRegister.objects.filter(activity_id=Subquery(latest)).values_list("register", flat=True)
    )


# Learning goals -------------------------------------------------------------------------------------------


def goal_source_choices(actor) -> dict:
    """What a goal may come from: the actor's own activities, their own intervision experiments (in groups
    they are still a member of) and the evaluations of trajectories they may see."""
    return {
        "source_activity": policies.own_activities(actor).filter(dismissed=False).order_by("-date"),
        "source_experiment": intervision_policies.visible_experiments(actor)
        .filter(owner=actor)
        .select_related("session__group")
        .order_by("-session__date"),
        "source_evaluation": Evaluation.objects.filter(trajectory__in=visible_trajectories(actor))
        .select_related("trajectory__client")
        .order_by("-updated_at"),
        "source_review": source_reviews(actor),
    }


def source_reviews(actor):
    """The case reviews a goal may come from: the actor's own (of their trajectory or a colleague's
    presentation) and those of the actor's trajectories, while the actor may read them."""
    return (
        intervision_policies.visible_reviews(actor)
        .filter(Q(reviewer=actor) | Q(trajectory__responsible=actor))
        .select_related("checkpoints")
        .order_by("-created_at")
    )


def review_checkpoints(reviews) -> list[tuple[str, str]]:
    """The (key, title) of every checkpoint that needed attention in one of ``reviews``, for the choice."""
    seen: dict[str, str] = {}
    for review in reviews:
        titles = {c.key: c.title for c in checkpoints_of(review.checkpoints.definition)}
        for result in review.result_list:
            if result.get("verdict", result.get("outcome")) == "attention" and result["key"] in titles:
                seen.setdefault(result["key"], titles[result["key"]])
    return sorted(seen.items(), key=lambda kv: kv[1])


def review_checkpoint(review, key: str) -> dict | None:
    """The checkpoint ``key`` of a review, with its title, explanation, the data's finding and the
    reviewer's verdict and words (or None)."""
    if review is None or not key:
        return None
    titles = {c.key: c for c in checkpoints_of(review.checkpoints.definition)}
    result = next((r for r in review.result_list if r.get("key") == key), None)
    if key not in titles or result is None:
        return None
    verdict = result.get("verdict", result.get("outcome"))
    return {
        "title": titles[key].title,
        "finding": result.get("finding", ""),
        "verdict": verdict,
        "verdict_label": OUTCOMES.get(verdict, ""),
        "words": result.get("words", ""),
    }


def goal_sources(actor) -> dict[str, set[int]]:
    return {name: set(qs.values_list("pk", flat=True)) for name, qs in goal_source_choices(actor).items()}


def _goal_details(queryset):
    return queryset.select_related(
        "owner",
        "source_activity",
        "source_experiment__session__group",
        "source_evaluation__trajectory__client",
        "source_review__checkpoints",
        "source_review__trajectory__client",
    ).annotate(progress_count=Count("progress"))


# Goals still being worked on first, then the achieved and dropped ones.
GOAL_ORDER = Case(When(status__in=(GoalStatus.WORKING, GoalStatus.OPEN), then=Value(0)), default=Value(1))


def my_goals(actor):
    return list(_goal_details(policies.own_goals(actor)).order_by(GOAL_ORDER, "target_date", "created_at"))


def goal_for_viewer(actor, goal_id) -> LearningGoal:
    return get_for_actor(
        _goal_details(policies.visible_goals(actor)).prefetch_related(
            Prefetch("progress", queryset=GoalProgress.objects.order_by("date", "created_at"))
        ),
        goal_id,
    )


def goal_for_owner(actor, goal_id) -> LearningGoal:
    return get_for_actor(
        _goal_details(policies.own_goals(actor)),
        goal_id,
        known=lambda: policies.visible_goals(actor),
        refusal=NOT_YOURS,
    )


def source_trajectory_visible(actor, goal: LearningGoal) -> bool:
    """Whether the owner may still see the trajectory of the evaluation the goal came from (one query)."""
    if goal.source_evaluation_id is None:
        return False
    return visible_trajectories(actor).filter(pk=goal.source_evaluation.trajectory_id).exists()


def source_review_visible(actor, goal: LearningGoal) -> bool:
    """Whether the owner may still read the case review the goal came from (one query)."""
    if goal.source_review_id is None:
        return False
    return source_reviews(actor).filter(pk=goal.source_review_id).exists()


def source_experiment_visible(actor, goal: LearningGoal) -> bool:
    if goal.source_experiment_id is None:
        return False
    return intervision_policies.visible_experiments(actor).filter(pk=goal.source_experiment_id).exists()


# Shared with me and mentor relations ----------------------------------------------------------------------


def shared_with_me(actor) -> dict:
    activities = list(
        _with_details(policies.shared_activities(actor)).order_by("owner__last_name", "owner_id", "-date")
    )
    goals = list(
        _goal_details(policies.shared_goals(actor)).order_by("owner__last_name", "owner_id", "status")
    )
    return {"activities": activities, "goals": goals}


def my_mentorships(actor):
    return list(
        policies.visible_mentorships(actor)
        .select_related("mentor", "mentee")
        .annotate(meeting_count=Count("meetings"))
        .order_by("ended_on", "-started_on")
    )


def mentorship_for_participant(actor, mentorship_id) -> Mentorship:
    return get_for_actor(
        policies.visible_mentorships(actor).select_related("mentor", "mentee"), mentorship_id
    )


def mentorship_details(actor, mentorship: Mentorship) -> dict:
    """The meetings, and the mentee's goals and activities the mentor sees: those shared with the mentor
    (the mentee sees the same list, so both know what the other sees)."""
    meetings = list(MentorMeeting.objects.filter(mentorship=mentorship).select_related("author"))
    shared = Q(owner_id=mentorship.mentee_id, shared_with_mentor=True)
    open_relation = mentorship.ended_on is None
    goals = (
        list(
            _goal_details(LearningGoal.objects.filter(shared))
            .exclude(status=GoalStatus.DROPPED)
            .order_by(GOAL_ORDER, "target_date")
        )
        if open_relation
        else []
    )
    activities = (
        list(_with_details(Activity.objects.filter(shared, dismissed=False)).order_by("-date")[:50])
        if open_relation
        else []
    )
    return {"meetings": meetings, "goals": goals, "activities": activities}


# Export -----------------------------------------------------------------------------------------------------


def export_activities(actor, *, register: str, start, end) -> list[Activity]:
    """The actor's counted activities for one register in a period, oldest first."""
    queryset = policies.own_activities(actor).filter(
        dismissed=False, registers__register=register, date__gte=start, date__lte=end
    )
    return list(_with_details(queryset).order_by("date", "created_at"))


def export_totals(activities) -> dict:
    hours = sum((a.hours for a in activities), Decimal(0))
    points = sum((a.points for a in activities), Decimal(0))
    by_kind: dict[str, list] = {}
    for activity in activities:
        entry = by_kind.setdefault(activity.get_kind_display(), [Decimal(0), Decimal(0), 0])
        entry[0] += activity.hours
        entry[1] += activity.points
        entry[2] += 1
    return {"hours": hours, "points": points, "by_kind": sorted(by_kind.items())}
