from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waardewerk.clients import policies, services
from waardewerk.clients.forms import ClientForm
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
