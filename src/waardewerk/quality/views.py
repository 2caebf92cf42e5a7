"""Team quality pages (docs/quality.md): the team lead's figures per team and the organisation, and a case
worker's own figures beside their team's. Views ask the policies and call one selector."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from waardewerk.quality import policies, report, selectors


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


@require_GET
def team_report(request, team_id):
    """The quarterly quality report of a team the actor leads: ``?format=pdf`` (default) or ``csv``."""
    if not policies.can_see_team_quality(request.user):
        raise PermissionDenied
    fmt = request.GET.get("format", "pdf")
    if fmt not in ("pdf", "csv"):
        return HttpResponseBadRequest(
            _("Choose the format pdf or csv."), content_type="text/plain; charset=utf-8"
        )
    if fmt == "csv":
        team, text = report.report_csv(actor=request.user, team_uuid=team_id)
        response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    else:
        team, pdf = report.report_pdf(actor=request.user, team_uuid=team_id)
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="quality-{team.uuid}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
