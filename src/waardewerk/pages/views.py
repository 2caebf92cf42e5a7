from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.audit.services import audit_reads, audit_record
from waardewerk.clients import services as client_services
from waardewerk.clients.forms import ClientEditForm, ClientRegisterForm
from waardewerk.clients.policies import can_register_client, can_search_clients
from waardewerk.clients.search import parse_client_query
from waardewerk.clients.services import CLIENT_FIELDS
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service, posted
from waardewerk.pages.dossier import dossier as build_dossier
from waardewerk.pages.navigation import start_page
from waardewerk.pages.search import search_page
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
from waardewerk.trajectories.policies import can_change_trajectory, refusal_to_change, visible_clients
from waardewerk.trajectories.selectors import readable_client, readable_trajectory


def _shown_duplicates(actor, clients) -> list:
    """Of the clients the duplicate rule found, those the actor may see (the page names and links them: a
    read of each); the others are only counted."""
    shown = list(visible_clients(actor).filter(pk__in=[c.pk for c in clients]).order_by("last_name", "pk"))
    for client in shown:
        trajectory_services.client_read_record(actor=actor, client=client, detail={"page": "duplicate"})
    return shown


@require_http_methods(["GET", "POST"])
def client_register(request):
    """Registering a client, with the duplicate rule (``clients.duplicates``): a BSN already in the
    organisation is refused, the same name and date of birth is a warning the user may confirm past. A found
    client is named and linked only for a user who may see that client."""
    if not can_register_client(request.user):
        raise PermissionDenied
    form = ClientRegisterForm(posted(request))
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_duplicate")
        try:
            client = client_services.client_register(
                actor=request.user, data=data, accept_possible_duplicates=confirmed
            )
        except client_services.DuplicateBSNError as exc:
            form.add_service_errors(exc)
            shown = _shown_duplicates(request.user, [exc.client])
            context["same_bsn"] = shown[0] if shown else None
            context["same_bsn_hidden"] = not shown
        except ValidationError as exc:
            form.add_service_errors(exc)
        except client_services.PossibleDuplicatesError as exc:
            shown = _shown_duplicates(request.user, exc.clients)
            context["possible_duplicates"] = shown
            context["hidden_duplicates"] = len(exc.clients) - len(shown)
        else:
            messages.success(
                request, _("%(name)s is registered. Now start a trajectory.") % {"name": client.full_name}
            )
            return redirect("trajectories:start", client_id=client.uuid)
    return render(request, "clients/register.html", context, status=422 if form.errors else 200)


@require_GET
def search(request):
    """The search box's results: the clients the user may see, by name, BSN or date of birth. The search is
    logged (how it searched, never the text: it may be a BSN), and every client shown is a read."""
    if not can_search_clients(request.user):
        raise PermissionDenied
    text = request.GET.get("q", "")
    query = parse_client_query(text)
    page, rows = (None, [])
    if query:
        page, rows = search_page(request.user, query, request.GET.get("page"))
        audit_record(
            actor=request.user,
            action="search",
            object_type="client_search",
            detail={"by": query.kind, "found": page.paginator.count, "page": page.number},
        )
        audit_reads(
            actor=request.user, reads=((row["client"], None) for row in rows), object_type="client_search"
        )
    context = {
        "q": text.strip(),
        "query": query,
        "page": page,
        "rows": rows,
        "query_string": f"q={quote(text.strip())}",
    }
    return render(request, "pages/search.html", context, status=422 if query.error else 200)


@require_GET
def home(request):
    """Send each user to their first screen (``navigation.start_page``, decided by the policies)."""
    return redirect(start_page(request.user))


# The client's dossier and the trajectory page (``pages.dossier``, ``pages.trajectory``), with the trajectory
# page's inline forms, which show the page again with their errors. Their URLs keep the names of the apps
# they belong to (``clients:dossier``, ``trajectories:detail``, …): see ``pages/urls.py``.


def _kind(request) -> str:
    return timeline_kind(request.GET.get("kind", ""))


@require_GET
def dossier(request, client_id):
    context = build_dossier(request.user, client_id, kind=_kind(request))
    trajectory_services.client_read_record(actor=request.user, client=context["client"])
    return render(request, "clients/dossier.html", context)


@require_GET
def trajectory(request, trajectory_id):
    """The trajectory page; as htmx partials its timeline (the filter) and the checklists of every phase
    (``?part=checklists``: the page renders only the current phase's; ``?checklists=all`` shows them all
    without JavaScript)."""
    # A step back through the filter's pushed addresses that htmx cannot restore from its cache asks for
    # the whole page (``HX-History-Restore-Request``).
    partial = request.htmx and not request.htmx.history_restore_request
    if partial and request.GET.get("part") == "checklists":
        context = trajectory_page(request.user, trajectory_id, all_checklists=True)
        template = "trajectories/_trajectory.html#checklists"
    elif partial:
        context = timeline_page(request.user, trajectory_id, kind=_kind(request))
        template = "trajectories/_trajectory.html#timeline"
    else:
        all_checklists = request.GET.get("checklists") == "all"
        context = trajectory_page(
            request.user, trajectory_id, kind=_kind(request), all_checklists=all_checklists
        )
        template = "trajectories/detail.html"
    trajectory_services.dossier_read_record(actor=request.user, trajectory=context["trajectory"])
    return render(request, template, context)


def _submit(request, trajectory_id, form_class, service, form_key: str, success, back, *, forbid=False):
    """An inline form of the trajectory page: validate, call the service and go ``back``, or show the page
    again with the errors next to the fields (422). ``success`` gives the confirmation, given the trajectory;
    ``forbid``: 403 at once for whoever may see the trajectory but not change it."""
    trajectory = readable_trajectory(request.user, trajectory_id, trajectory_queryset(request.user))
    if forbid and not can_change_trajectory(request.user, trajectory):
        raise PermissionDeniedError(refusal_to_change(trajectory))
    # The page comes back with the errors: a read of the trajectory (dropped when the answer redirects).
    trajectory_services.dossier_read_record(actor=request.user, trajectory=trajectory)
    goals = {"goals": active_goals(trajectory)} if form_class is ActionForm else {}
    form = form_class(request.POST, **goals)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: service(actor=request.user, trajectory=trajectory, **form.cleaned_data),
            conflict_on_form=True,
        )
        if outcome.saved:
            messages.success(request, success(trajectory))
            return back(trajectory)
    context = trajectory_section(request.user, trajectory, **{form_key: form})
    context["page_url"] = reverse("trajectories:detail", args=[trajectory.uuid])
    return render(request, "trajectories/detail.html", context, status=422)


def _dossier_or_trajectory(trajectory):
    if trajectory.is_open:
        return redirect("clients:dossier", client_id=trajectory.client.uuid)
    return redirect("trajectories:detail", trajectory_id=trajectory.uuid)


def _at_open_actions(trajectory, *, on_dossier: bool):
    """Back to the page the action was added on (the trajectory page, or the dossier that shows the open
    trajectory), at the list of open actions where the new one now stands."""
    if on_dossier and trajectory.is_open:
        url = reverse("clients:dossier", args=[trajectory.client.uuid])
    else:
        url = reverse("trajectories:detail", args=[trajectory.uuid])
    return redirect(f"{url}#actions-heading")


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
        lambda t: _at_open_actions(t, on_dossier=request.POST.get("back") == "dossier"),
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


# The client's personal data (``clients:edit``): the dossier's access rules decide who changes them.


@require_http_methods(["GET", "POST"])
def client_edit(request, client_id):
    """The client's personal data: for who may change the dossier (403 with the reason for who only reads
    it, e.g. under emergency access)."""
    client = readable_client(request.user, client_id)
    if not client.editable:  # policies.editable_clients, annotated by the same query
        raise PermissionDeniedError(_("You can read this dossier but not change the personal data."))
    trajectory_services.client_read_record(actor=request.user, client=client, detail={"page": "edit"})
    if request.method == "POST":
        form = ClientEditForm(request.POST, editing=client)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if not data.get("bsn"):
                data.pop("bsn", None)
            outcome = call_service(
                form,
                lambda: trajectory_services.client_update(
                    actor=request.user, client=client, data=data, version=version
                ),
                conflict_on_form=True,
            )
            if outcome.saved:
                messages.success(request, _("The personal data are saved."))
                return redirect("clients:dossier", client_id=client.uuid)
    else:
        initial = {f: getattr(client, f) for f in CLIENT_FIELDS} | {"version": client.version}
        form = ClientEditForm(initial=initial, editing=client)
    return render(
        request, "clients/edit.html", {"form": form, "client": client}, status=422 if form.errors else 200
    )
