"""The matching app's work signals for the start page (``core.worksignals``): follow-up moments of a
placement (1, 3, 6 and 12 months after the start) that are due within two weeks or overdue and not recorded
yet, on the trajectories the actor works on, open or closed (the later follow-ups mostly come after the
trajectory closed). One query; each signal links to the placement's page, where the follow-up is recorded.
Registered in ``apps.MatchingConfig.ready``."""

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
from waardewerk.matching import policies
from waardewerk.matching.models import FollowUp
from waardewerk.trajectories.models import Trajectory

LIMIT = 100
# A follow-up shows this many days before it is due (and stays while it is overdue).
WITHIN_DAYS = 14


def _due(today: dt.date) -> dict:
    return {"done_on__isnull": True, "due_on__lte": today + dt.timedelta(days=WITHIN_DAYS)}


def follow_up_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    page = url_pattern("matching:placement")
    rows = (
        FollowUp.objects.filter(
            placement__trajectory__in=shared(scope, actor, policies.follow_up_trajectories).values("pk"),
            **_due(today),
        )
        .order_by("due_on", "placement_id", "month")
        .values(
            "uuid",
            "month",
            "due_on",
            "placement__uuid",
            "placement__job__title",
            "placement__job__employer__name",
            "placement__trajectory__client__uuid",
            "placement__trajectory__client__first_name",
            "placement__trajectory__client__infix",
            "placement__trajectory__client__last_name",
        )
    )
    items = []
    for row in rows[:LIMIT]:
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


def follow_up_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return trajectories.filter(
        Exists(FollowUp.objects.filter(placement__trajectory=OuterRef("pk"), **_due(today)))
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
