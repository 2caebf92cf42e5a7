"""The start page's reads: every registered work signal for the actor (one query per signal kind), the
actor's handled marks (one query) and, for a team lead, the counts per team (one query for the teams and
one for the counts of every kind), and today's appointments (one query). Nothing here grows with the
caseload (docs/workday.md, ``tests/test_query_counts_workday.py``)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Value
from django.utils import timezone

from waardewerk.accounts.policies import led_teams
from waardewerk.agenda import selectors as agenda
from waardewerk.core import worksignals
from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.worksignals import Signal
from waardewerk.workday import policies
from waardewerk.workday.models import HandledSignal

# The session key of the number of open signals at the last view of the start page: the navigation shows it
# (``pages.context_processors``) without computing the signals on every page.
OPEN_COUNT = "workday_open_count"


@dataclass(frozen=True)
class Section:
    kind: str
    label: str
    items: list[Signal]


@dataclass(frozen=True)
class HandledItem:
    signal: Signal
    label: str
    handled_at: dt.datetime


def handled_marks(actor) -> dict[tuple[str, str], dt.datetime]:
    return {
        (kind, key): at
        for kind, key, at in HandledSignal.objects.filter(user=actor).values_list("kind", "key", "handled_at")
    }


def start_page(actor, today: dt.date) -> dict:
    """The actor's open signals per kind (those marked as handled apart, with when), the client whose data
    they show (for the access log) and, for a team lead, the counts of the teams they lead."""
    marks = handled_marks(actor)
    scope = worksignals.Scope(actor)  # the actor's scope, built once for every source
    sections, handled, clients = [], [], set()
    for source in worksignals.sources():
        label = str(source.label)
        open_items = []
        for signal in source.items(actor, today, scope=scope):
            if signal.client:
                clients.add(signal.client)
            at = marks.get((signal.kind, signal.key))
            if at is None:
                open_items.append(signal)
            else:
                handled.append(HandledItem(signal, label, at))
        sections.append(Section(source.kind, label, open_items))
    handled.sort(key=lambda item: item.handled_at, reverse=True)
    return {
        "sections": sections,
        "open_count": sum(len(section.items) for section in sections),
        "handled": handled,
        "clients": clients,
        "team": team_counts(actor, today) if policies.may_see_team_signals(actor) else None,
        "appointments": appointments(actor, today),
    }


# What the page shows of an appointment (``agenda/_appointment_row.html``) and logs (the client): the
# query reads these columns only, not the three tables' 60-odd.
APPOINTMENT_FIELDS = (
    "uuid",
    "kind",
    "starts_at",
    "duration",
    "channel",
    "title",
    "cancelled_at",
    "trajectory",
    "trajectory__client",
    "trajectory__client__uuid",
    "trajectory__client__first_name",
    "trajectory__client__infix",
    "trajectory__client__last_name",
)


def appointments(actor, today: dt.date) -> dict:
    """Today's appointments and how many more this week (cancelled ones left out): one query."""
    rows = [
        a
        for a in agenda.between(actor, today, worksignals.week_end(today)).only(*APPOINTMENT_FIELDS)
        if not a.is_cancelled
    ]
    todays = [a for a in rows if timezone.localtime(a.starts_at).date() == today]
    return {"today": todays, "later_this_week": len(rows) - len(todays)}


def open_signal(actor, kind: str, key: str, today: dt.date) -> Signal | None:
    """One of the actor's current signals (a query of its kind), or None: only these can be marked."""
    source = worksignals.source(kind)
    if source is None:
        return None
    return next((signal for signal in source.items(actor, today) if signal.key == key), None)


def team_count_query(sources) -> CompiledQuery:
    """Per kind of signal and team, how many of the teams' open trajectories have the signal: one query (a
    ``UNION ALL`` of one ``COUNT ... GROUP BY team`` per kind), compiled once per process and day
    (``core.compiled``); the scope's values and the counts are read per request."""
    sources = tuple(sources)
    query = _TEAM_COUNTS.get(sources)
    if query is None:

        def count(source, today, scope):
            trajectories = policies.trajectories_in(scope)
            matching = source.trajectories(trajectories, today).values("pk")
            # Counted by the ids that have the signal (a trajectory once, whatever the source's joins);
            # those are the teams' open trajectories already, so the outer query needs no scope of its own.
            return (
                trajectories.model.objects.filter(pk__in=matching)
                .order_by()
                .values("team_id")
                .annotate(n=Count("pk"), kind=Value(source.kind))
                .values_list("kind", "team_id", "n")
            )

        def build(today, *, scope):
            first, *rest = (count(source, today, scope) for source in sources)
            return first.union(*rest, all=True).order_by()

        query = _TEAM_COUNTS[sources] = CompiledQuery(build, rows="tuples")
    return query


_TEAM_COUNTS: dict = {}


def team_counts(actor, today: dt.date) -> dict:
    """Per signal kind that is about trajectories, how many open trajectories of each team the actor leads
    have it. Counts only: no names, no figures per professional."""
    teams = list(led_teams(actor).order_by("name").values_list("pk", "name"))
    sources = [source for source in worksignals.sources() if source.trajectories is not None]
    counts = {}
    if teams and sources:
        for kind, team_id, n in team_count_query(sources)(
            today, scope=policies.team_open_trajectory_ids(actor)
        ):
            counts[kind, team_id] = n
    rows = [
        {
            "kind": source.kind,
            "label": str(source.label),
            "counts": [counts.get((source.kind, pk), 0) for pk, _name in teams],
        }
        for source in sources
        if teams
    ]
    return {"teams": [name for _pk, name in teams], "rows": rows}
