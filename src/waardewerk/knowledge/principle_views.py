"""The guiding principles (docs/knowledge.md, "Guiding principles"): the page every staff member reads, and
the knowledge editor's pages to change a principle or add one (each a new version of the list)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from waardewerk.core.forms import call_service
from waardewerk.knowledge import policies, selectors, services
from waardewerk.knowledge.forms import PrincipleForm


@require_GET
def principles(request):
    if not policies.can_read_principles(request.user):
        raise PermissionDenied
    found = selectors.current_principles()
    can_edit = policies.can_edit_principles(request.user)
    context = {"version": None, "principles": None, "can_edit": can_edit}
    if found is not None:
        version, reader = found
        context |= {
            "version": version,
            "principles": reader,
            "history": selectors.principle_versions() if can_edit else [],
        }
    return render(request, "knowledge/principles.html", context)


def _base_version(request) -> int | None:
    try:
        return int(request.POST.get("base_version", ""))
    except ValueError:
        return None


def _edit(request, key: str | None):
    if not policies.can_edit_principles(request.user):
        raise PermissionDenied
    found = selectors.current_principles()
    if found is None:
        raise Http404
    version, reader = found
    principle = reader.find(key) if key else None
    if key and principle is None:
        raise Http404
    conflict = ""
    if request.method == "GET":
        form = PrincipleForm(initial=PrincipleForm.initial_for(principle, version.version))
    else:
        form = PrincipleForm(request.POST)
        if form.is_valid() or _base_version(request) != version.version:
            outcome = call_service(
                form,
                lambda: services.principle_save(
                    actor=request.user,
                    key=key,
                    base_version=_base_version(request),
                    **form.service_arguments(),
                ),
            )
            if outcome.saved:
                messages.success(
                    request,
                    _("The principle is saved. The list is now at version %(version)d.")
                    % {"version": outcome.result.version},
                )
                return redirect(reverse("knowledge:principles") + (f"#principle-{key}" if key else ""))
            conflict = outcome.conflict
    return render(
        request,
        "knowledge/principle_form.html",
        {"form": form, "version": version, "key": key, "principle": principle, "conflict": conflict},
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def principle_edit(request, key):
    return _edit(request, key)


@require_http_methods(["GET", "POST"])
def principle_add(request):
    return _edit(request, None)
