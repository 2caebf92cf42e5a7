"""The work signal "consent ends soon" for the start page (``core.worksignals``): a consent of a client the
actor works on whose end date ("geldig tot", ``Consent.valid_until``) falls within the next
``DAYS`` days, not withdrawn. One query over the open trajectories the actor works on
(``policies.changeable_trajectories``); registered in ``apps.TrajectoriesConfig.ready``."""

import datetime as dt

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.clients.models import Consent, ConsentKind
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
from waardewerk.trajectories import policies
from waardewerk.trajectories.models import Trajectory

DAYS = 30
LIMIT = 100


def _ending(today: dt.date):
    return Consent.objects.filter(
        withdrawn_at__isnull=True, valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=DAYS)
    )


# Compiled once per process and day (``core.compiled``): the scope's values and the rows are read per request.
CONSENT_ROWS = CompiledQuery(
    lambda today, *, scope: (
        _ending(today)
        .filter(client__trajectories__id__in=scope)
        .annotate(trajectory_uuid=F("client__trajectories__uuid"))
        .order_by("valid_until", "id")
        .values(
            "uuid",
            "kind",
            "party_name",
            "valid_until",
            "trajectory_uuid",
            "client__uuid",
            "client__first_name",
            "client__infix",
            "client__last_name",
        )[:LIMIT]
    )
)


def consent_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    portal = url_pattern("portal:staff")
    rows = CONSENT_ROWS(today, scope=shared(scope, actor, policies.changeable_trajectory_ids))
    kinds = dict(ConsentKind.choices)
    text, link_text = _("Consent ends on %(day)s: %(what)s"), _("Open the consents")
    items = []
    for row in rows:
        what = str(kinds.get(row["kind"], row["kind"]))
        if row["party_name"]:
            what = f"{what} ({row['party_name']})"
        items.append(
            Signal(
                kind="consents",
                key=occurrence(row["uuid"], row["valid_until"]),
                title=client_name(row["client__first_name"], row["client__infix"], row["client__last_name"]),
                reason=text % {"day": format_day(row["valid_until"], "j M Y"), "what": what},
                url=portal(row["trajectory_uuid"]) + "#consent-heading",
                link_text=link_text,
                day=row["valid_until"],
                client=row["client__uuid"],
            )
        )
    return items


def consent_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return trajectories.filter(Exists(_ending(today).filter(client=OuterRef("client"))))


def register_sources() -> None:
    register(
        SignalSource(
            "consents",
            gettext_lazy("Consent ending within 30 days"),
            65,
            consent_items,
            consent_trajectories,
        )
    )
