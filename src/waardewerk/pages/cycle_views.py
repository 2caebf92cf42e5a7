"""Pages of the methodical cycle: a conversation with the guide at hand, the plan (goals, choices with their
grounds, agreement, history), progress notes, adjustments and the evaluation. They compose trajectories with
the instruments and the knowledge base (the conversation guide, the plan's entries), so they are built here;
their URLs keep the name ``trajectories:…`` (``pages/urls.py``)."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service, posted
from waardewerk.instruments import effect
from waardewerk.instruments import selectors as instrument_selectors
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.knowledge.selectors import current_guide, current_principles, plan_entries
from waardewerk.portal import selectors as portal_selectors
from waardewerk.portal.models import ProposalStatus
from waardewerk.trajectories import policies, selectors, services
from waardewerk.trajectories.forms import (
    AdjustmentForm,
    ConversationRecordForm,
    EvaluationForm,
    PlanAgreementForm,
    PlanEditor,
)
from waardewerk.trajectories.models import (
    ConversationMode,
    Evaluation,
    EvidenceLevel,
    PlanVersion,
    Recognition,
)
from waardewerk.trajectories.plan import PlanContent


def _trajectory(request, trajectory_id, *, change=False, queryset=None):
    """The trajectory of the page: 404 outside the actor's scope, 403 (with why) when they may not read it,
    or, for a page that changes it (``change``), may not change it. The read is logged whatever the method
    (``audit_read``: when the response shows it)."""
    if queryset is None:
        queryset = policies.visible_trajectories(request.user).select_related("client", "responsible")
    trajectory = selectors.readable_trajectory(request.user, trajectory_id, queryset)
    if change:
        _require_change(request, trajectory)
    services.dossier_read_record(
        actor=request.user, trajectory=trajectory, detail={"page": request.resolver_match.url_name}
    )
    return trajectory


def _require_change(request, trajectory) -> None:
    if not policies.can_change_trajectory(request.user, trajectory):
        raise PermissionDeniedError(policies.refusal_to_change(trajectory))


def _guide():
    return current_guide()


def _principles():
    return current_principles()


def _plan_entries(actor) -> dict:
    """The knowledge-base entries a plan choice can pick (``plan.PlanEntry`` by key)."""
    return plan_entries(actor)


# Conversations ----------------------------------------------------------------------------------------


def _from_appointment(request) -> dict:
    """The date and form of a planned appointment the conversation is recorded from (``?date=&mode=``,
    the agenda's "record the conversation"); whatever is not valid is left out."""
    initial = {}
    try:
        initial["date"] = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        pass
    if request.GET.get("mode") in ConversationMode.values:
        initial["mode"] = request.GET["mode"]
    return initial


@require_http_methods(["GET", "POST"])
def conversation_new(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id, change=True)
    found = _guide()
    guide_version, guide = found if found else (None, None)
    current_topics = guide.topics_for(trajectory.phase, trajectory.context) if guide else []
    other_topics = []
    if guide:
        for phase, _intro, _topics in guide.phases():
            if phase != trajectory.phase:
                other_topics += guide.topics_for(phase, trajectory.context)
    choices = [(t.key, t.title) for t in current_topics + other_topics]
    principles_version, principles = _principles() or (None, None)
    form = ConversationRecordForm(
        posted(request),
        topic_choices=choices,
        principle_choices=principles.choices() if principles else (),
        initial=_from_appointment(request),
    )
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.conversation_record(
                actor=request.user,
                trajectory=trajectory,
                guide_version=guide_version,
                principles_version=principles_version,
                **form.service_kwargs(),
            ),
        )
        if outcome.saved:
            messages.success(request, _("The conversation is recorded."))
            return redirect("trajectories:detail", trajectory_id=trajectory.uuid)
    ticked = set(form["topics"].value() or [])
    return render(
        request,
        "trajectories/conversation_form.html",
        {
            "trajectory": trajectory,
            "form": form,
            "guide": guide,
            "current_topics": current_topics,
            "other_topics": other_topics,
            "current_keys": {t.key for t in current_topics},
            "ticked": ticked,
            "principles": principles,
        },
        status=422 if form.errors else 200,
    )


# The plan ---------------------------------------------------------------------------------------------


def _plan_page_context(request, trajectory, versions, **extra):
    latest = versions[-1] if versions else None
    plan = PlanContent.from_json(latest.content) if latest else None
    values, determinants = services.plan_vocabulary()
    agreements = list(latest.agreements.all()) if latest else []
    agreement = agreements[-1] if agreements else None  # the latest (ordered by date)
    return {
        "trajectory": trajectory,
        "versions": list(reversed(versions)),
        "latest": latest,
        "plan": plan,
        "goals": _goal_rows(plan, values, determinants, trajectory) if plan else [],
        "choices": _choice_rows(plan, _corrections(trajectory)) if plan else [],
        "agreement": agreement,
        "agreed": agreement is not None,
        "can_change": policies.can_change_trajectory(request.user, trajectory),
        "agreement_form": extra.pop("agreement_form", None) or PlanAgreementForm(),
        **extra,
    }


def _goal_rows(plan, values, determinants, trajectory):
    actions = {}
    for action in trajectory.actions.all():
        if action.goal_key:
            actions.setdefault(action.goal_key, []).append(action)
    return [
        {
            "goal": goal,
            "values": [values.get(v, v) for v in goal.values],
            "determinants": [determinants.get(d, d) for d in goal.determinants],
            "actions": actions.get(goal.key, []),
            "choices": [c for c in plan.choices if c.goal == goal.key],
        }
        for goal in plan.goals
    ]


def _corrections(trajectory) -> dict[str, list]:
    """The client's corrections of their preference, by choice (prefetched by ``plan_queryset``)."""
    out: dict[str, list] = {}
    for correction in trajectory.preference_corrections.all():
        out.setdefault(correction.choice_key, []).append(correction)
    return out


def _choice_rows(plan, corrections=None):
    """The choices with their grounds: an entry's recognition (from the entry version chosen), a free
    choice's reference, and the evidence level a choice carried from before the knowledge base."""
    levels = dict(EvidenceLevel.choices)
    recognitions = dict(Recognition.choices)
    return [
        {
            "choice": choice,
            "goal": plan.goal(choice.goal),
            "evidence": levels.get(choice.evidence_level, "") if choice.evidence_level else "",
            "recognition": recognitions.get(choice.recognition, "") if choice.entry else "",
            "missing": choice.missing_sources,
            "corrections": (corrections or {}).get(choice.key, []),
        }
        for choice in plan.choices
    ]


@require_GET
def plan(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id, queryset=selectors.plan_queryset(request.user))
    versions = list(trajectory.plan_versions.all())
    return render(
        request,
        "trajectories/plan.html",
        _plan_page_context(request, trajectory, versions, proposals=_proposals(trajectory)),
    )


def _proposals(trajectory) -> dict:
    """The client's goal proposals from the portal: the open ones to decide on (on the portal page), the
    decided ones for reference (one query)."""
    proposals = portal_selectors.proposals(trajectory)
    return {
        "open": [p for p in proposals if p.status == ProposalStatus.OPEN],
        "decided": [p for p in proposals if p.status != ProposalStatus.OPEN],
    }


@require_GET
def plan_version(request, trajectory_id, number):
    trajectory = selectors.readable_trajectory(
        request.user, trajectory_id, selectors.plan_queryset(request.user)
    )
    versions = list(trajectory.plan_versions.all())
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        raise Http404
    services.dossier_read_record(actor=request.user, trajectory=trajectory, obj=version)
    content = PlanContent.from_json(version.content)
    values, determinants = services.plan_vocabulary()
    previous = next((v for v in versions if v.number == number - 1), None)
    return render(
        request,
        "trajectories/plan_version.html",
        {
            "trajectory": trajectory,
            "version": version,
            "goals": _goal_rows(content, values, determinants, trajectory),
            "choices": _choice_rows(content),
            "changes": _diff(PlanContent.from_json(previous.content), content) if previous else None,
        },
    )


def _diff(old: PlanContent, new: PlanContent) -> list[str]:
    """What changed between two versions, in words."""
    lines = []
    old_goals = {g.key: g for g in old.goals}
    new_goals = {g.key: g for g in new.goals}
    for key, goal in new_goals.items():
        before = old_goals.get(key)
        if before is None:
            lines.append(_("Goal added: %(text)s") % {"text": goal.text})
        elif before.text != goal.text:
            lines.append(_("Goal reworded: %(old)s → %(new)s") % {"old": before.text, "new": goal.text})
        elif before.status != goal.status:
            status = {"active": _("active"), "achieved": _("achieved"), "dropped": _("dropped")}[goal.status]
            lines.append(_("Goal %(text)s: status %(status)s") % {"text": goal.text, "status": status})
    for key, goal in old_goals.items():
        if key not in new_goals:
            lines.append(_("Goal removed: %(text)s") % {"text": goal.text})
    old_choices = {c.key: c for c in old.choices}
    new_choices = {c.key: c for c in new.choices}
    for key, choice in new_choices.items():
        if key not in old_choices:
            lines.append(_("Choice added: %(text)s") % {"text": choice.description})
        elif vars(old_choices[key]) != vars(choice):
            lines.append(_("Choice changed: %(text)s") % {"text": choice.description})
    for key, choice in old_choices.items():
        if key not in new_choices:
            lines.append(_("Choice removed: %(text)s") % {"text": choice.description})
    return lines


@require_http_methods(["GET", "POST"])
def plan_edit(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id, change=True)
    versions = list(PlanVersion.objects.filter(trajectory=trajectory).order_by("number"))
    latest = versions[-1] if versions else None
    values, determinants = services.plan_vocabulary()
    entries = _plan_entries(request.user)
    editor = PlanEditor(
        trajectory,
        versions,
        values,
        determinants,
        data=request.POST if request.method == "POST" else None,
        entries=entries,
    )
    conflict = None
    adding = request.POST.get("add") if request.method == "POST" else None
    if adding in ("goal", "choice"):
        editor = editor.with_row(adding)
    elif request.method == "POST" and editor.is_valid():
        outcome = call_service(
            editor,
            lambda: services.plan_save(
                actor=request.user, trajectory=trajectory, entries=entries, **editor.service_kwargs()
            ),
        )
        if outcome.saved:
            messages.success(request, _("The plan is saved as a new version."))
            return redirect("trajectories:plan", trajectory_id=trajectory.uuid)
        conflict = outcome.conflict or None
    errors = request.method == "POST" and editor.has_errors
    return render(
        request,
        "trajectories/plan_edit.html",
        {
            "trajectory": trajectory,
            "editor": editor,
            "errors": errors,
            "error_list": editor.error_list() if errors else [],
            "conflict": conflict,
            "current": PlanContent.from_json(latest.content) if (conflict and latest) else None,
            "latest": latest,
        },
        status=422 if (errors or conflict) else 200,
    )


@require_POST
def plan_agree(request, trajectory_id):
    trajectory = _trajectory(
        request, trajectory_id, change=True, queryset=selectors.plan_queryset(request.user)
    )
    versions = list(trajectory.plan_versions.all())
    if not versions:
        raise Http404
    form = PlanAgreementForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.plan_agree(
                actor=request.user, trajectory=trajectory, version=versions[-1], **form.cleaned_data
            ),
        )
        if outcome.saved:
            messages.success(request, _("The client's agreement with the plan is recorded."))
            return redirect("trajectories:plan", trajectory_id=trajectory.uuid)
    context = _plan_page_context(request, trajectory, versions, agreement_form=form)
    return render(request, "trajectories/plan.html", context, status=422)


# Monitoring, adjusting, evaluation -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def adjustment_new(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id, change=True)
    form = AdjustmentForm(
        posted(request),
        measurements=Measurement.objects.filter(trajectory=trajectory, status=MeasurementStatus.SUBMITTED)
        .select_related("instrument", "instrument_version")
        .order_by("-taken_on"),
        conversations=trajectory.conversations.order_by("-date"),
        initial={"prompted_by": request.GET.get("prompted_by", "")},
    )
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.adjustment_record(
                actor=request.user, trajectory=trajectory, **form.cleaned_data
            ),
        )
        if outcome.saved:
            messages.success(request, _("The change of course is recorded. Update the plan if it changes."))
            return redirect("trajectories:detail", trajectory_id=trajectory.uuid)
    return render(
        request,
        "trajectories/adjustment_form.html",
        {"trajectory": trajectory, "form": form},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def evaluation(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id)
    existing = Evaluation.objects.filter(trajectory=trajectory).first()
    can_change = policies.can_change_trajectory(request.user, trajectory)
    if request.method == "POST" and not can_change:
        raise PermissionDeniedError(policies.refusal_to_change(trajectory))
    measurements = instrument_selectors.trajectory_measurements(trajectory)
    definitions = instrument_selectors.definition_set(measurements)
    outcome = instrument_selectors.outcome_definition(definitions.current)
    initial = {"version": existing.version if existing else 0}
    if existing:
        for name in EvaluationForm.base_fields:
            if name != "version":
                initial[name] = getattr(existing, name)
        for name in ("work", "with_support"):
            initial[name] = {True: "yes", False: "no"}.get(getattr(existing, name), "")
    elif outcome is not None:  # start from the latest level measured on the outcome instrument
        levels = [
            m.score["level"] for m in measurements if m.instrument.key == outcome.key and "level" in m.score
        ]
        initial["ladder_rung"] = levels[-1] if levels else None
    form = EvaluationForm(posted(request), initial=initial, outcome=outcome)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        version = data.pop("version", None)
        outcome = call_service(
            form,
            lambda: services.evaluation_save(
                actor=request.user, trajectory=trajectory, version=version, **data
            ),
            conflict_on_form=True,
        )
        if outcome.saved:
            messages.success(request, _("The evaluation is saved."))
            return redirect("trajectories:detail", trajectory_id=trajectory.uuid)
    effects = effect.build(measurements, definitions.versions)
    return render(
        request,
        "trajectories/evaluation_form.html",
        {
            "trajectory": trajectory,
            "form": form,
            "effects": effects,
            "can_change": can_change,
            "existing": existing,
            "outcome": outcome,
            "outcome_level": effect.level_label(outcome, existing.ladder_rung)
            if outcome is not None and existing and existing.ladder_rung is not None
            else "",
        },
        status=422 if form.errors else 200,
    )
