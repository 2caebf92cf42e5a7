"""Team quality pages (docs/quality.md): the team lead's figures per team and the organisation, and a case
worker's own figures beside their team's. Views ask the policies and call one selector."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from waardewerk.quality import policies, selectors


@require_GET
def team(request):
    if not policies.can_see_team_quality(request.user):
        raise PermissionDenied
    snapshot, tables = selectors.team_quality(request.user)
    return render(
        request,
        "quality/team.html",
        {"snapshot": snapshot, "tables": tables, "k": snapshot.min_cell_size if snapshot else None},
    )


@require_GET
def mine(request):
    if not policies.can_see_own_quality(request.user):
        raise PermissionDenied
    snapshot, own, teams = selectors.own_quality(request.user)
    return render(
        request,
        "quality/mine.html",
        {"snapshot": snapshot, "own": own, "tables": teams, "k": snapshot.min_cell_size},
    )
