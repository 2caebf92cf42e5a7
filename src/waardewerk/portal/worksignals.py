"""The portal's work signals for the start page (``core.worksignals``): goal proposals of the client
waiting for a decision, questionnaires the client returned lately, and questionnaires asked a week ago or
longer that the client has not finished. One query each, over the open trajectories the actor works on;
registered in ``apps.PortalConfig.ready``."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.content import localised
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
from waardewerk.portal.models import GoalProposal, ProposalStatus, QuestionnaireRequest
from waardewerk.trajectories.models import Trajectory
from waardewerk.trajectories.policies import changeable_trajectory_ids

LIMIT = 100
# A questionnaire not finished after this many days is a signal (the client may need a reminder).
UNFINISHED_AFTER_DAYS = 7
CLIENT = (
    "trajectory__uuid",
    "trajectory__client__uuid",
    "trajectory__client__first_name",
    "trajectory__client__infix",
    "trajectory__client__last_name",
)


def _name(row) -> str:
    return client_name(
        row["trajectory__client__first_name"],
        row["trajectory__client__infix"],
        row["trajectory__client__last_name"],
    )


def _local_day(moment) -> dt.date:
    return timezone.localtime(moment).date()


# Goal proposals -------------------------------------------------------------------------------------------


def _proposals(trajectory_ids) -> QuerySet[GoalProposal]:
    return GoalProposal.objects.filter(trajectory_id__in=trajectory_ids, status=ProposalStatus.OPEN)


# The signal queries are compiled once per process and day (``core.compiled``): the scope's values and the
# rows are read per request.
PROPOSAL_ROWS = CompiledQuery(
    lambda today, *, scope: (
        _proposals(scope).order_by("created_at", "id").values("uuid", "created_at", *CLIENT)[:LIMIT]
    )
)


def proposal_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    page = url_pattern("portal:staff")
    rows = PROPOSAL_ROWS(today, scope=shared(scope, actor, changeable_trajectory_ids))
    text, link_text = _("The client proposed a goal on %(day)s."), _("Decide on the proposal")
    items = []
    for row in rows:
        proposed = _local_day(row["created_at"])
        items.append(
            Signal(
                kind="proposals",
                key=occurrence(row["uuid"]),
                title=_name(row),
                reason=text % {"day": format_day(proposed, "j M")},
                url=page(row["trajectory__uuid"]),
                link_text=link_text,
                day=proposed,
                client=row["trajectory__client__uuid"],
            )
        )
    return items


def proposal_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return trajectories.filter(
        Exists(GoalProposal.objects.filter(trajectory=OuterRef("pk"), status=ProposalStatus.OPEN))
    )


# Questionnaires returned ----------------------------------------------------------------------------------


def _returned_since(today: dt.date):
    start = today - dt.timedelta(days=settings.WAARDEWERK_RETURNED_QUESTIONNAIRE_DAYS)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _returned(trajectory_ids, today: dt.date) -> QuerySet[QuestionnaireRequest]:
    return QuestionnaireRequest.objects.filter(
        trajectory_id__in=trajectory_ids, completed_at__gte=_returned_since(today)
    )


RETURNED_ROWS = CompiledQuery(
    lambda today, *, scope: (
        _returned(scope, today)
        .order_by("-completed_at", "-id")
        .values(
            "uuid", "completed_at", "measurement__uuid", "instrument__current__definition__title", *CLIENT
        )[:LIMIT]
    )
)


def returned_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    answers = url_pattern("instruments:measurement")
    page = url_pattern("portal:staff")
    rows = RETURNED_ROWS(today, scope=shared(scope, actor, changeable_trajectory_ids))
    text, link_text = _("Returned %(questionnaire)s on %(day)s."), _("See the answers")
    items = []
    for row in rows:
        returned = _local_day(row["completed_at"])
        url = answers(row["measurement__uuid"]) if row["measurement__uuid"] else page(row["trajectory__uuid"])
        items.append(
            Signal(
                kind="returned",
                key=occurrence(row["uuid"]),
                title=_name(row),
                reason=text
                % {
                    "questionnaire": localised(row["instrument__current__definition__title"]),
                    "day": format_day(returned, "j M"),
                },
                url=url,
                link_text=link_text,
                day=returned,
                client=row["trajectory__client__uuid"],
            )
        )
    return items


def returned_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return trajectories.filter(
        Exists(
            QuestionnaireRequest.objects.filter(
                trajectory=OuterRef("pk"), completed_at__gte=_returned_since(today)
            )
        )
    )


# Questionnaires not filled in -----------------------------------------------------------------------------


def _asked_before(today: dt.date):
    start = today - dt.timedelta(days=UNFINISHED_AFTER_DAYS)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _unfinished():
    return {"completed_at__isnull": True, "cancelled_at__isnull": True}


UNFINISHED_ROWS = CompiledQuery(
    lambda today, *, scope: (
        QuestionnaireRequest.objects.filter(
            trajectory_id__in=scope, created_at__lt=_asked_before(today), **_unfinished()
        )
        .order_by("created_at", "id")
        .values("uuid", "created_at", "instrument__current__definition__title", *CLIENT)[:LIMIT]
    )
)


def unfinished_items(actor, today: dt.date, scope: Scope | None = None) -> list[Signal]:
    page = url_pattern("portal:staff")
    rows = UNFINISHED_ROWS(today, scope=shared(scope, actor, changeable_trajectory_ids))
    text, link_text = (
        _("%(questionnaire)s, asked on %(day)s, is not filled in yet."),
        _("Open the portal page"),
    )
    items = []
    for row in rows:
        asked = _local_day(row["created_at"])
        items.append(
            Signal(
                kind="unfinished",
                key=occurrence(row["uuid"]),
                title=_name(row),
                reason=text
                % {
                    "questionnaire": localised(row["instrument__current__definition__title"]),
                    "day": format_day(asked, "j M"),
                },
                url=page(row["trajectory__uuid"]),
                link_text=link_text,
                day=asked,
                client=row["trajectory__client__uuid"],
            )
        )
    return items


def unfinished_trajectories(trajectories: QuerySet, today: dt.date) -> QuerySet[Trajectory]:
    return trajectories.filter(
        Exists(
            QuestionnaireRequest.objects.filter(
                trajectory=OuterRef("pk"), created_at__lt=_asked_before(today), **_unfinished()
            )
        )
    )


def register_sources() -> None:
    register(
        SignalSource(
            "proposals", gettext_lazy("Goal proposals of clients"), 30, proposal_items, proposal_trajectories
        )
    )
    register(
        SignalSource(
            "returned", gettext_lazy("Questionnaires returned"), 35, returned_items, returned_trajectories
        )
    )
    register(
        SignalSource(
            "unfinished",
            gettext_lazy("Questionnaires not filled in"),
            40,
            unfinished_items,
            unfinished_trajectories,
        )
    )
