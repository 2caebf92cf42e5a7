from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waardewerk.audit.services import audit_read
from waardewerk.clients import policies, selectors, services
from waardewerk.clients.forms import ClientEditForm, ClientForm
from waardewerk.core.access import get_for_actor
from waardewerk.core.forms import posted


@require_http_methods(["GET", "POST"])
def register(request):
    if not policies.can_register_client(request.user):
        raise PermissionDenied
    form = ClientForm(posted(request))
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


@require_http_methods(["GET", "POST"])
def edit(request, client_id):
    client = get_for_actor(selectors.dossier_queryset(request.user), client_id)
    audit_read(actor=request.user, client=client, obj=client, detail={"page": "edit"})
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
        initial = {f: getattr(client, f) for f in services.CLIENT_FIELDS} | {"version": client.version}
        form = ClientEditForm(initial=initial, editing=client)
    return render(
        request, "clients/edit.html", {"form": form, "client": client}, status=422 if form.errors else 200
    )
