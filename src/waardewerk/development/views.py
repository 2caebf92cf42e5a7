"""Development pages: the professional's own log (activities, evidence, reflections, learning goals), the
export per register, what others shared with the actor, and mentor relations. Views parse input and call
one service or selector; what the actor may see comes from ``policies`` through the selectors."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.audit.services import audit_read, audit_record
from waardewerk.core.access import require
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service, posted
from waardewerk.development import export, policies, selectors, services
from waardewerk.development.forms import (
    ActivityForm,
    ExportForm,
    GoalForm,
    MeetingForm,
    MentorshipForm,
    NotesForm,
    ProgressForm,
    RegisterFilterForm,
)
from waardewerk.development.models import Register
from waardewerk.intervision import services as intervision_services

# The log --------------------------------------------------------------------------------------------------


@require_GET
def log(request):
    require(policies.may_keep_log(request.user))
    added = services.intervision_sync(actor=request.user)
    if added:
        messages.info(request, _("Intervision sessions you attended were added to your log."))
    filters = RegisterFilterForm(request.GET or None)
    register = filters.cleaned_data["register"] if filters.is_bound and filters.is_valid() else ""
    activities = selectors.my_activities(request.user, register=register)
    return render(
        request,
        "development/log.html",
        {
            "activities": activities,
            "totals": selectors.totals(activities),
            "goals": selectors.my_goals(request.user),
            "mentorships": selectors.my_mentorships(request.user),
            "filters": filters,
            "register": register,
        },
    )


def _activity_form(request, activity=None):
    projected = bool(activity and activity.source_session_id)
    initial = None
    if activity is not None:
        initial = {
            "base_version": activity.version,
            "kind": activity.kind,
            "title": activity.title,
            "provider": activity.provider,
            "pe_id": activity.pe_id,
            "date": activity.date,
            "hours": activity.hours,
            "points": activity.points,
            "registers": [r.register for r in activity.registers.all()],
            "reflection_technical": activity.reflection_technical,
            "reflection_normative": activity.reflection_normative,
            "reflection_personal": activity.reflection_personal,
            "shared_with_mentor": activity.shared_with_mentor,
            "shared_with_lead": activity.shared_with_lead,
        }
    form = ActivityForm(posted(request), request.FILES or None, initial=initial, projected=projected)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "kind": data["kind"],
            "title": data["title"],
            "provider": data["provider"],
            "pe_id": data["pe_id"],
            "date": data["date"],
            "hours": data["hours"],
            "points": data["points"],
            "registers": data["registers"],
            "reflections": form.reflections(),
            "shared_with_mentor": data["shared_with_mentor"],
            "shared_with_lead": data["shared_with_lead"],
            "evidence": data["evidence"] or None,
        }

        def save():
            if activity is None:
                return services.activity_create(actor=request.user, **common)
            services.activity_update(
                actor=request.user,
                activity=activity,
                base_version=data["base_version"],
                remove_evidence=data["remove_evidence"],
                **common,
            )
            return activity

        outcome = call_service(form, save)
        if outcome.saved:
            messages.success(request, _("The activity is saved."))
            return redirect("development:activity", activity_id=outcome.result.uuid)
        conflict = outcome.conflict
    if request.method == "POST" and request.FILES and (form.errors or conflict):
        form.evidence_lost = True
    return render(
        request,
        "development/activity_form.html",
        {"form": form, "activity": activity, "projected": projected, "conflict": conflict},
        status=422 if (form.errors or conflict) else 200,
    )


@require_http_methods(["GET", "POST"])
def activity_new(request):
    require(policies.may_keep_log(request.user))
    return _activity_form(request)


@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id):
    return _activity_form(request, selectors.activity_for_owner(request.user, activity_id))


@require_GET
def activity_detail(request, activity_id):
    activity = selectors.activity_for_viewer(request.user, activity_id)
    return render(
        request,
        "development/activity.html",
        {
            "activity": activity,
            "mine": policies.is_owner(request.user, activity),
            "goals": activity.goals.all(),
        },
    )


@require_POST
def activity_delete(request, activity_id):
    activity = selectors.activity_for_owner(request.user, activity_id)
    services.activity_delete(actor=request.user, activity=activity)
    if activity.source_session_id:
        messages.success(request, _("The session is marked as not attended: it no longer counts."))
        return redirect("development:activity", activity_id=activity.uuid)
    messages.success(request, _("The activity is deleted."))
    return redirect("development:log")


@require_POST
def activity_restore(request, activity_id):
    activity = selectors.activity_for_owner(request.user, activity_id)
    services.activity_restore(actor=request.user, activity=activity)
    messages.success(request, _("The session counts again."))
    return redirect("development:activity", activity_id=activity.uuid)


@require_GET
def evidence(request, activity_id):
    found = selectors.evidence_for_viewer(request.user, activity_id)
    audit_record(
        actor=request.user,
        action="view",
        obj=found.activity,
        detail={"evidence": True, "owner": found.activity.owner.username},
    )
    response = HttpResponse(base64.b64decode(found.content), content_type=found.content_type)
    extension = services.EXTENSIONS.get(found.content_type, "")
    response["Content-Disposition"] = (
        f'attachment; filename="bewijs-{found.activity.date.isoformat()}{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Learning goals -------------------------------------------------------------------------------------------


def _goal_form(request, goal=None):
    initial = None
    if goal is not None:
        initial = {
            "base_version": goal.version,
            "title": goal.title,
            "description": goal.description,
            "status": goal.status,
            "target_date": goal.target_date,
            "source_activity": goal.source_activity,
            "source_experiment": goal.source_experiment,
            "source_evaluation": goal.source_evaluation,
            "source_review": goal.source_review,
            "source_checkpoint": goal.source_checkpoint,
            "shared_with_mentor": goal.shared_with_mentor,
            "shared_with_lead": goal.shared_with_lead,
        }
    elif request.method == "GET" and request.GET.get("activity"):
        initial = {"source_activity": request.GET["activity"]}
    elif request.method == "GET" and request.GET.get("review"):
        # "Make this a learning goal" from a checkpoint of a case review.
        initial = {
            "source_review": request.GET["review"],
            "source_checkpoint": request.GET.get("checkpoint", ""),
        }
    sources = selectors.goal_source_choices(request.user)
    form = GoalForm(
        posted(request),
        initial=initial,
        sources=sources,
        review_checkpoints=selectors.review_checkpoints(sources["source_review"]),
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "title": data["title"],
            "description": data["description"],
            "status": data["status"],
            "target_date": data["target_date"],
            "sources": form.sources(),
            "shared_with_mentor": data["shared_with_mentor"],
            "shared_with_lead": data["shared_with_lead"],
        }

        def save():
            if goal is None:
                return services.goal_create(actor=request.user, **common)
            services.goal_update(actor=request.user, goal=goal, base_version=data["base_version"], **common)
            return goal

        outcome = call_service(form, save)
        if outcome.saved:
            messages.success(request, _("The learning goal is saved."))
            return redirect("development:goal", goal_id=outcome.result.uuid)
        conflict = outcome.conflict
    # The choice of evaluations names the actor's clients, as the caseload does: logged the same way.
    audit_record(actor=request.user, action="search", object_type="development.goal_sources")
    return render(
        request,
        "development/goal_form.html",
        {"form": form, "goal": goal, "conflict": conflict},
        status=422 if (form.errors or conflict) else 200,
    )


@require_http_methods(["GET", "POST"])
def goal_new(request):
    require(policies.may_keep_log(request.user))
    return _goal_form(request)


@require_http_methods(["GET", "POST"])
def goal_edit(request, goal_id):
    return _goal_form(request, selectors.goal_for_owner(request.user, goal_id))


@require_GET
def goal_detail(request, goal_id):
    goal = selectors.goal_for_viewer(request.user, goal_id)
    mine = policies.may_see_source_details(request.user, goal)
    show_evaluation = mine and selectors.source_trajectory_visible(request.user, goal)
    show_experiment = mine and selectors.source_experiment_visible(request.user, goal)
    show_review = mine and selectors.source_review_visible(request.user, goal)
    review_checkpoint = None
    if show_review:
        # Reading a review is a read of its client's data (pseudonymised or not), logged as intervision does.
        review = goal.source_review
        review_checkpoint = selectors.review_checkpoint(review, goal.source_checkpoint)
        audit_read(
            actor=request.user,
            client=review.trajectory.client,
            obj=review,
            # As intervision logs it: a peer's read is shown to the client as the group.
            detail={
                "via": "development.goal",
                "group": intervision_services.review_group_name(review),
                "as_group": request.user.pk != review.trajectory.responsible_id,
            },
        )
    if show_evaluation:
        trajectory = goal.source_evaluation.trajectory
        audit_read(
            actor=request.user, client=trajectory.client, obj=trajectory, detail={"via": "development.goal"}
        )
    return render(
        request,
        "development/goal.html",
        {
            "goal": goal,
            "mine": mine,
            "show_evaluation": show_evaluation,
            "show_experiment": show_experiment,
            "show_review": show_review,
            "review_checkpoint": review_checkpoint,
            "progress_form": ProgressForm(initial={"date": timezone.localdate()}) if mine else None,
        },
    )


@require_http_methods(["GET", "POST"])
def goal_progress(request, goal_id):
    goal = selectors.goal_for_owner(request.user, goal_id)
    form = ProgressForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.goal_progress_add(
                actor=request.user, goal=goal, date=form.cleaned_data["date"], note=form.cleaned_data["note"]
            ),
        )
        if outcome.saved:
            messages.success(request, _("Your progress is saved."))
            return redirect("development:goal", goal_id=goal.uuid)
    return render(
        request,
        "development/progress_form.html",
        {"form": form, "goal": goal},
        status=422 if form.errors else 200,
    )


# Export ---------------------------------------------------------------------------------------------------


@require_GET
def export_view(request):
    require(policies.may_keep_log(request.user))
    form = ExportForm(request.GET if "register" in request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        args = {
            "actor": request.user,
            "register": data["register"],
            "start": data["start"],
            "end": data["end"],
        }
        if data["format"] == "csv":
            response = HttpResponse(
                "\ufeff" + export.export_csv(**args), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(export.export_pdf(**args), content_type="application/pdf")
        name = export.filename(request.user, data["register"], data["start"], data["end"], data["format"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "development/export_form.html",
        {"form": form, "registers": Register.choices},
        status=422 if form.errors else 200,
    )


# Shared with me -------------------------------------------------------------------------------------------


@require_GET
def shared(request):
    require(policies.may_keep_log(request.user))
    return render(request, "development/shared.html", selectors.shared_with_me(request.user))


# Mentor relations -----------------------------------------------------------------------------------------


@require_GET
def mentoring(request):
    require(policies.may_keep_log(request.user))
    return render(
        request, "development/mentoring.html", {"mentorships": selectors.my_mentorships(request.user)}
    )


@require_http_methods(["GET", "POST"])
def mentorship_new(request):
    require(policies.can_start_mentorship(request.user))
    form = MentorshipForm(posted(request), mentors=policies.eligible_mentors(request.user))
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form, lambda: services.mentorship_start(actor=request.user, mentor=form.cleaned_data["mentor"])
        )
        if outcome.saved:
            messages.success(request, _("Your mentor relation has started."))
            return redirect("development:mentorship", mentorship_id=outcome.result.uuid)
    return render(
        request, "development/mentorship_form.html", {"form": form}, status=422 if form.errors else 200
    )


@require_GET
def mentorship_detail(request, mentorship_id):
    mentorship = selectors.mentorship_for_participant(request.user, mentorship_id)
    return render(
        request,
        "development/mentorship.html",
        {
            "mentorship": mentorship,
            "is_mentor": mentorship.mentor_id == request.user.pk,
            "can_write": policies.can_write_mentorship(request.user, mentorship),
            **selectors.mentorship_details(request.user, mentorship),
        },
    )


def _writable(request, mentorship_id):
    mentorship = selectors.mentorship_for_participant(request.user, mentorship_id)
    if not policies.can_write_mentorship(request.user, mentorship):
        raise PermissionDeniedError(_("The mentor relation has ended: it can no longer change."))
    return mentorship


@require_http_methods(["GET", "POST"])
def mentorship_notes(request, mentorship_id):
    mentorship = _writable(request, mentorship_id)
    form = NotesForm(posted(request), initial={"base_version": mentorship.version, "notes": mentorship.notes})
    conflict = ""
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.mentorship_notes(
                actor=request.user,
                mentorship=mentorship,
                base_version=form.cleaned_data["base_version"],
                notes=form.cleaned_data["notes"],
            ),
        )
        if outcome.saved:
            messages.success(request, _("The notes are saved."))
            return redirect("development:mentorship", mentorship_id=mentorship.uuid)
        conflict = outcome.conflict
    return render(
        request,
        "development/notes_form.html",
        {"form": form, "mentorship": mentorship, "conflict": conflict, "current": mentorship.notes},
        status=422 if (form.errors or conflict) else 200,
    )


@require_http_methods(["GET", "POST"])
def meeting_new(request, mentorship_id):
    mentorship = _writable(request, mentorship_id)
    form = MeetingForm(posted(request), initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.meeting_add(
                actor=request.user,
                mentorship=mentorship,
                date=form.cleaned_data["date"],
                summary=form.cleaned_data["summary"],
            ),
        )
        if outcome.saved:
            messages.success(request, _("The meeting is saved."))
            return redirect("development:mentorship", mentorship_id=mentorship.uuid)
    return render(
        request,
        "development/meeting_form.html",
        {"form": form, "mentorship": mentorship},
        status=422 if form.errors else 200,
    )


@require_POST
def mentorship_end(request, mentorship_id):
    mentorship = _writable(request, mentorship_id)
    services.mentorship_end(actor=request.user, mentorship=mentorship)
    messages.success(request, _("The mentor relation has ended. What you wrote together stays readable."))
    return redirect("development:mentorship", mentorship_id=mentorship.uuid)
