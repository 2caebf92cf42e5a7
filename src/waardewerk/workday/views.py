from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waardewerk.audit.services import audit_reads
from waardewerk.workday import policies, selectors, services
from waardewerk.workday.forms import SignalForm
from waardewerk.workday.selectors import OPEN_COUNT


@require_GET
def today(request):
    """The start page: what needs the professional now."""
    if not policies.may_use_start_page(request.user):
        raise PermissionDenied
    day = timezone.localdate()
    context = selectors.start_page(request.user, day)
    # Every client whose name and signal the page shows: one read each (written together after the page,
    # in one bulk INSERT).
    clients = set(context["clients"])
    clients |= {a.trajectory.client.uuid for a in context["appointments"]["today"] if a.trajectory_id}
    audit_reads(
        actor=request.user,
        reads=((client, None) for client in sorted(clients, key=str)),
        object_type="workday.start_page",
    )
    context["today"] = day
    if request.session.get(OPEN_COUNT) != context["open_count"]:
        request.session[OPEN_COUNT] = context["open_count"]
    return render(request, "workday/today.html", context)


def _mark(request, service, done: str):
    if not policies.can_handle_signal(request.user):
        raise PermissionDenied
    form = SignalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This signal could not be found. The page shows what is open now."))
        return redirect("workday:today")
    try:
        service(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("workday:today")


@require_POST
def handle(request):
    return _mark(request, services.signal_handle, _("Marked as handled. You can undo it below the signals."))


@require_POST
def reopen(request):
    return _mark(request, services.signal_reopen, _("The signal is open again."))
