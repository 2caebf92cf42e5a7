"""The instruments' work signal for the start page (``core.worksignals``): measurements due this week or
late, per the instrument schedules (``Trajectory.measurement_due_on``, kept by ``services.refresh_due``).
One query; registered in ``apps.InstrumentsConfig.ready``."""

import datetime as dt

from django.db.models import QuerySet
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
from waardewerk.trajectories.models import Trajectory
from waardewerk.trajectories.policies import changeable_trajectory_ids

LIMIT = 100


def _due(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return trajectories.filter(measurement_due_on__lte=week_end(today))


# Compiled once per process and day (``core.compiled``): the scope's values and the rows are read per request.
MEASUREMENT_ROWS = CompiledQuery(
    lambda today, *, scope: (
        _due(Trajectory.objects.filter(pk__in=scope), today)
        .order_by("measurement_due_on", "id")
        .values(
            "uuid",
            "measurement_due_on",
            "client__uuid",
            "client__first_name",
            "client__infix",
            "client__last_name",
        )[:LIMIT]
    )
)


def measurement_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    detail = url_pattern("trajectories:detail")
    rows = MEASUREMENT_ROWS(today, scope=shared(scope, actor, changeable_trajectory_ids))
    late, due_on, link_text = (
        _("A measurement was due on %(day)s."),
        _("A measurement is due on %(day)s."),
        _("Open the measurements"),
    )
    items = []
    for row in rows:
        due = row["measurement_due_on"]
        overdue = due < today
        text = late if overdue else due_on
        items.append(
            Signal(
                kind="measurements",
                key=occurrence(row["uuid"], due),
                title=client_name(row["client__first_name"], row["client__infix"], row["client__last_name"]),
                reason=text % {"day": format_day(due, "j M")},
                url=detail(row["uuid"]) + "#measurements-heading",
                link_text=link_text,
                day=due,
                client=row["client__uuid"],
                overdue=overdue,
            )
        )
    return items


def register_sources() -> None:
    register(
        SignalSource(
            "measurements",
            gettext_lazy("Measurements due or late"),
            20,
            measurement_items,
            _due,
        )
    )
