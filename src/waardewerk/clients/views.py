from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waardewerk.clients import policies, services
from waardewerk.clients.forms import ClientEditForm, ClientForm
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.trajectories.selectors import readable_client, trajectory_detail_queryset
from waardewerk.trajectories.services import client_read_record
from waardewerk.trajectories.views import trajectory_context


@require_http_methods(["GET", "POST"])
def register(request):
    if not policies.can_register_client(request.user):
        raise PermissionDenied
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_register(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("%(name)s is registered. Now start a trajectory.") % {"name": client.full_name}
            )
            return redirect("trajectories:start", client_id=client.uuid)
    return render(request, "clients/register.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET"])
def dossier(request, client_id):
    client = readable_client(request.user, client_id)
    client_read_record(actor=request.user, client=client)
    trajectories = client.visible_trajectories
    open_trajectory = next((t for t in trajectories if t.is_open), None)
    context = {
        "client": client,
        "trajectories": trajectories,
        "open_trajectory": open_trajectory,
        "can_start": open_trajectory is None and client.editable,
    }
    if open_trajectory is not None:
        detailed = trajectory_detail_queryset(request.user).get(pk=open_trajectory.pk)
        context.update(trajectory_context(request, detailed))
    return render(request, "clients/dossier.html", context)


@require_http_methods(["GET", "POST"])
def edit(request, client_id):
    client = readable_client(request.user, client_id)
    if not client.editable:  # policies.editable_clients, annotated by the same query
        raise PermissionDeniedError(_("You can read this dossier but not change the personal data."))
    if request.method == "POST":
        form = ClientEditForm(request.POST, editing=client)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            if not data.get("bsn"):
                data.pop("bsn", None)
            try:
                services.client_update(actor=request.user, client=client, data=data, version=version)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The personal data are saved."))
                return redirect("clients:dossier", client_id=client.uuid)
    else:
        client_read_record(actor=request.user, client=client, detail={"page": "edit"})
        initial = {f: getattr(client, f) for f in services.CLIENT_FIELDS} | {"version": client.version}
        form = ClientEditForm(initial=initial, editing=client)
    return render(
        request, "clients/edit.html", {"form": form, "client": client}, status=422 if form.errors else 200
    )
