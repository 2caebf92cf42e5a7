"""Reads of trajectories: querysets already scoped by the policies and already prefetched."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from waardewerk.trajectories import policies
from waardewerk.trajectories.models import Action, ActionStatus, Context, Conversation, Phase, Trajectory

CASELOAD_SORTS = {
    "name": ("client__last_name", "client__first_name", "id"),
    "phase": ("phase", "client__last_name", "id"),
    "last_contact": ("last_contact", "client__last_name", "id"),
    "next_action": ("next_action_due", "client__last_name", "id"),
    "start": ("-start_date", "id"),
}


def _name_filter(query: str) -> Q:
    """Every word of the query must match the first name, infix or last name ("jan de vries")."""
    condition = Q()
    for word in query.split()[:5]:
        condition &= (
            Q(client__first_name__icontains=word)
            | Q(client__last_name__icontains=word)
            | Q(client__infix__icontains=word)
        )
    return condition


def caseload(
    *, actor, query: str = "", phase: str = "", context: str = "", sort: str = "name"
) -> QuerySet[Trajectory]:
    """The actor's open trajectories with client, last contact and next open action, in one query."""
    open_actions = Action.objects.filter(trajectory=OuterRef("pk"), status=ActionStatus.OPEN).order_by(
        "due_date", "id"
    )
    last_conversation = Conversation.objects.filter(trajectory=OuterRef("pk")).order_by("-date")
    trajectories = (
        policies.visible_trajectories(actor)
        .filter(end_date__isnull=True)
        .select_related("client")
        .annotate(
            last_contact=Subquery(last_conversation.values("date")[:1]),
            next_action=Subquery(open_actions.values("description")[:1]),
            next_action_due=Subquery(open_actions.values("due_date")[:1]),
        )
    )
    if query.strip():
        trajectories = trajectories.filter(_name_filter(query))
    if phase in Phase.values:
        trajectories = trajectories.filter(phase=phase)
    if context in Context.values:
        trajectories = trajectories.filter(context=context)
    return trajectories.order_by(*CASELOAD_SORTS.get(sort, CASELOAD_SORTS["name"]))


def trajectory_detail_queryset(actor) -> QuerySet[Trajectory]:
    return (
        policies.visible_trajectories(actor)
        .select_related("client", "responsible", "team")
        .prefetch_related(
            Prefetch("phase_changes", queryset=_phase_changes()),
            Prefetch("conversations", queryset=Conversation.objects.select_related("recorded_by")),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("created_by").order_by("status", "due_date", "id"),
            ),
        )
    )


def _phase_changes():
    from waardewerk.trajectories.models import PhaseChange

    return PhaseChange.objects.select_related("changed_by").order_by("changed_at", "id")


@dataclass(frozen=True)
class TimelineEvent:
    kind: str  # "phase", "conversation", "action"
    date: dt.date
    sort_key: tuple
    title: str
    detail: str
    actor_name: str
    obj: object


def timeline(trajectory: Trajectory) -> list[TimelineEvent]:
    """Phase changes, conversations and actions of a prefetched trajectory, newest first."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    events: list[TimelineEvent] = []
    phase_labels = dict(Phase.choices)
    for change in trajectory.phase_changes.all():
        day = timezone.localtime(change.changed_at).date()
        if change.from_phase:
            title = _("Phase: %(from)s → %(to)s") % {
                "from": phase_labels[change.from_phase],
                "to": phase_labels[change.to_phase],
            }
        else:
            title = _("Trajectory started in phase %(to)s") % {"to": phase_labels[change.to_phase]}
        events.append(
            TimelineEvent(
                "phase",
                day,
                (day, 2, change.changed_at.timestamp()),
                title,
                change.reason,
                str(change.changed_by),
                change,
            )
        )
    for conversation in trajectory.conversations.all():
        events.append(
            TimelineEvent(
                "conversation",
                conversation.date,
                (conversation.date, 1, conversation.pk),
                _("Conversation (%(mode)s)") % {"mode": conversation.get_mode_display()},
                conversation.summary,
                str(conversation.recorded_by),
                conversation,
            )
        )
    for action in trajectory.actions.all():
        day = action.agreed_on
        events.append(
            TimelineEvent(
                "action",
                day,
                (day, 0, action.pk),
                _("Action agreed: %(d)s") % {"d": action.description},
                _("Due %(date)s, by: %(owner)s")
                % {"date": action.due_date.strftime("%d-%m-%Y"), "owner": action.get_owner_display()},
                str(action.created_by),
                action,
            )
        )
    if trajectory.end_date:
        events.append(
            TimelineEvent(
                "closed",
                trajectory.end_date,
                (trajectory.end_date, 3, 0),
                _("Trajectory closed: %(reason)s") % {"reason": trajectory.get_end_reason_display()},
                trajectory.end_note,
                "",
                trajectory,
            )
        )
    events.sort(key=lambda e: e.sort_key, reverse=True)
    return events
