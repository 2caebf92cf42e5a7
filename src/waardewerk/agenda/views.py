import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.agenda import calendar, policies, selectors, services
from waardewerk.agenda.forms import AppointmentForm, DayForm, MoveForm
from waardewerk.agenda.models import AppointmentKind, CalendarFeed
from waardewerk.audit.services import audit_read, audit_record
from waardewerk.core.forms import call_service, posted
from waardewerk.trajectories.models import ConversationMode


def _require_agenda(request):
    if not policies.may_use_agenda(request.user):
        raise PermissionDenied


def _day(request) -> tuple[dt.date, DayForm]:
    form = DayForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("day"):
        return form.cleaned_data["day"], form
    return timezone.localdate(), form


def _log_clients(request, appointments) -> None:
    """One read per client whose appointment the page shows (written together after the page)."""
    seen = set()
    for appointment in appointments:
        if appointment.trajectory_id and appointment.trajectory.client.uuid not in seen:
            seen.add(appointment.trajectory.client.uuid)
            audit_read(
                actor=request.user, client=appointment.trajectory.client, object_type="agenda.appointment"
            )


def _days(first: dt.date, last: dt.date, appointments) -> list[dict]:
    by_day: dict[dt.date, list] = {}
    for appointment in appointments:
        by_day.setdefault(timezone.localtime(appointment.starts_at).date(), []).append(appointment)
    days, day = [], first
    while day <= last:
        days.append({"day": day, "appointments": by_day.get(day, [])})
        day += dt.timedelta(days=1)
    return days


@require_GET
def day_view(request):
    _require_agenda(request)
    day, form = _day(request)
    appointments = list(selectors.between(request.user, day, day))
    _log_clients(request, appointments)
    context = {
        "view": "day",
        "form": form,
        "day": day,
        "days": _days(day, day, appointments),
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
        "today": timezone.localdate(),
    }
    return render(request, "agenda/agenda.html", context)


@require_GET
def week_view(request):
    _require_agenda(request)
    day, form = _day(request)
    first, last = selectors.week_of(day)
    appointments = list(selectors.between(request.user, first, last))
    _log_clients(request, appointments)
    context = {
        "view": "week",
        "form": form,
        "day": day,
        "first": first,
        "last": last,
        "days": _days(first, last, appointments),
        "previous": first - dt.timedelta(days=7),
        "next": first + dt.timedelta(days=7),
        "today": timezone.localdate(),
    }
    return render(request, "agenda/agenda.html", context)


def _back_to_day(appointment):
    day = timezone.localtime(appointment.starts_at).date()
    return redirect(f"{reverse('agenda:day')}?day={day.isoformat()}")


def _overlapping(outcome) -> list:
    """The appointments an overlap warning names; none for any other refusal."""
    error = outcome.error
    return error.conflicts if isinstance(error, services.OverlapWarning) else []


@require_http_methods(["GET", "POST"])
def new(request):
    _require_agenda(request)
    trajectories = (
        policies.plannable_trajectories(request.user)
        .select_related("client")
        .order_by("client__last_name", "client__first_name", "id")
    )
    initial = {"kind": request.GET.get("kind", AppointmentKind.CONVERSATION), "duration": 45}
    if request.GET.get("trajectory"):
        initial["trajectory"] = request.GET["trajectory"]
    if request.GET.get("day"):
        initial["date"] = request.GET["day"]
    form = AppointmentForm(posted(request), initial=initial, trajectories=trajectories)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form, lambda: services.appointment_create(actor=request.user, **form.service_kwargs())
        )
        if outcome.saved:
            messages.success(request, _("The appointment is in your agenda."))
            return _back_to_day(outcome.result)
        conflicts = _overlapping(outcome)
    _log_clients(request, conflicts)
    # The client choice lists the open caseload by name, as the caseload does: logged the same way.
    audit_record(actor=request.user, action="search", object_type="agenda.trajectory_choice")
    return render(
        request,
        "agenda/new.html",
        {"form": form, "conflicts": conflicts},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def detail(request, appointment_id):
    appointment = selectors.readable_appointment(request.user, appointment_id)
    if appointment.trajectory_id:
        audit_read(actor=request.user, client=appointment.trajectory.client, obj=appointment)
    local = timezone.localtime(appointment.starts_at)
    form = MoveForm(
        posted(request),
        initial={
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration": appointment.duration,
            "version": appointment.version,
        },
    )
    conflicts = []
    if request.method == "POST":
        if not policies.can_change_appointment(request.user, appointment):
            raise PermissionDenied(_("A cancelled appointment cannot be moved."))
        if form.is_valid():
            outcome = call_service(
                form,
                lambda: services.appointment_move(
                    actor=request.user, appointment=appointment, **form.service_kwargs()
                ),
                conflict_on_form=True,  # the form shows no current version beside it
            )
            if outcome.saved:
                messages.success(request, _("The appointment is moved."))
                return _back_to_day(appointment)
            conflicts = _overlapping(outcome)
    _log_clients(request, conflicts)
    record_url = ""
    if appointment.trajectory_id and appointment.kind == AppointmentKind.CONVERSATION:
        mode = appointment.channel if appointment.channel in ConversationMode.values else ""
        record_url = (
            reverse("trajectories:add_conversation", args=[appointment.trajectory.uuid])
            + f"?date={local.date().isoformat()}&mode={mode}"
        )
    context = {
        "appointment": appointment,
        "local": local,
        "form": form,
        "conflicts": conflicts,
        "changeable": policies.can_change_appointment(request.user, appointment),
        "record_url": record_url,
    }
    return render(request, "agenda/detail.html", context, status=422 if form.errors else 200)


@require_POST
def cancel(request, appointment_id):
    appointment = selectors.readable_appointment(request.user, appointment_id)
    services.appointment_cancel(actor=request.user, appointment=appointment)
    messages.success(request, _("The appointment is cancelled."))
    return _back_to_day(appointment)


@require_http_methods(["GET", "POST"])
def feed(request):
    """The calendar feed's page: make a (new) secret address, shown once, or stop the feed."""
    _require_agenda(request)
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            services.feed_stop(actor=request.user)
            messages.success(request, _("The calendar feed is stopped. Its address no longer works."))
            return redirect("agenda:feed")
        token = services.feed_reset(actor=request.user)
        address = request.build_absolute_uri(reverse("agenda:ics", args=[token]))
    return render(request, "agenda/feed.html", {"feed": selectors.feed_of(request.user), "address": address})


@login_not_required
@require_GET
def ics(request, token):
    """The calendar feed itself: opened by a calendar app with the secret address, without a log-in."""
    user = selectors.feed_owner(token)
    if user is None:
        raise Http404
    appointments = selectors.feed_appointments(user)
    CalendarFeed.objects.filter(user=user).update(last_used_at=timezone.now())
    audit_read(actor=user, object_type="agenda.calendarfeed", detail={"appointments": len(appointments)})
    body = calendar.feed(
        appointments, lambda a: request.build_absolute_uri(reverse("agenda:detail", args=[a.uuid]))
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
