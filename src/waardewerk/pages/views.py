from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waardewerk.accounts.models import Role
from waardewerk.audit.services import audit_read
from waardewerk.core.access import get_for_actor
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.pages.dossier import dossier as build_dossier
from waardewerk.pages.trajectory import (
    active_goals,
    timeline_kind,
    timeline_page,
    trajectory_page,
    trajectory_queryset,
    trajectory_section,
)
from waardewerk.trajectories import services as trajectory_services
from waardewerk.trajectories.forms import ActionForm, PhaseChangeForm, ProgressNoteForm
from waardewerk.trajectories.policies import can_change_trajectory


@require_GET
def home(request):
    """Send each role to its starting page."""
    if request.user.role == Role.FUNCTIONAL_ADMIN:
        return redirect("accounts:organisation")
    return redirect("trajectories:caseload")


# The client's dossier and the trajectory page (``pages.dossier``, ``pages.trajectory``), with the trajectory
# page's inline forms, which show the page again with their errors. Their URLs keep the names of the apps
# they belong to (``clients:dossier``, ``trajectories:detail``, …): see ``pages/urls.py``.


def _kind(request) -> str:
    return timeline_kind(request.GET.get("kind", ""))


@require_GET
def dossier(request, client_id):
    context = build_dossier(request.user, client_id, kind=_kind(request))
    client = context["client"]
    audit_read(actor=request.user, client=client, obj=client)
    return render(request, "clients/dossier.html", context)


@require_GET
def trajectory(request, trajectory_id):
    if request.htmx:
        context = timeline_page(request.user, trajectory_id, kind=_kind(request))
        template = "trajectories/_trajectory.html#timeline"
    else:
        context = trajectory_page(request.user, trajectory_id, kind=_kind(request))
        template = "trajectories/detail.html"
    trajectory = context["trajectory"]
    audit_read(actor=request.user, client=trajectory.client, obj=trajectory)
    return render(request, template, context)


def _submit(request, trajectory_id, form_class, service, form_key: str, success, back, *, forbid=False):
    """An inline form of the trajectory page: validate, call the service and go ``back``, or show the page
    again with the errors next to the fields (422). ``success`` gives the confirmation, given the trajectory;
    ``forbid``: 403 at once for whoever may see the trajectory but not change it."""
    trajectory = get_for_actor(trajectory_queryset(request.user), trajectory_id)
    if forbid and not can_change_trajectory(request.user, trajectory):
        raise PermissionDenied
    # The page comes back with the errors: a read of the trajectory (dropped when the answer redirects).
    audit_read(actor=request.user, client=trajectory.client, obj=trajectory)
    goals = {"goals": active_goals(trajectory)} if form_class is ActionForm else {}
    form = form_class(request.POST, **goals)
    if form.is_valid():
        try:
            service(actor=request.user, trajectory=trajectory, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDeniedError as exc:
            raise Http404 from exc
        else:
            messages.success(request, success(trajectory))
            return back(trajectory)
    context = trajectory_section(request.user, trajectory, **{form_key: form})
    return render(request, "trajectories/detail.html", context, status=422)


def _dossier_or_trajectory(trajectory):
    if trajectory.is_open:
        return redirect("clients:dossier", client_id=trajectory.client.uuid)
    return redirect("trajectories:detail", trajectory_id=trajectory.uuid)


def _trajectory_page(trajectory):
    return redirect("trajectories:detail", trajectory_id=trajectory.uuid)


@require_POST
def change_phase(request, trajectory_id):
    return _submit(
        request,
        trajectory_id,
        PhaseChangeForm,
        trajectory_services.trajectory_change_phase,
        "phase_form",
        lambda t: _("The trajectory is now in the phase %(phase)s.") % {"phase": t.get_phase_display()},
        _dossier_or_trajectory,
    )


@require_POST
def add_action(request, trajectory_id):
    return _submit(
        request,
        trajectory_id,
        ActionForm,
        trajectory_services.action_create,
        "action_form",
        lambda t: _("The action is added."),
        _dossier_or_trajectory,
    )


@require_POST
def add_note(request, trajectory_id):
    return _submit(
        request,
        trajectory_id,
        ProgressNoteForm,
        trajectory_services.progress_note_add,
        "note_form",
        lambda t: _("The progress note is saved."),
        _trajectory_page,
        forbid=True,
    )
