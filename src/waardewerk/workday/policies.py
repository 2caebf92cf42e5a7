"""Who uses the start page ("Vandaag", docs/workday.md). Each signal's rows come from the policies of the app
that holds them (``core.worksignals``); this module decides who gets the page and the team's counts."""

from django.db.models import QuerySet

from waardewerk.accounts.policies import is_case_worker, led_team_ids
from waardewerk.core import sql
from waardewerk.trajectories.models import Trajectory
from waardewerk.trajectories.policies import may_see_team_overview, team_trajectories


def may_use_start_page(actor) -> bool:
    """Whoever can have a caseload (professionals and team leads) has a start page with their signals."""
    return is_case_worker(actor)


def can_handle_signal(actor) -> bool:
    """Marking one's own signals as handled (and undoing it)."""
    return may_use_start_page(actor)


def may_see_team_signals(actor) -> bool:
    """A team lead sees how many open trajectories of the teams they lead have each signal: counts per team,
    no names and no figures per professional."""
    return may_see_team_overview(actor)


def team_open_trajectories(actor) -> QuerySet[Trajectory]:
    """The open trajectories of the teams the actor leads."""
    if not may_see_team_signals(actor):
        return Trajectory.objects.none()
    return team_trajectories(actor).filter(end_date__isnull=True)


def team_open_trajectory_ids(actor):
    """The ids of ``team_open_trajectories(actor)`` as one SQL subquery (``core.sql``): the start page's
    counting queries filter by it and are compiled once (``core.compiled``); the same trajectories
    (``workday/tests/test_team_scope.py``)."""
    if not may_see_team_signals(actor):
        return Trajectory.objects.none().values("pk")
    led = led_team_ids(actor)
    return sql.ids(
        f"SELECT id FROM {Trajectory._meta.db_table} WHERE organisation_id = %s AND end_date IS NULL"  # noqa: S608
        f" AND team_id IN ({led.sql})",
        [actor.organisation_id, *led.params],
    )


def trajectories_in(ids) -> QuerySet[Trajectory]:
    """The trajectories whose ids a scope of this module holds (``team_open_trajectory_ids``), for the
    counts: the start page's selectors import no app's models."""
    return Trajectory.objects.filter(pk__in=ids)
