"""Who uses the start page ("Vandaag", docs/workday.md). Each signal's rows come from the policies of the app
that holds them (``core.worksignals``); this module decides who gets the page and the team's counts."""

from django.db.models import QuerySet

from waardewerk.accounts.policies import is_case_worker
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


def team_open_trajectories(actor, team_ids=None) -> QuerySet[Trajectory]:
    """The open trajectories of the teams the actor leads. ``team_ids``: the ids of
    ``accounts.policies.led_teams(actor)`` when the caller has read them already (the start page does, for
    its table): then they filter as a list, not as a subquery in each of the page's counting queries."""
    if not may_see_team_signals(actor):
        return Trajectory.objects.none()
    if team_ids is None:
        return team_trajectories(actor).filter(end_date__isnull=True)
    return Trajectory.objects.filter(
        organisation_id=actor.organisation_id, team_id__in=list(team_ids), end_date__isnull=True
    )
