"""Reads of trajectories: querysets already scoped by the policies and already prefetched."""

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass
from typing import ClassVar

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from waardewerk.clients.models import Client
from waardewerk.core import sql
from waardewerk.core.access import get_for_actor
from waardewerk.trajectories import policies
from waardewerk.trajectories.models import (
    Action,
    ActionStatus,
    Context,
    Conversation,
    EmergencyAccess,
    Phase,
    PlanAgreement,
    PlanVersion,
    PreferenceCorrection,
    Trajectory,
    TrajectoryAssignment,
)

CASELOAD_SORTS = {
    "name": ("client__last_name", "client__first_name", "id"),
    "phase": ("phase", "client__last_name", "id"),
    "last_contact": ("last_contact", "client__last_name", "id"),
    "next_action": ("next_action_due", "client__last_name", "id"),
    "start": ("-start_date", "id"),
    "measurement": ("measurement_due_on", "client__last_name", "id"),
}


CASELOAD_COLUMNS = (
    "context",
    "phase",
    "measurement_due_on",
    "client__uuid",
    "client__first_name",
    "client__infix",
    "client__last_name",
)


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
    and next open action, in one query. The last contact and the next action are subqueries in SQL on the
    conversations' and actions' trajectory indexes (``core.sql.RowSQL``: built as querysets they cost the
    page more Python than the database takes to run them)."""
    last_conversation = (
        f"FROM {Conversation._meta.db_table} WHERE trajectory_id = {{outer}}.id ORDER BY date DESC LIMIT 1"
    )
    next_open_action = (
        f"FROM {Action._meta.db_table} WHERE trajectory_id = {{outer}}.id AND status = %s "
        "ORDER BY due_date, id LIMIT 1"
    )
    trajectories = (
        policies.working_trajectories(actor)
        .filter(end_date__isnull=True)
        .select_related("client")
        # Only the columns the list shows (``views.caseload_rows``): the encrypted ones (question, closing
        # note, BSN) are not decrypted, and the fewer columns cost less to compile and to read.
        .only(*CASELOAD_COLUMNS)
        .annotate(
            last_contact=sql.RowSQL(f"SELECT date {last_conversation}", output_field=DateField()),
            next_action=sql.RowSQL(
                f"SELECT description {next_open_action}", (ActionStatus.OPEN.value,), output_field=CharField()
            ),
            next_action_due=sql.RowSQL(
                f"SELECT due_date {next_open_action}", (ActionStatus.OPEN.value,), output_field=DateField()
            ),
            my_assignment=policies.my_assignment_kind(actor),
        )
    )
    if query.strip():
        trajectories = trajectories.filter(_name_filter(query))
    if phase in Phase.values:
        trajectories = trajectories.filter(phase=phase)
    if context in Context.values:
        trajectories = trajectories.filter(context=context)
    if measurement_overdue:
        trajectories = trajectories.filter(measurement_due_on__lt=timezone.localdate())
    return trajectories.order_by(*CASELOAD_SORTS.get(sort, CASELOAD_SORTS["name"]))


def readable_trajectory(actor, public_id, queryset: QuerySet[Trajectory] | None = None) -> Trajectory:
    """One trajectory whose dossier the actor reads, from ``queryset`` (``visible_trajectories`` with what a
    page prefetches, or a function that finds it by its UUID in that scope, e.g. a compiled query): 404
    outside the actor's scope, 403 with the reason for one they know exists but may not read (a trajectory
    of a team they lead). See core/access.py."""
    return get_for_actor(
        queryset if queryset is not None else policies.visible_trajectories(actor),
        public_id,
        known=lambda: policies.known_trajectories(actor),
        refusal=policies.refusal_to_read(),
    )


def readable_client(actor, public_id) -> Client:
    """One client whose dossier the actor reads, with the trajectories they may read prefetched (as
    ``readable_trajectory``)."""
    return get_for_actor(
        dossier_queryset(actor),
        public_id,
        known=lambda: policies.known_clients(actor),
        refusal=policies.refusal_to_read(),
    )


def dossier_queryset(actor) -> QuerySet[Client]:
    """Clients the actor may see, with the trajectories the actor may see prefetched, and whether the actor
    may change the dossier (``editable``: ``policies.editable_clients``) in the same query."""
    editable = policies.editable_clients(actor).filter(pk=OuterRef("pk"))
    return (
        policies.visible_clients(actor)
        .annotate(editable=Exists(editable))
        .prefetch_related(
            Prefetch(
                "trajectories",
                queryset=policies.visible_trajectories(actor)
                .select_related("responsible")
                .order_by("-start_date", "-id"),
                to_attr="visible_trajectories",
            )
        )
    )


def emergency_accesses(trajectory: Trajectory) -> list[EmergencyAccess]:
    """The emergency accesses to a trajectory's dossier, newest first, each with ``active``. No query for a
    trajectory from ``trajectory_page_queryset`` that never had one (the usual case)."""

    if not getattr(trajectory, "has_emergency_access", True):
        return []
    now = timezone.now()
    accesses = list(EmergencyAccess.objects.filter(trajectory=trajectory).select_related("user"))
    for access in accesses:
        access.active = access.is_active_at(now)
    return accesses


# The rows the trajectory section joins to a trajectory's (``trajectory_page_queryset``).
TRAJECTORY_PAGE_RELATED = ("client", "responsible", "team", "evaluation")


def trajectory_page_annotations(actor) -> dict:
    """The annotations of ``trajectory_page_queryset``, for a trajectory already scoped by
    ``visible_trajectories(actor)`` (the pages compile the query once and give these their values per
    request: ``pages.trajectory``)."""
    return {
        # Access facts in the same query: whether the actor works on it (not only reads it under
        # emergency access; the client's dossier is editable when they work on one of its
        # trajectories, ``policies.editable_clients``), and whether it had emergency access.
        "works_on": policies.works_on_visible(actor),
        "has_emergency_access": sql.exists(
            "SELECT 1 FROM trajectories_emergencyaccess WHERE trajectory_id = {outer}.id"
        ),
        "plan_row": sql.json_row(
            {"number": "number", "created_at": "created_at", "content": "content"},
            "FROM trajectories_planversion WHERE trajectory_id = {outer}.id ORDER BY number DESC LIMIT 1",
        ),
    }


def trajectory_page_queryset(actor) -> QuerySet[Trajectory]:
    """The trajectories the actor may see, each with what the trajectory section shows from the trajectory
    row, in one query: client, responsible, team and evaluation joined, and the current plan version (one
    subquery on its unique index, its columns as one JSON row: ``latest_plan``). The rest of the section's
    facts come from the timeline (``trajectory_facts``). The subqueries on the row are SQL
    (``core.sql.RowSQL``): built as querysets they cost more Python than the query takes to run."""
    return (
        policies.visible_trajectories(actor)
        .select_related(*TRAJECTORY_PAGE_RELATED)
        .annotate(**trajectory_page_annotations(actor))
    )


@dataclass(frozen=True)
class LatestPlan:
    number: int
    created_at: dt.datetime
    content: str


@dataclass(frozen=True)
class TrajectoryFacts:
    """What the trajectory section needs from the history below a trajectory (the phase steps, the phase
    checklist, the plan card), read from its timeline entries and the plan annotations of
    ``trajectory_page_queryset``: no query of its own."""

    visited: frozenset[str]
    has_topics: bool
    last_contact: dt.date | None
    adjusted_on: dt.date | None
    latest_plan: LatestPlan | None
    plan_agreed: bool


def latest_plan(trajectory: Trajectory) -> LatestPlan | None:
    """The current plan version, from the annotation of ``trajectory_page_queryset`` (its content
    decrypted as the field does)."""
    row = sql.read_json(trajectory.plan_row)
    if not row:
        return None
    content = PlanVersion._meta.get_field("content").from_db_value(row["content"], None, connection)
    return LatestPlan(row["number"], sql.read_datetime(row["created_at"]), content)


def trajectory_facts(trajectory: Trajectory, entries) -> TrajectoryFacts:
    """``entries``: all the trajectory's timeline entries (``timeline.selectors.timeline_entries``)."""
    visited, contacts, adjusted, agreed, topics = set(), [], [], set(), False
    for entry in entries:
        if entry.event in ("started", "phase"):
            visited.add(entry.data["to"])
        elif entry.event in ("conversation", "note"):
            contacts.append(entry.day)
            topics = topics or bool(entry.data.get("topics"))
        elif entry.event == "adjustment":
            adjusted.append(entry.day)
        elif entry.event == "plan_agreed":
            agreed.add(entry.data["number"])
    latest = latest_plan(trajectory)
    return TrajectoryFacts(
        visited=frozenset(visited),
        has_topics=topics,
        last_contact=max(contacts, default=None),
        adjusted_on=max(adjusted, default=None),
        latest_plan=latest,
        plan_agreed=bool(latest and latest.number in agreed),
    )


@dataclass(slots=True)
class PageAction:
    """An action as the trajectory section shows it (the open ones) and its checklist reads it (all but the
    cancelled ones), from the trajectory's row (``page_action_rows``), not as model instances; ``display``
    gives its choices' labels as it does an ``Action``'s. ``status_url``: the form that marks it done or
    cancelled, for who may change the trajectory."""

    _meta: ClassVar = Action._meta  # the choices' labels (the ``display`` filter)

    id: int
    uuid: uuid_module.UUID
    description: str
    owner: str
    due_date: dt.date
    status: str
    status_url: str = ""


def page_action_rows() -> sql.RowSQL:
    """The annotation on a trajectory's row (``action_rows``) that ``page_actions`` reads: the actions that
    were not cancelled, as one JSON array (a subquery on the actions' trajectory index)."""
    return sql.json_rows(
        {column: column for column in ("id", "uuid", "description", "owner", "due_date", "status")},
        f"FROM {Action._meta.db_table} WHERE trajectory_id = {{outer}}.id AND status <> %s",
        (ActionStatus.CANCELLED.value,),
    )


def page_actions(trajectory: Trajectory) -> list[PageAction]:
    """The actions that were not cancelled, by due date: the open ones for the list, all for the checklist;
    from the trajectory's ``action_rows`` (``page_action_rows``)."""
    actions = [
        PageAction(
            row["id"],
            uuid_module.UUID(row["uuid"]),
            row["description"],
            row["owner"],
            sql.read_date(row["due_date"]),
            row["status"],
        )
        for row in sql.read_json(trajectory.action_rows)
    ]
    actions.sort(key=lambda a: (a.due_date, a.id))
    return actions


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
        .prefetch_related(
            Prefetch("plan_versions", queryset=_plan_versions()),
            "actions",
            Prefetch(
                "preference_corrections", queryset=PreferenceCorrection.objects.order_by("created_at", "id")
            ),
        )
    )


# Staffing and the team overview ------------------------------------------------------------------------


def staffing_queryset(actor) -> QuerySet[Trajectory]:
    """Trajectories whose staffing the actor manages, with their assignments, and whether the actor reads the
    dossier (``readable``) or may open emergency access to it (``emergency_possible``), in the same query."""

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


# What needs attention in the team's work list (docs/quality.md, "Work list"): trajectories, never scores.
ATTENTION = ("no_contact", "overdue", "long_in_phase", "measurement_late")


def team_overview(*, actor, phase: str = "", context: str = "", attention: str = "") -> dict:
    """The team lead's view: open trajectories of the led teams with team-level process figures and a work
    list of the trajectories that need attention, for staffing and support. No figures per professional."""

    today = timezone.localdate()
    now = timezone.now()
    base = policies.team_trajectories(actor).filter(end_date__isnull=True)
    stale_before = today - dt.timedelta(days=STALE_CONTACT_DAYS)
    long_before = now - dt.timedelta(days=LONG_IN_PHASE_DAYS)
    recent_contact = Conversation.objects.filter(trajectory=OuterRef("pk"), date__gte=stale_before)
    overdue = Action.objects.filter(trajectory=OuterRef("pk"), status=ActionStatus.OPEN, due_date__lt=today)
    needs = {
        "no_contact": ~Q(has_recent_contact=True),
        "overdue": Q(has_overdue=True),
        "long_in_phase": Q(phase_since__lt=long_before),
        "measurement_late": Q(measurement_due_on__lt=today),
    }

    flagged = base.annotate(has_recent_contact=Exists(recent_contact), has_overdue=Exists(overdue))
    totals = flagged.aggregate(
        open=Count("id"),
        no_recent_contact=Count("id", filter=needs["no_contact"]),
        with_overdue=Count("id", filter=needs["overdue"]),
        long_in_phase=Count("id", filter=needs["long_in_phase"]),
        measurement_overdue=Count("id", filter=needs["measurement_late"]),
    )
    per_phase = dict(base.values_list("phase").annotate(n=Count("id")).order_by())
    per_context = dict(base.values_list("context").annotate(n=Count("id")).order_by())
    rows = _with_contact_and_overdue(
        flagged.annotate(
            long_in_phase=ExpressionWrapper(Q(phase_since__lt=long_before), output_field=BooleanField()),
            measurement_late=ExpressionWrapper(Q(measurement_due_on__lt=today), output_field=BooleanField()),
        ).select_related("client", "responsible"),
        today,
    )
    if phase in Phase.values:
        rows = rows.filter(phase=phase)
    if context in Context.values:
        rows = rows.filter(context=context)
    if attention in ATTENTION:
        rows = rows.filter(needs[attention])
    elif attention == "any":
        rows = rows.filter(
            needs["no_contact"] | needs["overdue"] | needs["long_in_phase"] | needs["measurement_late"]
        )
    return {
        "per_phase": [(value, label, per_phase.get(value, 0)) for value, label in Phase.choices],
        "per_context": [
            (value, label, per_context.get(value, 0))
            for value, label in Context.choices
            if per_context.get(value)
        ],
        "totals": totals,
        "rows": rows.order_by("client__last_name", "id"),
        "stale_days": STALE_CONTACT_DAYS,
        "long_days": LONG_IN_PHASE_DAYS,
        "viewable_ids": set(
            policies.visible_trajectories(actor).filter(end_date__isnull=True).values_list("id", flat=True)
        ),
    }
