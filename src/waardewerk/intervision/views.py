"""Intervision pages: methods (all staff), groups (members; the functional administrator manages them),
sessions, experiments and reflections (members). Views parse input and call one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from waardewerk.audit.services import audit_record
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.intervision import policies, selectors, services
from waardewerk.intervision.forms import ExperimentForm, GroupForm, RecordForm, ReflectionForm, SessionForm
from waardewerk.intervision.method import Method


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Methods --------------------------------------------------------------------------------------------------


@require_GET
def methods(request):
    _require(policies.can_read_methods(request.user))
    return render(request, "intervision/methods.html", {"methods": selectors.methods()})


@require_GET
def method_detail(request, key):
    _require(policies.can_read_methods(request.user))
    found = selectors.method(key)
    if found is None:
        raise Http404
    version, method = found
    return render(request, "intervision/method.html", {"version": version, "method": method})


# Groups ---------------------------------------------------------------------------------------------------


@require_GET
def groups(request):
    _require(policies.may_use_intervision(request.user))
    manager = policies.can_manage_groups(request.user)
    found = selectors.managed_groups(request.user) if manager else selectors.my_groups(request.user)
    return render(request, "intervision/groups.html", {"groups": list(found), "manager": manager})


def _group_form(request, group=None):
    if group is not None and not policies.group_in_organisation(request.user, group):
        # Another organisation's group (or none): the same 404 as for a group that does not exist.
        raise Http404
    _require(policies.can_manage_groups(request.user))
    if group is not None:
        group = selectors.group_for_manager(request.user, group)
    initial = (
        {"name": group.name, "schedule": group.schedule, "members": list(group.members.all())}
        if group
        else None
    )
    form = GroupForm(request.POST or None, initial=initial, eligible=policies.eligible_members(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if group is None:
                services.group_create(
                    actor=request.user, name=data["name"], schedule=data["schedule"], members=data["members"]
                )
            else:
                services.group_update(
                    actor=request.user,
                    group=group,
                    name=data["name"],
                    schedule=data["schedule"],
                    members=data["members"],
                )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDeniedError:
            raise PermissionDenied from None
        else:
            messages.success(request, _("The group is saved."))
            return redirect("intervision:groups")
    return render(
        request,
        "intervision/group_form.html",
        {"form": form, "group": group},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def group_new(request):
    return _group_form(request)


@require_http_methods(["GET", "POST"])
def group_edit(request, group_id):
    return _group_form(request, group_id)


@require_GET
def group_detail(request, group_id):
    group = selectors.group_for_member(request.user, group_id)
    return render(
        request,
        "intervision/group.html",
        {"group": group, "sessions": selectors.group_sessions(group)},
    )


# Sessions -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_new(request, group_id):
    group = selectors.group_for_member(request.user, group_id)
    form = SessionForm(
        request.POST or None,
        initial={"facilitator": request.user},
        members=group.members.order_by("last_name", "first_name"),
        methods=selectors.methods(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=request.user,
                group=group,
                date=data["date"],
                method_key=data["method"],
                facilitator=data["facilitator"],
                case_owner=data["case_owner"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDeniedError:
            raise PermissionDenied from None
        else:
            messages.success(request, _("The session is planned. Fill in the record as you go."))
            return redirect("intervision:session_record", session_id=session.uuid)
    return render(
        request,
        "intervision/session_form.html",
        {"form": form, "group": group},
        status=422 if form.errors else 200,
    )


def _shown_trajectories(request, experiments) -> set[int]:
    """The experiments whose trajectory is shown: to their owner only, and only while the owner may still
    see that trajectory (``trajectories.policies``); each display is logged as a read of it."""
    owned = [e for e in experiments if e.trajectory_id and e.owner_id == request.user.pk]
    visible = selectors.visible_trajectory_ids(request.user, [e.trajectory_id for e in owned])
    shown = set()
    for experiment in owned:
        if experiment.trajectory_id in visible:
            shown.add(experiment.pk)
            audit_record(
                actor=request.user,
                action="view",
                client=experiment.trajectory.client,
                obj=experiment.trajectory,
                detail={"via": "intervision.experiment"},
            )
    return shown


@require_GET
def session_detail(request, session_id):
    session = selectors.session_for_member(request.user, session_id)
    method = Method.from_definition(session.method_version.definition)
    notes = session.notes
    experiments = selectors.session_experiments(session)
    shown = _shown_trajectories(request, experiments["agreed"] + experiments["returning"])
    return render(
        request,
        "intervision/session.html",
        {
            "session": session,
            "method": method,
            "phases": [(phase, notes.get(phase.key, "")) for phase in method.phases],
            "agreed": experiments["agreed"],
            "returning": experiments["returning"],
            "shown": shown,
        },
    )


@require_http_methods(["GET", "POST"])
def session_record(request, session_id):
    session = selectors.session_for_member(request.user, session_id)
    method = Method.from_definition(session.method_version.definition)
    notes = session.notes
    initial = {
        "base_version": session.version,
        "case_owner": session.case_owner,
        "core_question": session.core_question,
        "choice": session.choice,
    } | {f"notes_{phase.key}": notes.get(phase.key, "") for phase in method.phases}
    form = RecordForm(
        request.POST or None,
        initial=initial,
        members=session.group.members.order_by("last_name", "first_name"),
        phases=method.phases,
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_record(
                actor=request.user,
                session=session,
                base_version=data["base_version"],
                core_question=data["core_question"],
                notes=form.notes(),
                choice=data["choice"],
                case_owner=data["case_owner"],
            )
        except ConcurrentEditError as exc:
            conflict = exc.messages[0]
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDeniedError:
            raise PermissionDenied from None
        else:
            messages.success(request, _("The session record is saved."))
            return redirect("intervision:session", session_id=session.uuid)
    return render(
        request,
        "intervision/record_form.html",
        {"form": form, "session": session, "method": method, "conflict": conflict},
        status=422 if (form.errors or conflict) else 200,
    )


# Experiments and reflections ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def experiment_add(request, session_id):
    session = selectors.session_for_member(request.user, session_id)
    form = ExperimentForm(request.POST or None, trajectories=services.experiment_trajectories(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.experiment_add(
                actor=request.user,
                session=session,
                description=data["description"],
                until=data["until"],
                trajectory=data["trajectory"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDeniedError:
            raise PermissionDenied from None
        else:
            messages.success(request, _("Your experiment is added."))
            return redirect("intervision:session", session_id=session.uuid)
    # The choice of trajectories names the member's own clients, as the caseload does: logged the same way.
    audit_record(actor=request.user, action="search", object_type="intervision.experiment_trajectories")
    return render(
        request,
        "intervision/experiment_form.html",
        {"form": form, "session": session},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def experiment_reflect(request, session_id, experiment_id):
    session = selectors.session_for_member(request.user, session_id)
    experiment = selectors.experiment_for_member(request.user, experiment_id)
    _require(policies.can_reflect(request.user, experiment))
    if experiment.session.group_id != session.group_id:
        raise Http404
    initial = {"what_happened": experiment.what_happened, "learned": experiment.learned}
    form = ReflectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.experiment_reflect(
                actor=request.user,
                experiment=experiment,
                session=session,
                what_happened=form.cleaned_data["what_happened"],
                learned=form.cleaned_data["learned"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDeniedError:
            raise PermissionDenied from None
        else:
            messages.success(request, _("Your reflection is saved."))
            return redirect("intervision:session", session_id=session.uuid)
    shown = _shown_trajectories(request, [experiment])
    return render(
        request,
        "intervision/reflection_form.html",
        {"form": form, "session": session, "experiment": experiment, "shown": shown},
        status=422 if form.errors else 200,
    )
