"""Who sees which team quality figures (docs/quality.md, docs/authorization.md).

- A team lead sees the figures of the teams they lead and of their organisation as a whole, never per named
  professional and never a ranking.
- A case worker (professional or team lead) sees their own figures privately, beside those of the teams they
  belong to. Nobody else sees a professional's own figures.
- Nobody sees another organisation's figures; a client sees none.
"""

from django.db.models import QuerySet

from waardewerk.accounts.models import Team, TeamMembership
from waardewerk.accounts.policies import CASE_ROLES, is_case_worker, is_team_lead, led_teams


def can_see_team_quality(actor) -> bool:
    return is_team_lead(actor)


def quality_teams(actor) -> QuerySet[Team]:
    """The teams whose figures the actor reads on the team quality page."""
    if not can_see_team_quality(actor):
        return Team.objects.none()
    return led_teams(actor).order_by("name")


def can_see_own_quality(actor) -> bool:
    return is_case_worker(actor)


def own_teams(actor) -> QuerySet[Team]:
    """The teams whose figures a case worker reads beside their own."""
    if not can_see_own_quality(actor):
        return Team.objects.none()
    return Team.objects.filter(organisation_id=actor.organisation_id, memberships__user=actor).order_by(
        "name"
    )


def team_case_workers(organisation_id: int) -> QuerySet[TeamMembership]:
    """The memberships that count for intervision participation: active case workers of the teams."""
    return TeamMembership.objects.filter(
        team__organisation_id=organisation_id, user__role__in=CASE_ROLES, user__is_active=True
    )
