"""The trajectories' work signals for the start page (``core.worksignals``): actions overdue or due this
week, plans not yet agreed, no contact for a while. Each is one query over the open trajectories the actor
works on (``policies.changeable_trajectories``); registered in ``apps.TrajectoriesConfig.ready``."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.formats import day as format_day
from waardewerk.core.worksignals import (
    Scope,
    Signal,
    SignalSource,
    client_name,
    occurrence,
    register,
    shared,
    url_pattern,
    week_end,
)
from waardewerk.trajectories import policies
from waardewerk.trajectories.models import (
    Action,
    ActionStatus,
    Conversation,
    PlanAgreement,
    PlanVersion,
    Trajectory,
)

# Each list is cut off here (the start page says so): a professional acts on the first ones.
LIMIT = 100
NAME = ("client__first_name", "client__infix", "client__last_name")


def _name(row, prefix="") -> str:
    return client_name(
        row[f"{prefix}client__first_name"], row[f"{prefix}client__infix"], row[f"{prefix}client__last_name"]
    )


# Actions overdue or due this week ---------------------------------------------------------------------


def _actions(trajectory_ids, today: dt.date) -> QuerySet[Action]:
    return Action.objects.filter(
        trajectory_id__in=trajectory_ids, status=ActionStatus.OPEN, due_date__lte=week_end(today)
    )


def _open_trajectories(ids) -> QuerySet[Trajectory]:
    """The open trajectories the actor works on, filtered by their ids (``changeable_trajectory_ids``)."""
    return Trajectory.objects.filter(pk__in=ids)


def _scope(actor, scope: Scope | None):
    return shared(scope, actor, policies.changeable_trajectory_ids)


# The signal queries are compiled once per process and day (``core.compiled``): the scope's values and the
# rows are read per request.
ACTION_ROWS = CompiledQuery(
    lambda today, *, scope: (
        _actions(scope, today)
        .order_by("due_date", "id")
        .values(
            "uuid",
            "description",
            "due_date",
            "owner",
            "trajectory__uuid",
            "trajectory__client__uuid",
            "trajectory__client__first_name",
            "trajectory__client__infix",
            "trajectory__client__last_name",
        )[:LIMIT]
    )
)


def action_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    detail = url_pattern("trajectories:detail")
    rows = ACTION_ROWS(today, scope=shared(scope, actor, policies.changeable_trajectory_ids))
    # The words once per list, not per row.
    late, due_on, link_text = (
        _("Overdue since %(day)s: %(action)s"),
        _("Due on %(day)s: %(action)s"),
        _("Open the actions"),
    )
    items = []
    for row in rows:
        due, overdue = row["due_date"], row["due_date"] < today
        text = late if overdue else due_on
        items.append(
            Signal(
                kind="actions",
                key=occurrence(row["uuid"], due),
                title=_name(row, "trajectory__"),
                reason=text % {"day": format_day(due, "j M"), "action": row["description"]},
                url=detail(row["trajectory__uuid"]) + "#actions-heading",
                link_text=link_text,
                day=due,
                client=row["trajectory__client__uuid"],
                overdue=overdue,
            )
        )
    return items


def action_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return trajectories.filter(
        Exists(
            Action.objects.filter(
                trajectory=OuterRef("pk"), status=ActionStatus.OPEN, due_date__lte=week_end(today)
            )
        )
    )


# Plans not yet agreed ---------------------------------------------------------------------------------


def _unagreed(trajectories: QuerySet) -> QuerySet[Trajectory]:
    latest = PlanVersion.objects.filter(trajectory=OuterRef("pk")).order_by("-number")
    return (
        trajectories.annotate(
            plan_id=Subquery(latest.values("pk")[:1]),
            plan_number=Subquery(latest.values("number")[:1]),
            plan_created_at=Subquery(latest.values("created_at")[:1]),
        )
        .filter(plan_id__isnull=False)
        .exclude(Exists(PlanAgreement.objects.filter(plan_version_id=OuterRef("plan_id"))))
    )


PLAN_ROWS = CompiledQuery(
    lambda today, *, scope: (
        _unagreed(_open_trajectories(scope))
        .order_by("plan_created_at", "id")
        .values("uuid", "plan_number", "plan_created_at", "client__uuid", *NAME)[:LIMIT]
    )
)


def plan_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    detail = url_pattern("trajectories:plan")
    rows = PLAN_ROWS(today, scope=_scope(actor, scope))
    text, link_text = (
        _("Plan version %(number)s of %(day)s is not agreed with the client yet."),
        _("Open the plan"),
    )
    items = []
    for row in rows:
        made = row["plan_created_at"].date() if row["plan_created_at"] else None
        items.append(
            Signal(
                kind="plans",
                key=occurrence(row["uuid"], row["plan_number"]),
                title=_name(row),
                reason=text % {"number": row["plan_number"], "day": format_day(made, "j M") if made else ""},
                url=detail(row["uuid"]),
                link_text=link_text,
                day=made,
                client=row["client__uuid"],
            )
        )
    return items


def plan_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return _unagreed(trajectories)


# No contact for a while -------------------------------------------------------------------------------


def _quiet(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    """Open trajectories whose last conversation (or, without one, whose start) is more than
    ``WAARDEWERK_NO_CONTACT_DAYS`` ago."""
    since = today - dt.timedelta(days=settings.WAARDEWERK_NO_CONTACT_DAYS)
    last = Conversation.objects.filter(trajectory=OuterRef("pk")).values("trajectory").annotate(m=Max("date"))
    # "The last conversation, or without one the start, before ``since``" as one comparison: the database
    # looks the last conversation up once per trajectory, where "last < since OR (last IS NULL AND start <
    # since)" looked it up twice (docs/performance.md, "The start page's database time").
    return (
        trajectories.annotate(last_contact=Subquery(last.values("m")[:1]))
        .alias(last_or_start=Coalesce("last_contact", "start_date"))
        .filter(last_or_start__lt=since)
        .annotate(quiet_since=F("last_contact"))
    )


CONTACT_ROWS = CompiledQuery(
    lambda today, *, scope: (
        _quiet(_open_trajectories(scope), today)
        .order_by(F("last_contact").asc(nulls_first=True), "start_date", "id")
        .values("uuid", "last_contact", "start_date", "client__uuid", *NAME)[:LIMIT]
    )
)


def contact_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    detail = url_pattern("clients:dossier")
    rows = CONTACT_ROWS(today, scope=_scope(actor, scope))
    quiet, never, link_text = (
        _("No conversation for %(days)s days (the last on %(day)s)."),
        _("No conversation since the start on %(day)s."),
        _("Open the dossier"),
    )
    items = []
    for row in rows:
        last = row["last_contact"]
        if last:
            reason = quiet % {"days": (today - last).days, "day": format_day(last, "j M Y")}
        else:
            reason = never % {"day": format_day(row["start_date"], "j M Y")}
        items.append(
            Signal(
                kind="contact",
                key=occurrence(row["uuid"], last or "start"),
                title=_name(row),
                reason=reason,
                url=detail(row["client__uuid"]),
                link_text=link_text,
                day=last or row["start_date"],
                client=row["client__uuid"],
            )
        )
    return items


def contact_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return _quiet(trajectories, today)


def register_sources() -> None:
    register(
        SignalSource(
            "actions",
            gettext_lazy("Actions overdue or due this week"),
            10,
            action_items,
            action_trajectories,
        )
    )
    register(SignalSource("plans", gettext_lazy("Plans not yet agreed"), 50, plan_items, plan_trajectories))
    register(
        SignalSource(
            "contact", gettext_lazy("No contact for a while"), 60, contact_items, contact_trajectories
        )
    )
