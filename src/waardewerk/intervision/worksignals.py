"""Intervision's work signal for the start page (``core.worksignals``): the actor's own experiments whose
"until" date has come without a reflection, to bring to the next session. Not about a client (the
experiment's text is not shown), and not counted for a team. One query; registered in
``apps.IntervisionConfig.ready``."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.formats import day as format_day
from waardewerk.core.worksignals import Scope, Signal, SignalSource, occurrence, register, shared, url_pattern
from waardewerk.intervision.models import Experiment
from waardewerk.intervision.policies import visible_group_ids

LIMIT = 100


# Compiled once per process and day (``core.compiled``): the actor's groups and the rows are read per request.
EXPERIMENT_ROWS = CompiledQuery(
    lambda today, *, groups, owner: (
        Experiment.objects.filter(
            session__group_id__in=groups, owner_id=owner, reflected_at__isnull=True, until__lte=today
        )
        .order_by("until", "id")
        .values("uuid", "until", "session__uuid", "session__date", "session__group__name")[:LIMIT]
    )
)


def experiment_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    reflect = url_pattern("intervision:reflection", 2)
    # ``visible_experiments(actor)``: those of the sessions of the actor's groups.
    rows = EXPERIMENT_ROWS(today, groups=shared(scope, actor, visible_group_ids), owner=actor.pk)
    return [
        Signal(
            kind="experiments",
            key=occurrence(row["uuid"]),
            title=row["session__group__name"],
            reason=_("The experiment from the session of %(session)s ran until %(day)s: reflect on it.")
            % {"session": format_day(row["session__date"], "j M"), "day": format_day(row["until"], "j M")},
            url=reflect(row["session__uuid"], row["uuid"]),
            link_text=_("Write the reflection"),
            day=row["until"],
        )
        for row in rows
    ]


def register_sources() -> None:
    register(
        SignalSource(
            "experiments", gettext_lazy("Experiments from intervision to reflect on"), 70, experiment_items
        )
    )
