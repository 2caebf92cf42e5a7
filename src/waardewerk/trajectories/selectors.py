"""Reads of trajectories: querysets already scoped by the policies and already prefetched."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from waardewerk.clients.models import Client
from waardewerk.core.access import get_for_actor
from waardewerk.trajectories import policies
from waardewerk.trajectories.models import (
    Action,
    ActionStatus,
    Adjustment,
    Context,
    Conversation,
    EmergencyAccess,
    Phase,
    PlanAgreement,
    PlanVersion,
    ProgressNote,
    Trajectory,
)

CASELOAD_SORTS = {
    "name": ("client__last_name", "client__first_name", "id"),
    "phase": ("phase", "client__last_name", "id"),
    "last_contact": ("last_contact", "client__last_name", "id"),
    "next_action": ("next_action_due", "client__last_name", "id"),
    "start": ("-start_date", "id"),
    "measurement": ("measurement_due_on", "client__last_name", "id"),
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
    *,
    actor,
    query: str = "",
    phase: str = "",
    context: str = "",
    sort: str = "name",
    measurement_overdue: bool = False,
) -> QuerySet[Trajectory]:
    """The open trajectories the actor works on (not those under emergency access), with client, last contact
    and next open action, in one query."""
    open_actions = Action.objects.filter(trajectory=OuterRef("pk"), status=ActionStatus.OPEN).order_by(
        "due_date", "id"
    )
    last_conversation = Conversation.objects.filter(trajectory=OuterRef("pk")).order_by("-date")
    trajectories = (
        policies.working_trajectories(actor)
        .filter(end_date__isnull=True)
        .select_related("client")
        .annotate(
            last_contact=Subquery(last_conversation.values("date")[:1]),
            next_action=Subquery(open_actions.values("description")[:1]),
            next_action_due=Subquery(open_actions.values("due_date")[:1]),
            my_assignment=Subquery(
                policies.active_assignments(actor).filter(trajectory=OuterRef("pk")).values("kind")[:1]
            ),
        )
    )
    if query.strip():
        trajectories = trajectories.filter(_name_filter(query))
    if phase in Phase.values:
        trajectories = trajectories.filter(phase=phase)
    if context in Context.values:
        trajectories = trajectories.filter(context=context)
    if measurement_overdue:
        from django.utils import timezone

        trajectories = trajectories.filter(measurement_due_on__lt=timezone.localdate())
    return trajectories.order_by(*CASELOAD_SORTS.get(sort, CASELOAD_SORTS["name"]))


def readable_trajectory(actor, public_id, queryset: QuerySet[Trajectory] | None = None) -> Trajectory:
    """One trajectory whose dossier the actor reads, from ``queryset`` (``visible_trajectories`` with what a
    page prefetches): 404 outside the actor's scope, 403 with the reason for one they know exists but may
    not read (a trajectory of a team they lead). See core/access.py."""
    return get_for_actor(
        queryset if queryset is not None else policies.visible_trajectories(actor),
        public_id,
        known=policies.known_trajectories(actor),
        refusal=policies.refusal_to_read(),
    )


def readable_client(actor, public_id) -> Client:
    """One client whose dossier the actor reads, with the trajectories they may read prefetched (as
    ``readable_trajectory``)."""
    return get_for_actor(
        dossier_queryset(actor),
        public_id,
        known=policies.known_clients(actor),
        refusal=policies.refusal_to_read(),
    )


def dossier_queryset(actor) -> QuerySet[Client]:
    """Clients the actor may see, with the trajectories the actor may see prefetched, and whether the actor
    may change the dossier (``editable``: ``policies.editable_clients``) in the same query."""
    editable = policies.editable_clients(actor).filter(pk=OuterRef("pk"))
    return policies.visible_clients(actor).annotate(editable=Exists(editable)).prefetch_related(
        Prefetch(
            "trajectories",
            queryset=policies.visible_trajectories(actor)
            .select_related("responsible")
            .order_by("-start_date", "-id"),
            to_attr="visible_trajectories",
        )
    )


def trajectory_detail_queryset(actor) -> QuerySet[Trajectory]:
    """The trajectory page's trajectory with everything it shows; ``works_on``: whether the actor works on it
    (``policies.working_trajectories``, not only reading it under emergency access)."""
    return (
        policies.visible_trajectories(actor)
        .annotate(
            has_emergency_access=Exists(EmergencyAccess.objects.filter(trajectory=OuterRef("pk"))),
            works_on=Exists(policies.working_trajectories(actor).filter(pk=OuterRef("pk"))),
        )
        .select_related("client__portal_account", "responsible", "team")
        .prefetch_related(
            Prefetch("phase_changes", queryset=_phase_changes()),
            Prefetch("conversations", queryset=Conversation.objects.select_related("recorded_by")),
            Prefetch("handovers", queryset=_handovers()),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("created_by").order_by("status", "due_date", "id"),
            ),
            Prefetch("measurements", queryset=_submitted_measurements()),
            Prefetch("plan_versions", queryset=_plan_versions()),
            Prefetch("progress_notes", queryset=ProgressNote.objects.select_related("recorded_by")),
            Prefetch(
                "adjustments",
                queryset=Adjustment.objects.select_related(
                    "recorded_by", "measurement__instrument", "conversation"
                ),
            ),
            # Portal activity in the timeline: the client's goal proposals and consent changes.
            Prefetch("goal_proposals", queryset=_goal_proposals()),
            Prefetch("client__consents", queryset=_consents()),
        )
        .select_related("evaluation__recorded_by")
    )


def emergency_accesses(trajectory: Trajectory) -> list[EmergencyAccess]:
    """The emergency accesses to a trajectory's dossier, newest first, each with ``active``. No query for a
    trajectory from ``trajectory_detail_queryset`` that never had one (the usual case)."""
    from django.utils import timezone

    if not getattr(trajectory, "has_emergency_access", True):
        return []
    now = timezone.now()
    accesses = list(EmergencyAccess.objects.filter(trajectory=trajectory).select_related("user"))
    for access in accesses:
        access.active = access.is_active_at(now)
    return accesses


def _goal_proposals():
    from waardewerk.portal.models import GoalProposal

    return GoalProposal.objects.select_related("decided_by", "plan_version")


def _consents():
    from waardewerk.clients.models import Consent

    return Consent.objects.select_related("given_recorded_by", "withdrawn_recorded_by")


def _plan_versions():
    return (
        PlanVersion.objects.select_related("created_by")
        .prefetch_related(
            Prefetch("agreements", queryset=PlanAgreement.objects.select_related("recorded_by"))
        )
        .order_by("number")
    )


def plan_queryset(actor) -> QuerySet[Trajectory]:
    """Trajectories with their plan versions (and agreements) and actions, for the plan pages."""
    return (
        policies.visible_trajectories(actor)
        .select_related("client", "responsible")
        .prefetch_related(Prefetch("plan_versions", queryset=_plan_versions()), "actions")
    )


def _submitted_measurements():
    from waardewerk.instruments.models import Measurement, MeasurementStatus

    return Measurement.objects.filter(status=MeasurementStatus.SUBMITTED).select_related(
        "instrument", "entered_by"
    )


def _handovers():
    from waardewerk.trajectories.models import Handover

    return Handover.objects.select_related("from_user", "to_user", "handed_over_by")


def _phase_changes():
    from waardewerk.trajectories.models import PhaseChange

    return PhaseChange.objects.select_related("changed_by").order_by("changed_at", "id")


@dataclass(frozen=True)
class TimelineEvent:
    kind: str  # see TIMELINE_KINDS
    date: dt.date
    sort_key: tuple
    title: str
    detail: str
    actor_name: str
    obj: object


def timeline_kinds() -> list[tuple[str, str]]:
    from django.utils.translation import gettext as _

    return [
        ("conversation", _("Conversations")),
        ("measurement", _("Measurements")),
        ("plan", _("Plan")),
        ("action", _("Actions")),
        ("adjustment", _("Adjustments")),
        ("note", _("Progress notes")),
        ("phase", _("Phases")),
        ("evaluation", _("Evaluation")),
        ("portal", _("Client portal")),
    ]


def timeline(trajectory: Trajectory, kind: str = "") -> list[TimelineEvent]:
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
        if action.completed_by_client and action.completed_on:
            events.append(
                TimelineEvent(
                    "portal",
                    action.completed_on,
                    (action.completed_on, 2, action.pk),
                    _("The client marked an action done: %(d)s") % {"d": action.description},
                    "",
                    _("the client, in the portal"),
                    action,
                )
            )
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
    for handover in trajectory.handovers.all():
        day = timezone.localtime(handover.handed_over_at).date()
        events.append(
            TimelineEvent(
                "handover",
                day,
                (day, 2, handover.handed_over_at.timestamp()),
                _("Handed over from %(old)s to %(new)s")
                % {"old": handover.from_user, "new": handover.to_user},
                handover.reason,
                str(handover.handed_over_by),
                handover,
            )
        )
    measurements = list(trajectory.measurements.all())
    if measurements:
        from waardewerk.instruments.effect import score_summary
        from waardewerk.instruments.selectors import definitions_by_key

        definitions = definitions_by_key()
        for measurement in measurements:
            definition = definitions.get(measurement.instrument.key)
            if definition is None:
                continue
            who = _("by the client") if measurement.entered_by_client else str(measurement.entered_by or "")
            title = _("Measurement %(instrument)s (%(respondent)s): %(result)s") % {
                "instrument": definition.short_title,
                "respondent": measurement.get_respondent_display().lower(),
                "result": score_summary(definition, measurement.score),
            }
            detail = ""
            if measurement.corrects_id:
                detail = _("Correction: %(reason)s") % {"reason": measurement.correction_reason}
            events.append(
                TimelineEvent(
                    "measurement",
                    measurement.taken_on,
                    (measurement.taken_on, 1, measurement.pk),
                    title,
                    detail,
                    who,
                    measurement,
                )
            )
    for version in trajectory.plan_versions.all():
        day = timezone.localtime(version.created_at).date()
        events.append(
            TimelineEvent(
                "plan",
                day,
                (day, 2, version.created_at.timestamp()),
                _("Plan version %(n)d") % {"n": version.number},
                version.reason,
                str(version.created_by),
                version,
            )
        )
        for agreement in version.agreements.all():
            events.append(
                TimelineEvent(
                    "plan",
                    agreement.agreed_on,
                    (agreement.agreed_on, 2, agreement.pk),
                    _("The client agreed with plan version %(n)d (%(how)s)")
                    % {"n": version.number, "how": agreement.get_method_display().lower()},
                    agreement.note,
                    str(agreement.recorded_by),
                    agreement,
                )
            )
    for note in trajectory.progress_notes.all():
        events.append(
            TimelineEvent(
                "note",
                note.date,
                (note.date, 1, note.pk),
                _("Progress note"),
                note.text,
                str(note.recorded_by),
                note,
            )
        )
    for adjustment in trajectory.adjustments.all():
        events.append(
            TimelineEvent(
                "adjustment",
                adjustment.date,
                (adjustment.date, 2, adjustment.pk),
                _("Change of course (prompted by %(what)s)")
                % {"what": adjustment.get_prompted_by_display().lower()},
                _("Reason: %(reason)s\nChange: %(change)s")
                % {"reason": adjustment.reason, "change": adjustment.change},
                str(adjustment.recorded_by),
                adjustment,
            )
        )
    events.extend(_portal_events(trajectory))
    evaluation = getattr(trajectory, "evaluation", None)
    if evaluation is not None:
        day = timezone.localtime(evaluation.updated_at).date()
        events.append(
            TimelineEvent(
                "evaluation",
                day,
                (day, 3, evaluation.pk),
                _("Evaluation recorded"),
                evaluation.client_evaluation,
                str(evaluation.recorded_by),
                evaluation,
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
    if kind:
        same = {"phase": ("phase", "handover", "closed")}.get(kind, (kind,))
        events = [e for e in events if e.kind in same]
    events.sort(key=lambda e: e.sort_key, reverse=True)
    return events


def _portal_events(trajectory) -> list[TimelineEvent]:
    """What the client did in the portal: goal proposals (and the decision on them) and consent changes.
    Questionnaires the client filled in are measurements "by the client"; actions marked done are above."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    prefetched = getattr(trajectory, "_prefetched_objects_cache", {})
    if "goal_proposals" not in prefetched:
        return []
    client_name = _("the client, in the portal")
    events = []
    for proposal in trajectory.goal_proposals.all():
        day = timezone.localtime(proposal.created_at).date()
        title = (
            _("The client proposed a new goal")
            if proposal.is_new_goal
            else _("The client proposed new words for a goal")
        )
        detail = f"“{proposal.text}”"
        if proposal.original_text:
            detail = _("Now: “%(old)s”\nProposed: “%(new)s”") % {
                "old": proposal.original_text,
                "new": proposal.text,
            }
        events.append(
            TimelineEvent(
                "portal", day, (day, 2, proposal.created_at.timestamp()), title, detail, client_name, proposal
            )
        )
        if proposal.decided_at:
            decided = timezone.localtime(proposal.decided_at).date()
            events.append(
                TimelineEvent(
                    "portal",
                    decided,
                    (decided, 2, proposal.decided_at.timestamp()),
                    _("Goal proposal taken into the plan")
                    if proposal.status == "accepted"
                    else _("Goal proposal declined"),
                    proposal.decision_reason,
                    str(proposal.decided_by or ""),
                    proposal,
                )
            )
    client = trajectory.client
    if "consents" in getattr(client, "_prefetched_objects_cache", {}):
        for consent in client.consents.all():
            for moment, given, via, recorder in (
                (consent.given_at, True, consent.given_via, consent.given_recorded_by),
                (consent.withdrawn_at, False, consent.withdrawn_via, consent.withdrawn_recorded_by),
            ):
                if moment is None:
                    continue
                day = timezone.localtime(moment).date()
                if day < trajectory.start_date or (trajectory.end_date and day > trajectory.end_date):
                    continue  # consent belongs to the client; show the changes during this trajectory
                title = (_("Consent given: %(kind)s") if given else _("Consent withdrawn: %(kind)s")) % {
                    "kind": consent.get_kind_display()
                }
                who = client_name if via == "portal" else str(recorder or "")
                events.append(
                    TimelineEvent("portal", day, (day, 2, moment.timestamp()), title, "", who, consent)
                )
    return events


# Staffing and the team overview ------------------------------------------------------------------------


def staffing_queryset(actor) -> QuerySet[Trajectory]:
    """Trajectories whose staffing the actor manages, with their assignments, and whether the actor reads the
    dossier (``readable``) or may open emergency access to it (``emergency_possible``), in the same query."""
    from waardewerk.trajectories.models import TrajectoryAssignment

    return (
        policies.manageable_trajectories(actor)
        .annotate(
            readable=Exists(policies.visible_trajectories(actor).filter(pk=OuterRef("pk"))),
            emergency_possible=Exists(policies.emergency_access_candidates(actor).filter(pk=OuterRef("pk"))),
        )
        .select_related("client", "responsible", "team")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=TrajectoryAssignment.objects.select_related("user", "created_by").order_by(
                    "-starts_on", "-id"
                ),
            )
        )
    )


STALE_CONTACT_DAYS = 30
LONG_IN_PHASE_DAYS = 90


def _with_contact_and_overdue(trajectories: QuerySet[Trajectory], today: dt.date) -> QuerySet[Trajectory]:
    last_conversation = Conversation.objects.filter(trajectory=OuterRef("pk")).order_by("-date")
    return trajectories.annotate(
        last_contact=Subquery(last_conversation.values("date")[:1]),
        overdue_actions=Count(
            "actions", filter=Q(actions__status=ActionStatus.OPEN, actions__due_date__lt=today), distinct=True
        ),
    )


def team_overview(*, actor, phase: str = "", context: str = "", professional=None) -> dict:
    """The team lead's view: open trajectories of the led teams with process figures, no dossier contents."""
    from django.utils import timezone

    today = timezone.localdate()
    now = timezone.now()
    base = policies.team_trajectories(actor).filter(end_date__isnull=True)
    stale_before = today - dt.timedelta(days=STALE_CONTACT_DAYS)
    long_before = now - dt.timedelta(days=LONG_IN_PHASE_DAYS)
    recent_contact = Conversation.objects.filter(trajectory=OuterRef("pk"), date__gte=stale_before)
    overdue = Action.objects.filter(trajectory=OuterRef("pk"), status=ActionStatus.OPEN, due_date__lt=today)

    flagged = base.annotate(has_recent_contact=Exists(recent_contact), has_overdue=Exists(overdue))
    per_professional = list(
        flagged.values("responsible", "responsible__first_name", "responsible__last_name")
        .annotate(
            open=Count("id"),
            no_recent_contact=Count("id", filter=Q(has_recent_contact=False)),
            with_overdue=Count("id", filter=Q(has_overdue=True)),
            long_in_phase=Count("id", filter=Q(phase_since__lt=long_before)),
            measurement_overdue=Count("id", filter=Q(measurement_due_on__lt=today)),
        )
        .order_by("responsible__last_name", "responsible__first_name")
    )
    per_phase = dict(base.values_list("phase").annotate(n=Count("id")).order_by())
    per_context = dict(base.values_list("context").annotate(n=Count("id")).order_by())
    totals = {
        "open": sum(row["open"] for row in per_professional),
        "no_recent_contact": sum(row["no_recent_contact"] for row in per_professional),
        "with_overdue": sum(row["with_overdue"] for row in per_professional),
        "long_in_phase": sum(row["long_in_phase"] for row in per_professional),
        "measurement_overdue": sum(row["measurement_overdue"] for row in per_professional),
    }
    rows = _with_contact_and_overdue(base.select_related("client", "responsible"), today)
    if phase in Phase.values:
        rows = rows.filter(phase=phase)
    if context in Context.values:
        rows = rows.filter(context=context)
    if professional is not None:
        rows = rows.filter(responsible=professional)
    return {
        "per_professional": per_professional,
        "per_phase": [(value, label, per_phase.get(value, 0)) for value, label in Phase.choices],
        "per_context": [
            (value, label, per_context.get(value, 0))
            for value, label in Context.choices
            if per_context.get(value)
        ],
        "totals": totals,
        "rows": rows.order_by("responsible__last_name", "client__last_name", "id"),
        "stale_days": STALE_CONTACT_DAYS,
        "long_days": LONG_IN_PHASE_DAYS,
        "viewable_ids": set(
            policies.visible_trajectories(actor).filter(end_date__isnull=True).values_list("id", flat=True)
        ),
    }
