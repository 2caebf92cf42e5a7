"""Intervision pages: methods (all staff), groups (members; the functional administrator manages them),
sessions, experiments and reflections (members). Views parse input and call one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.audit.services import audit_read, audit_record
from waardewerk.core.access import require
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service, posted
from waardewerk.intervision import focus, policies, selectors, services
from waardewerk.intervision.forms import (
    AttendanceForm,
    ConfirmForm,
    ExperimentForm,
    GroupForm,
    PresentationForm,
    RecordForm,
    ReflectionForm,
    ReviewForm,
    ReviewStartForm,
    SessionForm,
)
from waardewerk.intervision.method import Method
from waardewerk.intervision.models import PresentationStatus
from waardewerk.intervision.presentation import PARTS, fingerprint
from waardewerk.intervision.review import OUTCOMES, checkpoints_of

# Methods --------------------------------------------------------------------------------------------------


@require_GET
def methods(request):
    require(policies.can_read_methods(request.user))
    return render(
        request,
        "intervision/methods.html",
        {
            "methods": selectors.methods(request.user),
            "uses_intervision": policies.may_use_intervision(request.user),
        },
    )


# Groups ---------------------------------------------------------------------------------------------------


@require_GET
def groups(request):
    require(policies.may_use_intervision(request.user))
    manager = policies.can_manage_groups(request.user)
    found = selectors.managed_groups(request.user) if manager else selectors.my_groups(request.user)
    return render(request, "intervision/groups.html", {"groups": list(found), "manager": manager})


def _group_form(request, group=None):
    if group is not None and not policies.group_in_organisation(request.user, group):
        # Another organisation's group (or none): the same 404 as for a group that does not exist.
        raise Http404
    require(policies.can_manage_groups(request.user))
    if group is not None:
        group = selectors.group_for_manager(request.user, group)
    initial = (
        {"name": group.name, "schedule": group.schedule, "members": list(group.members.all())}
        if group
        else None
    )
    form = GroupForm(posted(request), initial=initial, eligible=policies.eligible_members(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
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

        try:
            outcome = call_service(form, save)
        except PermissionDeniedError:
            raise PermissionDenied from None
        if outcome.saved:
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
    presentations = selectors.group_presentations(request.user, group)
    _log_group_reads(request, presentations)
    return render(
        request,
        "intervision/group.html",
        {"group": group, "sessions": selectors.group_sessions(group), "presentations": presentations},
    )


# Sessions -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def session_new(request, group_id):
    group = selectors.group_for_member(request.user, group_id)
    form = SessionForm(
        posted(request),
        initial={"facilitator": request.user},
        members=group.members.order_by("last_name", "first_name"),
        methods=selectors.methods(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = call_service(
                form,
                lambda: services.session_create(
                    actor=request.user,
                    group=group,
                    date=data["date"],
                    method_key=data["method"],
                    facilitator=data["facilitator"],
                    case_owner=data["case_owner"],
                ),
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        if outcome.saved:
            session = outcome.result
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
    presentation = session.presentation
    case_readable = presentation is not None and policies.is_readable_by_group(presentation)
    if case_readable:
        presentation.group = session.group
        audit_read(
            actor=request.user,
            client=presentation.trajectory.client,
            obj=presentation,
            detail={"group": session.group.name, "as_group": presentation.owner_id != request.user.pk},
        )
    return render(
        request,
        "intervision/session.html",
        {
            "session": session,
            "case_readable": case_readable,
            "method": method,
            "phases": [(phase, notes.get(phase.key, "")) for phase in method.phases],
            "agreed": experiments["agreed"],
            "returning": experiments["returning"],
            "shown": shown,
            "attendance": selectors.session_attendance(session),
            # The session was found among the actor's groups' sessions: the facilitator is a member.
            "may_record_attendance": session.facilitator_id == request.user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def session_attendance(request, session_id):
    session = selectors.session_for_member(request.user, session_id)
    if not policies.can_record_attendance(request.user, session):
        raise PermissionDenied(_("The facilitator of the session records who attended."))
    rows = selectors.session_attendance(session)
    form = AttendanceForm(posted(request), rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = call_service(
                form,
                lambda: services.attendance_record(
                    actor=request.user, session=session, statuses=form.statuses()
                ),
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        if outcome.saved:
            messages.success(request, _("The attendance is saved."))
            return redirect("intervision:session", session_id=session.uuid)
    return render(
        request,
        "intervision/attendance_form.html",
        {"session": session, "form": form},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def session_record(request, session_id):
    session = selectors.session_for_member(request.user, session_id)
    method = Method.from_definition(session.method_version.definition)
    notes = session.notes
    initial = {
        "base_version": session.version,
        "case_owner": session.case_owner,
        "presentation": session.presentation if session.presentation_id else None,
        "core_question": session.core_question,
        "choice": session.choice,
        "focus": focus.value_of(session),
        "focus_note": session.focus_note,
    } | {f"notes_{phase.key}": notes.get(phase.key, "") for phase in method.phases}
    focus_choices = focus.choices(focus.options())
    if session.focus_kind and initial["focus"] not in {v for v, _l in _flat(focus_choices)}:
        # Chosen from an earlier guide or instrument version: it stays a choice, with its title.
        focus_choices.insert(1, (initial["focus"], session.focus_label))
    form = RecordForm(
        posted(request),
        initial=initial,
        members=session.group.members.order_by("last_name", "first_name"),
        phases=method.phases,
        presentations=selectors.session_presentations(session.group),
        focus_choices=focus_choices,
    )
    # The choice of case presentations shows their (pseudonymised) titles: a read of their clients' data.
    offered = form.fields["presentation"].queryset.select_related("group", "trajectory__client")
    _log_group_reads(request, offered)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = call_service(
            form,
            lambda: services.session_record(
                actor=request.user,
                session=session,
                base_version=data["base_version"],
                core_question=data["core_question"],
                notes=form.notes(),
                choice=data["choice"],
                case_owner=data["case_owner"],
                presentation=data["presentation"],
                focus=data["focus"],
                focus_note=data["focus_note"],
            ),
        )
        if outcome.saved:
            messages.success(request, _("The session record is saved."))
            return redirect("intervision:session", session_id=session.uuid)
        conflict = outcome.conflict
    return render(
        request,
        "intervision/record_form.html",
        {"form": form, "session": session, "method": method, "conflict": conflict},
        status=422 if (form.errors or conflict) else 200,
    )


def _flat(choices) -> list[tuple[str, str]]:
    out = []
    for value, label in choices:
        out.extend(label if isinstance(label, list | tuple) else [(value, label)])
    return out


# Experiments and reflections ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def experiment_add(request, session_id):
    session = selectors.session_for_member(request.user, session_id)
    form = ExperimentForm(posted(request), trajectories=services.experiment_trajectories(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = call_service(
                form,
                lambda: services.experiment_add(
                    actor=request.user,
                    session=session,
                    description=data["description"],
                    until=data["until"],
                    trajectory=data["trajectory"],
                ),
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        if outcome.saved:
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
    require(policies.can_reflect(request.user, experiment))
    if experiment.session.group_id != session.group_id:
        raise Http404
    linkable = bool(
        experiment.trajectory_id
        and selectors.visible_trajectory_ids(request.user, [experiment.trajectory_id])
    )
    initial = {
        "what_happened": experiment.what_happened,
        "learned": experiment.learned,
        "link_to_evaluation": experiment.evaluation_linked_at is not None,
    }
    form = ReflectionForm(posted(request), initial=initial, can_link=linkable)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = call_service(
                form,
                lambda: services.experiment_reflect(
                    actor=request.user,
                    experiment=experiment,
                    session=session,
                    what_happened=form.cleaned_data["what_happened"],
                    learned=form.cleaned_data["learned"],
                    link_to_evaluation=form.cleaned_data.get("link_to_evaluation", False),
                ),
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        if outcome.saved:
            messages.success(request, _("Your reflection is saved."))
            return redirect("intervision:session", session_id=session.uuid)
    shown = _shown_trajectories(request, [experiment])
    return render(
        request,
        "intervision/reflection_form.html",
        {"form": form, "session": session, "experiment": experiment, "shown": shown},
        status=422 if form.errors else 200,
    )


# Case presentations ---------------------------------------------------------------------------------------


def _log_group_reads(request, presentations) -> None:
    """Each shown presentation is a read of its client's data (pseudonymised data is personal data). A read
    by a member other than the owner is shown to the client as the group (portal, "who looked at my
    file"); the owner's own read as theirs."""
    for presentation in presentations:
        as_group = presentation.owner_id != request.user.pk
        audit_read(
            actor=request.user,
            client=presentation.trajectory.client,
            obj=presentation,
            detail={"group": presentation.group.name, "as_group": as_group},
        )


@require_http_methods(["GET", "POST"])
def presentation_new(request, group_id):
    group = selectors.group_for_member(request.user, group_id)
    trajectories = policies.presentable_trajectories(request.user).select_related("client")
    form = PresentationForm(posted(request), trajectories=trajectories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = call_service(
                form,
                lambda: services.presentation_create(
                    actor=request.user,
                    group=group,
                    trajectory=data["trajectory"],
                    title=data["title"],
                    parts=data["parts"],
                    sector=data["sector"],
                    extra_terms=data["extra_terms"],
                ),
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        if outcome.saved:
            presentation = outcome.result
            messages.success(request, _("Check what the group will see, then share it."))
            return redirect("intervision:presentation", presentation_id=presentation.uuid)
    # The choice of trajectories names the member's own clients, as the caseload does: logged the same way.
    audit_record(actor=request.user, action="search", object_type="intervision.presentable_trajectories")
    return render(
        request,
        "intervision/presentation_form.html",
        {"form": form, "group": group, "presentation": None},
        status=422 if form.errors else 200,
    )


def _presentation_page(request, presentation, *, confirm_form=None, conflict="", status=200):
    owner = presentation.owner_id == request.user.pk
    draft = presentation.status == PresentationStatus.DRAFT
    if owner and draft:
        readable = policies.may_preview_presentation(request.user, presentation)
        content = services.presentation_preview(presentation) if readable else {}
    else:
        content = presentation.content
    if owner and draft and content:
        confirm_form = confirm_form or ConfirmForm(initial={"seen": fingerprint(content)})
        confirm_form.initial["seen"] = fingerprint(content)
        confirm_form.data = {}
        confirm_form.is_bound = False
    _log_group_reads(request, [presentation])
    return render(
        request,
        "intervision/presentation.html",
        {
            "presentation": presentation,
            "content": content,
            "owner": owner,
            "draft": draft,
            "confirm_form": confirm_form,
            "conflict": conflict,
            "readable": policies.is_readable_by_group(presentation),
            "can_review": policies.can_review_presentation(request.user, presentation),
            "can_withdraw": policies.can_withdraw_presentation(request.user, presentation),
            "reviews": selectors.presentation_reviews(request.user, presentation),
            "parts": PARTS,
        },
        status=status,
    )


@require_GET
def presentation_detail(request, presentation_id):
    presentation = selectors.presentation_for_actor(request.user, presentation_id)
    return _presentation_page(request, presentation)


@require_http_methods(["GET", "POST"])
def presentation_edit(request, presentation_id):
    presentation = selectors.presentation_for_actor(request.user, presentation_id)
    require(policies.can_edit_presentation(request.user, presentation))
    initial = {
        "base_version": presentation.version,
        "title": presentation.title,
        "parts": presentation.parts,
        "sector": presentation.sector,
        "extra_terms": presentation.extra_terms,
    }
    form = PresentationForm(posted(request), initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = call_service(
            form,
            lambda: services.presentation_update(
                actor=request.user,
                presentation=presentation,
                base_version=data["base_version"],
                title=data["title"],
                parts=data["parts"],
                sector=data["sector"],
                extra_terms=data["extra_terms"],
            ),
        )
        if outcome.saved:
            messages.success(request, _("The draft is saved. Check what the group will see."))
            return redirect("intervision:presentation", presentation_id=presentation.uuid)
        conflict = outcome.conflict
    audit_read(actor=request.user, client=presentation.trajectory.client, obj=presentation)
    return render(
        request,
        "intervision/presentation_form.html",
        {"form": form, "group": presentation.group, "presentation": presentation, "conflict": conflict},
        status=422 if (form.errors or conflict) else 200,
    )


@require_POST
def presentation_confirm(request, presentation_id):
    presentation = selectors.presentation_for_actor(request.user, presentation_id)
    require(policies.can_edit_presentation(request.user, presentation))
    form = ConfirmForm(request.POST)
    conflict = ""
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.presentation_confirm(
                actor=request.user, presentation=presentation, seen=form.cleaned_data["seen"]
            ),
        )
        if outcome.saved:
            messages.success(request, _("The presentation is shared with the group."))
            return redirect("intervision:presentation", presentation_id=presentation.uuid)
        conflict = outcome.conflict
    else:
        conflict = _("Look at the presentation again before you share it.")
    return _presentation_page(request, presentation, confirm_form=form, conflict=conflict, status=422)


@require_POST
def presentation_withdraw(request, presentation_id):
    presentation = selectors.presentation_for_actor(request.user, presentation_id)
    try:
        services.presentation_withdraw(actor=request.user, presentation=presentation)
    except PermissionDeniedError:
        raise PermissionDenied from None
    messages.success(request, _("The presentation is withdrawn: the group no longer sees it."))
    return redirect("intervision:group", group_id=presentation.group.uuid)


# Case reviews ---------------------------------------------------------------------------------------------


@require_POST
def presentation_review(request, presentation_id):
    """A member starts a review of a colleague's shared presentation."""
    presentation = selectors.presentation_for_actor(request.user, presentation_id)
    try:
        review = services.review_start(actor=request.user, presentation=presentation)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("intervision:presentation", presentation_id=presentation.uuid)
    return redirect("intervision:review", review_id=review.uuid)


def _review_read(request, review) -> dict:
    """A read of a review by anyone but the responsible professional is a group member's (a peer, or a
    member it was shared with): shown to the client as the group."""
    return {
        "group": services.review_group_name(review),
        "as_group": request.user.pk != review.trajectory.responsible_id,
    }


@require_GET
def reviews(request):
    require(policies.may_join_groups(request.user))
    found = selectors.my_reviews(request.user)
    for review in found:
        audit_read(
            actor=request.user,
            client=review.trajectory.client,
            obj=review,
            detail=_review_read(request, review),
        )
    return render(request, "intervision/reviews.html", {"reviews": found})


@require_http_methods(["GET", "POST"])
def review_new(request):
    """A review of one of the actor's own trajectories."""
    require(policies.may_join_groups(request.user))
    trajectories = policies.reviewable_trajectories(request.user).select_related("client")
    form = ReviewStartForm(posted(request), trajectories=trajectories)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = call_service(
                form,
                lambda: services.review_start(actor=request.user, trajectory=form.cleaned_data["trajectory"]),
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        if outcome.saved:
            review = outcome.result
            return redirect("intervision:review", review_id=review.uuid)
    audit_record(actor=request.user, action="search", object_type="intervision.reviewable_trajectories")
    return render(request, "intervision/review_new.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def review_detail(request, review_id):
    review = selectors.review_for_actor(request.user, review_id)
    can_edit = policies.can_edit_review(request.user, review)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only the reviewer changes a review."))
    checks = checkpoints_of(review.checkpoints.definition, active_only=True)
    results = {r["key"]: r for r in review.result_list}
    form = None
    conflict = ""
    if can_edit:
        initial = {"base_version": review.version, "share_with": review.group}
        for checkpoint in checks:
            result = results.get(checkpoint.key, {})
            initial[f"verdict_{checkpoint.key}"] = result.get("verdict", result.get("outcome"))
            initial[f"words_{checkpoint.key}"] = result.get("words", "")
        form = ReviewForm(
            posted(request),
            initial=initial,
            checkpoints=checks,
            groups=policies.shareable_groups(request.user, review),
        )
        if request.method == "POST" and form.is_valid():
            outcome = call_service(
                form,
                lambda: services.review_save(
                    actor=request.user,
                    review=review,
                    base_version=form.cleaned_data["base_version"],
                    verdicts=form.verdicts(),
                    words=form.words(),
                    share_with=form.cleaned_data["share_with"],
                ),
            )
            if outcome.saved:
                messages.success(request, _("The review is saved."))
                return redirect("intervision:review", review_id=review.uuid)
            conflict = outcome.conflict
    audit_read(
        actor=request.user, client=review.trajectory.client, obj=review, detail=_review_read(request, review)
    )
    links = policies.may_see_review_evidence_links(request.user, review)
    rows = []
    for checkpoint in checks:
        result = results.get(checkpoint.key, {})
        fields = (
            next(((v, w) for c, v, w in form.checkpoint_fields if c.key == checkpoint.key), None)
            if form
            else None
        )
        rows.append(
            {
                "checkpoint": checkpoint,
                "result": result,
                "outcome_label": OUTCOMES.get(result.get("outcome"), ""),
                "verdict_label": OUTCOMES.get(result.get("verdict"), ""),
                "verdict_field": form[fields[0]] if fields else None,
                "words_field": form[fields[1]] if fields else None,
                "evidence": [
                    dict(e, url=_evidence_url(review, e) if links else "") for e in result.get("evidence", [])
                ],
            }
        )
    return render(
        request,
        "intervision/review.html",
        {
            "review": review,
            "rows": rows,
            "form": form,
            "conflict": conflict,
            "links": links,
            # The reviewer and the professional of the trajectory may make a learning goal of a checkpoint
            # that needs attention (docs/development.md).
            "goal_from_review": policies.may_learn_from_review(request.user, review),
        },
        status=422 if (form is not None and (form.errors or conflict)) else 200,
    )


def _evidence_url(review, evidence: dict) -> str:
    """Where the owner finds the evidence in the dossier (the trajectory's pages)."""
    trajectory = review.trajectory.uuid
    kind = evidence.get("kind")
    if kind == "measurement" and evidence.get("uuid"):
        return reverse("instruments:measurement", args=[evidence["uuid"]])
    if kind in ("goal", "choice", "plan"):
        return reverse("trajectories:plan", args=[trajectory])
    if kind == "evaluation":
        return reverse("trajectories:evaluation", args=[trajectory])
    return reverse("trajectories:detail", args=[trajectory])
