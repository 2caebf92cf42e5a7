from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.accounts.policies import led_teams
from waardewerk.audit.services import audit_read, audit_record
from waardewerk.core.access import get_for_actor
from waardewerk.core.confirm import confirmation_page, confirmed
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.formats import day
from waardewerk.core.forms import call_service, posted, valid_filters
from waardewerk.core.links import url_with_uuid
from waardewerk.core.pagination import page_with_total
from waardewerk.trajectories import policies, selectors, services
from waardewerk.trajectories.forms import (
    AssignmentForm,
    CaseloadFilterForm,
    CloseForm,
    EmergencyAccessForm,
    TeamFilterForm,
    TrajectoryStartForm,
    TransferForm,
)
from waardewerk.trajectories.models import ActionStatus, Context, EndReason, Phase


@require_GET
def caseload(request):
    if not policies.may_have_caseload(request.user):
        raise PermissionDenied
    form = CaseloadFilterForm(request.GET or None)
    filters = valid_filters(form)
    trajectories = selectors.caseload(
        actor=request.user,
        query=filters.get("q", ""),
        phase=filters.get("phase", ""),
        context=filters.get("context", ""),
        sort=filters.get("sort") or "name",
        measurement_overdue=filters.get("measurement") == "overdue",
    )
    page = page_with_total(trajectories, settings.WAARDEWERK_PAGE_SIZE, request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="search",
        object_type="caseload",
        detail={k: str(v) for k, v in filters.items() if v} | {"page": page.number},
    )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": caseload_rows(page.object_list, timezone.localdate()),
        "query_string": query_string.urlencode(),
        "filtered": any(filters.get(k) for k in ("q", "phase", "context", "measurement")),
        "today": timezone.localdate(),
    }
    template = "trajectories/caseload.html#results" if request.htmx else "trajectories/caseload.html"
    return render(request, template, context)


def caseload_rows(trajectories, today) -> list[dict]:
    """The caseload's rows with every value as the table shows it: labels, dates and links made here
    once, so the template only places strings (docs/performance.md, "Where the time of a page goes")."""
    dossier = url_with_uuid("clients:dossier")
    phases = {value: str(label) for value, label in Phase.choices}
    contexts = {value: str(label) for value, label in Context.choices}
    rows = []
    for t in trajectories:
        rows.append(
            {
                "name": t.client.sort_name,
                "dossier_url": dossier(t.client.uuid),
                "assignment": t.my_assignment or "",
                "context": contexts.get(t.context, t.context),
                "phase": t.phase,
                "phase_label": phases.get(t.phase, t.phase),
                "last_contact": _day_cell(t.last_contact, "j M Y"),
                "next_action": t.next_action or "",
                "next_action_due": _day_cell(t.next_action_due, "j M"),
                "action_overdue": bool(t.next_action and t.next_action_due and t.next_action_due < today),
                "measurement_due": _day_cell(t.measurement_due_on, "j M Y"),
                "measurement_overdue": bool(t.measurement_due_on and t.measurement_due_on < today),
            }
        )
    return rows


def _day_cell(value, fmt) -> dict | None:
    return {"iso": value.isoformat(), "text": day(value, fmt)} if value else None


def _trajectory(request, trajectory_id):
    trajectory = selectors.readable_trajectory(
        request.user,
        trajectory_id,
        policies.visible_trajectories(request.user).select_related("client", "responsible"),
    )
    services.dossier_read_record(actor=request.user, trajectory=trajectory)
    return trajectory


def _trajectory_url(trajectory) -> str:
    return url_with_uuid("trajectories:detail")(trajectory.uuid)


def _back(trajectory):
    return (
        redirect("clients:dossier", client_id=trajectory.client.uuid)
        if trajectory.is_open
        else redirect("trajectories:detail", trajectory_id=trajectory.uuid)
    )


@require_http_methods(["GET", "POST"])
def start(request, client_id):
    client = selectors.readable_client(request.user, client_id)
    if not client.editable:  # policies.can_start_trajectory, annotated by the same query
        raise PermissionDeniedError(_("You can read this dossier but not start a trajectory in it."))
    services.client_read_record(actor=request.user, client=client, detail={"page": "start"})
    professionals = policies.assignable_professionals(request.user)
    form = TrajectoryStartForm(
        posted(request), professionals=professionals, initial={"responsible": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form, lambda: services.trajectory_start(actor=request.user, client=client, **form.cleaned_data)
        )
        if outcome.saved:
            trajectory = outcome.result
            messages.success(request, _("The trajectory has started in the intake phase."))
            if trajectory.responsible_id == request.user.pk:
                return redirect("clients:dossier", client_id=client.uuid)
            messages.info(
                request, _("%(name)s is responsible for it now.") % {"name": trajectory.responsible}
            )
            return redirect("trajectories:caseload")
    return render(
        request,
        "trajectories/start.html",
        {"form": form, "client": client},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def close(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id)
    if not policies.can_change_trajectory(request.user, trajectory):
        raise PermissionDeniedError(policies.refusal_to_change(trajectory))
    form = CloseForm(
        posted(request), initial={"version": trajectory.version, "end_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        if not confirmed(request):
            return _confirm_close(request, trajectory, form.cleaned_data)
        outcome = call_service(
            form,
            lambda: services.trajectory_close(actor=request.user, trajectory=trajectory, **form.cleaned_data),
            conflict_on_form=True,
        )
        if outcome.saved:
            messages.success(request, _("The trajectory is closed."))
            return redirect("clients:dossier", client_id=trajectory.client.uuid)
    return render(
        request,
        "trajectories/close.html",
        {"form": form, "trajectory": trajectory},
        status=422 if form.errors else 200,
    )


def _confirm_close(request, trajectory, data):
    open_actions = trajectory.actions.filter(status=ActionStatus.OPEN).count()
    consequences = [
        _("The trajectory of %(name)s is closed on %(date)s (%(reason)s).")
        % {
            "name": trajectory.client.full_name,
            "date": day(data["end_date"], "j F Y"),
            "reason": dict(EndReason.choices).get(data["end_reason"], data["end_reason"]),
        },
        _("It stays readable in the dossier, but nobody can change it any more."),
    ]
    if open_actions:
        consequences.append(
            ngettext(
                "%(count)d open action is cancelled.", "%(count)d open actions are cancelled.", open_actions
            )
            % {"count": open_actions}
        )
    return confirmation_page(
        request,
        title=_("Close the trajectory of %(name)s?") % {"name": trajectory.client.full_name},
        consequences=consequences,
        confirm_label=_("Yes, close the trajectory"),
        cancel_url=url_with_uuid("clients:dossier")(trajectory.client.uuid),
    )


@require_POST
def action_status(request, action_id):
    action = get_for_actor(
        policies.visible_actions(request.user).select_related("trajectory__client"), action_id
    )
    if request.POST.get("status") == ActionStatus.CANCELLED and not confirmed(request):
        if not policies.can_change_trajectory(request.user, action.trajectory):
            raise PermissionDeniedError(policies.refusal_to_change(action.trajectory))
        services.dossier_read_record(actor=request.user, trajectory=action.trajectory)
        return confirmation_page(
            request,
            title=_("Cancel this action?"),
            consequences=[
                _("The action “%(action)s” is cancelled. It no longer shows as open, for you or the client.")
                % {"action": action.description},
                _("The cancellation is kept in the timeline."),
            ],
            confirm_label=_("Yes, cancel the action"),
            cancel_url=_trajectory_url(action.trajectory),
        )
    try:
        services.action_set_status(actor=request.user, action=action, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The action is updated."))
    return _back(action.trajectory)


# Staffing (responsible professional, co-professionals, substitutes) and the team overview -------------


def _staffing_trajectory(request, trajectory_id):
    trajectory = get_for_actor(
        selectors.staffing_queryset(request.user),
        trajectory_id,
        known=lambda: policies.known_trajectories(request.user),
        refusal=policies.refusal_to_manage_staffing,
    )
    audit_read(actor=request.user, client=trajectory.client, obj=trajectory, detail={"page": "staffing"})
    return trajectory


@require_GET
def staffing(request, trajectory_id):
    return _staffing_page(request, trajectory_id)


def _staffing_page(request, trajectory_id, assignment_form=None, transfer_form=None, status=200):
    trajectory = _staffing_trajectory(request, trajectory_id)
    professionals = policies.staffing_candidates(request.user)
    today = timezone.localdate()
    assignments = list(trajectory.assignments.all())
    context = {
        "trajectory": trajectory,
        "current": [
            a for a in assignments if a.is_active_on(today) or (a.starts_on > today and not a.revoked_at)
        ],
        "past": [a for a in assignments if a.revoked_at or (a.ends_on is not None and a.ends_on < today)],
        "assignment_form": assignment_form or AssignmentForm(professionals=professionals),
        "transfer_form": transfer_form
        or TransferForm(professionals=professionals, initial={"version": trajectory.version}),
        "can_view": trajectory.readable,
        "can_open_emergency_access": trajectory.emergency_possible,
    }
    return render(request, "trajectories/staffing.html", context, status=status)


@require_POST
def assign(request, trajectory_id):
    trajectory = _staffing_trajectory(request, trajectory_id)
    form = AssignmentForm(
        request.POST, professionals=policies.staffing_candidates(request.user), actor=request.user
    )
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.assignment_add(actor=request.user, trajectory=trajectory, **form.cleaned_data),
        )
        if outcome.saved:
            messages.success(request, _("The colleague is added to the trajectory."))
            return redirect("trajectories:staffing", trajectory_id=trajectory.uuid)
    return _staffing_page(request, trajectory_id, assignment_form=form, status=422)


@require_POST
def end_assignment(request, assignment_id):
    assignment = get_for_actor(
        policies.manageable_assignments(request.user).select_related("trajectory__client", "user"),
        assignment_id,
    )
    services.assignment_end(actor=request.user, assignment=assignment)
    messages.success(request, _("The assignment of %(name)s has ended.") % {"name": assignment.user})
    return redirect("trajectories:staffing", trajectory_id=assignment.trajectory.uuid)


@require_POST
def transfer(request, trajectory_id):
    trajectory = _staffing_trajectory(request, trajectory_id)
    form = TransferForm(
        request.POST, professionals=policies.staffing_candidates(request.user), actor=request.user
    )
    if form.is_valid():
        if not confirmed(request):
            return confirmation_page(
                request,
                title=_("Hand the trajectory of %(name)s over?") % {"name": trajectory.client.full_name},
                consequences=[
                    _("%(new)s becomes responsible for the trajectory, instead of %(old)s.")
                    % {"new": form.cleaned_data["responsible"], "old": trajectory.responsible},
                    _("The handover and its reason are kept in the timeline."),
                ],
                confirm_label=_("Yes, hand the trajectory over"),
                cancel_url=url_with_uuid("trajectories:staffing")(trajectory.uuid),
            )
        outcome = call_service(
            form,
            lambda: services.trajectory_transfer(
                actor=request.user, trajectory=trajectory, **form.cleaned_data
            ),
            conflict_on_form=True,
        )
        if outcome.saved:
            messages.success(
                request,
                _("%(name)s is now responsible for the trajectory.") % {"name": trajectory.responsible},
            )
            if policies.can_manage_staffing(request.user, trajectory):
                return redirect("trajectories:staffing", trajectory_id=trajectory.uuid)
            return redirect("trajectories:caseload")
    return _staffing_page(request, trajectory_id, transfer_form=form, status=422)


@require_GET
def team(request):
    if not policies.may_see_team_overview(request.user):
        raise PermissionDenied
    form = TeamFilterForm(request.GET or None)
    filters = valid_filters(form)
    overview = selectors.team_overview(
        actor=request.user,
        phase=filters.get("phase", ""),
        context=filters.get("context", ""),
        attention=filters.get("attention", ""),
    )
    page = Paginator(overview.pop("rows"), settings.WAARDEWERK_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="search",
        object_type="team_overview",
        detail={k: str(v) for k, v in filters.items() if v} | {"page": page.number},
    )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = overview | {
        "form": form,
        "page": page,
        "query_string": query_string.urlencode(),
        "teams": led_teams(request.user).order_by("name"),
    }
    return render(request, "trajectories/team.html", context)


# Emergency access ("break the glass") -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def emergency_access(request, trajectory_id):
    """A team lead states why they need a dossier of their team now, and reads it for a few hours."""
    trajectory = get_for_actor(
        policies.emergency_access_candidates(request.user).select_related("client", "responsible", "team"),
        trajectory_id,
        known=lambda: policies.known_trajectories(request.user),
        refusal=lambda known: policies.refusal_to_open_emergency_access(request.user, known),
    )
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.emergency_access_open(
                actor=request.user, trajectory=trajectory, reason=form.cleaned_data["reason"]
            ),
        )
        if outcome.saved:
            access = outcome.result
            messages.warning(
                request,
                _(
                    "You have emergency access to this dossier until %(until)s, to read only. Everything you "
                    "open is logged and shown to the responsible professional, the client and the functional "
                    "administrator."
                )
                % {"until": date_format(timezone.localtime(access.ends_at), "j F Y H:i")},
            )
            return redirect("trajectories:detail", trajectory_id=trajectory.uuid)
    audit_read(
        actor=request.user, client=trajectory.client, obj=trajectory, detail={"page": "emergency access"}
    )
    return render(
        request,
        "trajectories/emergency_access.html",
        {"trajectory": trajectory, "form": form, "hours": settings.WAARDEWERK_EMERGENCY_ACCESS_HOURS},
        status=422 if form.errors else 200,
    )
