"""The matching app's work signals for the start page (``core.worksignals``): follow-up moments of a
placement (1, 3, 6 and 12 months after the start) that are due within two weeks or overdue and not recorded
yet, on the trajectories the actor works on, open or closed (the later follow-ups mostly come after the
trajectory closed). Each signal links to the placement's page, where the follow-up is recorded.

Beside the 6-month follow-up: the re-measurement of the client's work values (the instrument whose
definition declares ``roles.matching: work_values``, the client's side of the value fit), from two weeks
before that follow-up is due until it is taken or three months have passed, while the trajectory is open (a
measurement needs an open trajectory); it links to that instrument's measurement form. A measurement taken
from a month before the due date counts. Found in the same single query: the instrument by its role in the
stored current definition (``instruments.selectors.role_instrument_keys``), the trajectory's latest
measurement of it as a subquery. Registered in ``apps.MatchingConfig.ready``."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waardewerk.clients.models import anonymised
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
)
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.instruments.selectors import role_instrument_keys
from waardewerk.matching import policies
from waardewerk.matching.models import FollowUp
from waardewerk.trajectories.models import Trajectory

LIMIT = 100
# A follow-up shows this many days before it is due (and stays while it is overdue).
WITHIN_DAYS = 14
# The follow-up month with the re-measurement of the work values, how long after its due date the
# re-measurement is still asked for, and how long before the due date a measurement already counts.
REMEASURE_MONTH = 6
REMEASURE_DAYS_AFTER = 91
REMEASURE_COUNTS_BEFORE = dt.timedelta(days=30)


def _due(today: dt.date) -> dict:
    return {"done_on__isnull": True, "due_on__lte": today + dt.timedelta(days=WITHIN_DAYS)}


def _remeasure_window(today: dt.date) -> Q:
    """The 6-month follow-ups of open trajectories around their due date: their re-measurement may be due
    (whether it is taken is decided on the row's ``last_measured``)."""
    return Q(
        month=REMEASURE_MONTH,
        due_on__lte=today + dt.timedelta(days=WITHIN_DAYS),
        due_on__gte=today - dt.timedelta(days=REMEASURE_DAYS_AFTER),
        placement__trajectory__end_date__isnull=True,
    )


def _work_values_key():
    return Subquery(role_instrument_keys("matching", "work_values")[:1])


def _last_measured():
    """The latest date the trajectory's client was measured on the work-values instrument (submitted)."""
    return Subquery(
        Measurement.objects.filter(
            trajectory_id=OuterRef("placement__trajectory_id"),
            instrument__key=OuterRef("measure_key"),
            status=MeasurementStatus.SUBMITTED,
        )
        .order_by("-taken_on")
        .values("taken_on")[:1]
    )


def _needs_measurement(row, today: dt.date) -> bool:
    return (
        row["month"] == REMEASURE_MONTH
        and row["due_on"] >= today - dt.timedelta(days=REMEASURE_DAYS_AFTER)
        and row["measure_key"] is not None
        and row["placement__trajectory__end_date"] is None
        and (row["last_measured"] is None or row["last_measured"] < row["due_on"] - REMEASURE_COUNTS_BEFORE)
    )


# Compiled once per process and day (``core.compiled``): the scope's values and the rows are read per request.
FOLLOW_UP_ROWS = CompiledQuery(
    lambda today, *, scope: (
        FollowUp.objects.filter(placement__trajectory_id__in=scope)
        # An anonymised file's placement stays for the figures; nobody can follow it up any more.
        .exclude(anonymised("placement__trajectory__client__"))
        .filter(Q(**_due(today)) | _remeasure_window(today))
        .annotate(measure_key=_work_values_key())
        .annotate(last_measured=_last_measured())
        .order_by("due_on", "placement_id", "month")
        .values(
            "uuid",
            "month",
            "due_on",
            "done_on",
            "measure_key",
            "last_measured",
            "placement__uuid",
            "placement__trajectory__uuid",
            "placement__trajectory__end_date",
            "placement__job__title",
            "placement__job__employer__name",
            "placement__trajectory__client__uuid",
            "placement__trajectory__client__first_name",
            "placement__trajectory__client__infix",
            "placement__trajectory__client__last_name",
        )[:LIMIT]
    )
)


def follow_up_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    page = url_pattern("matching:placement")
    rows = FOLLOW_UP_ROWS(today, scope=shared(scope, actor, policies.follow_up_trajectory_ids))
    items = []
    for row in rows:
        if _needs_measurement(row, today):
            items.append(_measurement_signal(row, today))
        if row["done_on"] is not None:
            continue
        items.append(
            Signal(
                kind="follow_ups",
                key=occurrence(row["uuid"], row["due_on"]),
                title=client_name(
                    row["placement__trajectory__client__first_name"],
                    row["placement__trajectory__client__infix"],
                    row["placement__trajectory__client__last_name"],
                ),
                reason=ngettext(
                    "Follow-up %(months)s month after the start as %(job)s at %(employer)s, due %(day)s.",
                    "Follow-up %(months)s months after the start as %(job)s at %(employer)s, due %(day)s.",
                    row["month"],
                )
                % {
                    "months": row["month"],
                    "job": row["placement__job__title"],
                    "employer": row["placement__job__employer__name"],
                    "day": format_day(row["due_on"], "j M"),
                },
                url=f"{page(row['placement__uuid'])}#followup-{row['month']}",
                link_text=_("Record the follow-up"),
                day=row["due_on"],
                client=row["placement__trajectory__client__uuid"],
                overdue=row["due_on"] < today,
            )
        )
    return items


def _measurement_signal(row, today: dt.date) -> Signal:
    return Signal(
        kind="follow_ups",
        key=occurrence(row["uuid"], row["due_on"], "measurement"),
        title=client_name(
            row["placement__trajectory__client__first_name"],
            row["placement__trajectory__client__infix"],
            row["placement__trajectory__client__last_name"],
        ),
        reason=_(
            "Measure the work values again %(months)s months after the start as %(job)s at %(employer)s, "
            "due %(day)s."
        )
        % {
            "months": row["month"],
            "job": row["placement__job__title"],
            "employer": row["placement__job__employer__name"],
            "day": format_day(row["due_on"], "j M"),
        },
        url=reverse("instruments:new", args=[row["placement__trajectory__uuid"], row["measure_key"]]),
        link_text=_("Take the measurement"),
        day=row["due_on"],
        client=row["placement__trajectory__client__uuid"],
        overdue=row["due_on"] < today,
    )


def follow_up_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    """The trajectories with a follow-up signal (a team lead's count). A 6-month follow-up in its
    re-measurement window counts even when its measurement was taken (a count, not the list)."""
    return trajectories.exclude(anonymised("client__")).filter(
        Exists(
            FollowUp.objects.filter(placement__trajectory=OuterRef("pk")).filter(
                Q(**_due(today)) | _remeasure_window(today)
            )
        )
    )


def register_sources() -> None:
    register(
        SignalSource(
            "follow_ups",
            gettext_lazy("Follow-ups of placements"),
            65,
            follow_up_items,
            follow_up_trajectories,
        )
    )
