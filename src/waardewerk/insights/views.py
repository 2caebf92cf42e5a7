"""Practice-evidence pages: "what worked here" (every staff member of the organisation) and the research
export (the knowledge editor). Views ask the policies and call one selector or service."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from waardewerk.accounts.decorators import require_recent_authentication
from waardewerk.core.access import require
from waardewerk.core.forms import posted
from waardewerk.insights import policies, research, selectors
from waardewerk.insights.forms import ResearchExportForm


@require_GET
def overview(request):
    require(policies.can_read_evidence(request.user))
    snapshot, rows = selectors.overview(request.user)
    return render(
        request,
        "insights/overview.html",
        {"snapshot": snapshot, "rows": rows, "k": snapshot.min_cell_size},
    )


@require_GET
def entry(request, key):
    require(policies.can_read_evidence(request.user))
    found = selectors.entry_for(request.user, key)
    return render(
        request, "insights/entry.html", {"entry": found} | selectors.entry_figures(request.user, found)
    )


@require_http_methods(["GET", "POST"])
def research_export(request):
    """Role first, then a fresh password confirmation (as for the access log's export), then the form."""
    require(policies.can_export_research(request.user))
    return _research_export(request)


@require_recent_authentication
def _research_export(request):
    form = ResearchExportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        export = research.build(
            organisation_id=request.user.organisation_id, since=form.cleaned_data["since"]
        )
        research.log_export(export, actor=request.user)
        response = HttpResponse(export.zip_bytes(), content_type="application/zip")
        stamp = timezone.localtime(export.made_at).strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="research-export-{stamp}.zip"'
        return response
    return render(
        request, "insights/research_export.html", {"form": form}, status=422 if form.errors else 200
    )
