"""The client's pages (mobile first, plain Dutch at language level B1; docs/portal.md).

Every page needs a portal session (``client_page``); a staff session gets 403 and an anonymous visitor goes
to the portal's log-in page. Every read and write is recorded in the access log on behalf of the client.
Objects are fetched from querysets that start at the client's own trajectories, so another client's object
gives the same 404 as one that does not exist.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.agenda import selectors as agenda_selectors
from waardewerk.audit.services import audit_read, audit_record
from waardewerk.clients.actor import ClientActor
from waardewerk.clients.models import ConsentKind
from waardewerk.clients.selectors import consent_history
from waardewerk.core.access import get_for_actor
from waardewerk.core.confirm import confirmation_page, confirmed
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service, posted
from waardewerk.instruments import effect
from waardewerk.instruments import selectors as instrument_selectors
from waardewerk.instruments import services as instrument_services
from waardewerk.instruments.definition import Definition
from waardewerk.instruments.forms import answers_from_post, item_rows
from waardewerk.matching import policies as matching_policies
from waardewerk.matching import selectors as matching_selectors
from waardewerk.matching import services as matching_services
from waardewerk.portal import export, messaging, oidc, policies, selectors, services
from waardewerk.portal import session as portal_session
from waardewerk.portal.forms import (
    AvailabilityForm,
    ClientEvaluationForm,
    CodeForm,
    ConsentGiveForm,
    GoalProposalForm,
    JobResponseForm,
    PreferenceForm,
)
from waardewerk.portal.models import PortalInvitation
from waardewerk.portal.ratelimit import rate_limited
from waardewerk.trajectories import policies as trajectory_policies
from waardewerk.trajectories import services as trajectory_services
from waardewerk.trajectories.policies import client_actions

NAV = (
    ("portal:home", "home"),
    ("portal:goals", "goals"),
    ("portal:actions", "actions"),
    ("portal:appointments", "appointments"),
    ("portal:questionnaires", "questionnaires"),
    ("portal:progress", "progress"),
    ("portal:evaluation", "evaluation"),
    ("portal:jobs", "jobs"),
    ("portal:consent", "consent"),
    ("portal:access_log", "access_log"),
    ("portal:my_data", "my_data"),
)

# What the client reads when someone else saved the same page after they opened it (a stale edit): plain
# words at B1 level, in "u" (the services' own message is written for staff).
STALE_EDIT_MESSAGE = gettext_lazy(
    "Your answers are not saved yet. Someone changed this page just now: your professional, or you in "
    "another window. Your answers are still below. Open the page again to see what it says now. Then fill "
    "in again what you want to change."
)


def public_page(view):
    """A portal page open without a log-in (the log-in steps)."""
    return login_not_required(never_cache(view))


def client_page(view):
    """A page for a logged-in client only: staff get 403, anyone else the portal's log-in page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        client = getattr(request, "portal_client", None)
        if client is None:
            if request.user.is_authenticated:
                return render(request, "portal/staff_refused.html", status=403)
            return redirect("portal:login")
        request.portal_actor = ClientActor(client)
        try:
            response = view(request, *args, **kwargs)
        except PermissionDenied:
            # The client's own object, but not now (a closed trajectory): 403 in the portal's words. Another
            # client's object never gets here; it is a 404 (docs/authorization.md, "Refusals").
            response = render(request, "portal/refused.html", {"client": client}, status=403)
        response["Cache-Control"] = "no-store"
        return response

    return login_not_required(wrapped)


def _log_view(request, page: str, obj=None) -> None:
    audit_read(
        actor=request.portal_actor,
        obj=obj if obj is not None else request.portal_client,
        detail={"page": f"portal {page}"},
    )


def _render(request, template, context, *, section: str, status: int = 200):
    context = {"section": section, "client": request.portal_client, **context}
    return render(request, template, context, status=status)


def _trajectory(request):
    return selectors.current_trajectory(request.portal_actor)


# Log-in ---------------------------------------------------------------------------------------------------


@public_page
@require_GET
def login(request):
    if getattr(request, "portal_client", None) is not None:
        return redirect("portal:home")
    return render(
        request,
        "portal/login.html",
        {"oidc": oidc.is_configured(), "oidc_label": _oidc_label()},
    )


def _oidc_label() -> str:
    return settings.WAARDEWERK_OIDC_LABEL


@public_page
@rate_limited
@sensitive_variables("token")
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    try:
        found = services.invitation_find(token)
    except PortalInvitation.DoesNotExist:
        return render(request, "portal/link_gone.html", {"reason": "unknown"}, status=404)
    except services.InvitationGone as gone:
        return render(request, "portal/link_gone.html", {"reason": gone.reason}, status=410)
    if request.method == "GET":
        return render(request, "portal/invitation.html", {"invitation": found})
    try:
        used = services.invitation_use(invitation=found)
    except services.InvitationGone as gone:
        return render(request, "portal/link_gone.html", {"reason": gone.reason}, status=410)
    except ValidationError as exc:
        return render(
            request, "portal/invitation.html", {"invitation": found, "error": exc.messages[0]}, status=503
        )
    portal_session.start_pending(request, used)
    return redirect("portal:code")


@public_page
@rate_limited
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def code(request):
    pending = portal_session.pending_invitation_id(request)
    if not pending:
        messages.info(request, _("Open the link from your invitation first."))
        return redirect("portal:login")
    invitation = PortalInvitation.objects.filter(uuid=pending).first()
    if invitation is None:
        raise Http404
    form = CodeForm(request.POST or None)
    spent = False
    if request.method == "POST" and form.is_valid():
        try:
            client, account = services.code_verify(invitation_uuid=pending, code=form.cleaned_data["code"])
        except services.CodeRefused as exc:
            form.add_error("code", exc.messages[0])
            spent = exc.spent
            if spent:
                request.session.pop(portal_session.PENDING, None)
        else:
            portal_session.portal_login(request, client, account)
            messages.success(
                request, _("Welcome, %(name)s. You are logged in.") % {"name": client.first_name}
            )
            return redirect("portal:home")
    return render(
        request,
        "portal/code.html",
        {
            "form": form,
            "spent": spent,
            "destination": messaging.mask(invitation.channel, invitation.destination),
            "channel": invitation.get_channel_display().lower(),
        },
        status=422 if form.errors else 200,
    )


@login_not_required
@require_POST
def logout(request):
    portal_session.portal_logout(request)
    messages.info(request, _("You are logged out. Close this window if you use a shared computer."))
    return redirect("portal:login")


@public_page
@require_GET
def oidc_start(request):
    if not oidc.is_configured():
        raise Http404

    redirect_uri = settings.WAARDEWERK_OIDC_REDIRECT_URI or request.build_absolute_uri(
        reverse("portal:oidc_callback")
    )
    return oidc.client().authorize_redirect(request, redirect_uri)


@public_page
@rate_limited
@require_GET
def oidc_callback(request):
    if not oidc.is_configured():
        raise Http404
    try:
        token = oidc.client().authorize_access_token(request)
    except oidc.LOGIN_ERRORS as exc:
        logging.getLogger(__name__).warning("OpenID Connect log-in failed: %s", exc)
        messages.error(
            request, _("Logging in did not work. Try again, or use the link from your invitation.")
        )
        return redirect("portal:login")
    try:
        client, account = services.oidc_login(bsn=oidc.bsn_from(token.get("userinfo") or {}))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("portal:login")
    portal_session.portal_login(request, client, account)
    messages.success(request, _("Welcome, %(name)s. You are logged in.") % {"name": client.first_name})
    return redirect("portal:home")


# The client's pages -----------------------------------------------------------------------------------------


@client_page
@require_GET
def home(request):
    trajectory = _trajectory(request)
    _log_view(request, "home", trajectory)
    context = {"trajectory": trajectory}
    if trajectory is not None:
        actions = selectors.client_actions(trajectory)
        context |= {
            "steps": selectors.plain_steps(trajectory),
            "phase": selectors.PLAIN_PHASES[trajectory.phase],
            "my_actions": actions["mine"][:3],
            "requests": selectors.open_requests(trajectory),
            "look_back": policies.can_client_evaluate(request.portal_actor, trajectory),
        }
    return _render(request, "portal/home.html", context, section="home")


@client_page
@require_GET
def goals(request):
    trajectory = _trajectory(request)
    _log_view(request, "goals", trajectory)
    version, plan = selectors.latest_plan(trajectory) if trajectory else (None, None)
    proposals = selectors.proposals(trajectory) if trajectory else []
    agreed_version, agreed = services.agreed_plan(trajectory) if trajectory else (None, None)
    return _render(
        request,
        "portal/goals.html",
        {
            "trajectory": trajectory,
            "version": version,
            "plan": plan,
            "agreed_version": agreed_version,
            "choices": selectors.agreed_choices(trajectory, agreed) if agreed else [],
            "agreed": bool(version and list(version.agreements.all())),
            "proposals": proposals,
            "open_keys": {p.goal_key for p in proposals if p.status == "open" and p.goal_key},
            "can_write": bool(trajectory and policies.can_client_write(request.portal_actor, trajectory)),
        },
        section="goals",
    )


@client_page
@require_http_methods(["GET", "POST"])
def goal_propose(request):
    trajectory = _trajectory(request)
    if trajectory is None:
        raise Http404
    if not policies.can_client_write(request.portal_actor, trajectory):
        raise PermissionDenied
    _version, plan = selectors.latest_plan(trajectory)
    key = request.POST.get("goal_key") if request.method == "POST" else request.GET.get("goal", "")
    goal = plan.goal(key) if (plan and key) else None
    if key and goal is None:
        raise Http404
    _log_view(request, "goal proposal", trajectory)
    form = GoalProposalForm(
        posted(request), initial={"text": goal.text if goal else "", "goal_key": key or ""}
    )
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.goal_propose(
                actor=request.portal_actor,
                trajectory=trajectory,
                text=form.cleaned_data["text"],
                goal_key=key or "",
            ),
        )
        if outcome.saved:
            messages.success(
                request,
                _("Thank you. Your professional will look at your proposal. You will see the answer here."),
            )
            return redirect("portal:goals")
    return _render(
        request,
        "portal/goal_propose.html",
        {"form": form, "goal": goal, "trajectory": trajectory},
        section="goals",
        status=422 if form.errors else 200,
    )


@client_page
@require_POST
def plan_agree(request):
    """The client agrees to the newest version of their plan (the goals page shows the button)."""
    trajectory = _trajectory(request)
    if trajectory is None:
        raise Http404
    if not trajectory_policies.can_client_agree_to_plan(request.portal_actor, trajectory):
        raise PermissionDenied
    try:
        number = int(request.POST.get("version", ""))
    except ValueError:
        number = 0
    try:
        trajectory_services.plan_agree_by_client(
            actor=request.portal_actor, trajectory=trajectory, version_number=number
        )
    except PermissionDeniedError as exc:
        raise Http404 from exc  # no plan to agree with
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
    else:
        messages.success(request, _("Thank you. You agreed with your plan. Your professional sees this."))
    return redirect("portal:goals")


@client_page
@require_http_methods(["GET", "POST"])
def preference(request, key):
    """The client corrects their preference for a choice of the agreed plan."""
    trajectory = _trajectory(request)
    if trajectory is None:
        raise Http404
    _version, agreed = services.agreed_plan(trajectory)
    choice = next((c for c in agreed.choices if c.key == key), None) if agreed else None
    if choice is None:
        raise Http404
    if not policies.can_client_write(request.portal_actor, trajectory):
        raise PermissionDenied
    _log_view(request, "preference", trajectory)
    form = PreferenceForm(posted(request), initial={"text": choice.preference})
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.preference_correct(
                actor=request.portal_actor,
                trajectory=trajectory,
                choice_key=key,
                text=form.cleaned_data["text"],
            ),
        )
        if outcome.saved:
            messages.success(request, _("Thank you. Your professional sees what you wrote."))
            return redirect(reverse("portal:goals") + "#choices-heading")
    return _render(
        request,
        "portal/preference.html",
        {"form": form, "choice": choice, "trajectory": trajectory},
        section="goals",
        status=422 if form.errors else 200,
    )


@client_page
@require_http_methods(["GET", "POST"])
def evaluation(request):
    """The client's own evaluation: written and changed in the evaluation phase, read afterwards."""
    actor = request.portal_actor
    trajectory = _trajectory(request)
    _log_view(request, "evaluation", trajectory)
    existing = (
        policies.client_evaluations(actor).filter(trajectory=trajectory).first() if trajectory else None
    )
    can_write = trajectory is not None and policies.can_client_evaluate(actor, trajectory)
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    initial = {}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in ClientEvaluationForm.base_fields}
    form = ClientEvaluationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.client_evaluation_save(actor=actor, trajectory=trajectory, **form.cleaned_data),
        )
        if outcome.saved:
            messages.success(request, _("Thank you. Your professional reads what you wrote."))
            return redirect("portal:evaluation")
    return _render(
        request,
        "portal/evaluation.html",
        {"trajectory": trajectory, "form": form, "existing": existing, "can_write": can_write},
        section="evaluation",
        status=422 if form.errors else 200,
    )


@client_page
@require_GET
def actions(request):
    trajectory = _trajectory(request)
    _log_view(request, "actions", trajectory)
    context = {"trajectory": trajectory}
    if trajectory is not None:
        context |= selectors.client_actions(trajectory)
        context["can_write"] = trajectory.is_open
    return _render(request, "portal/actions.html", context, section="actions")


@client_page
@require_POST
def action_done(request, action_id):
    action = get_for_actor(
        client_actions(request.portal_actor).select_related("trajectory__client"), action_id
    )
    try:
        trajectory_services.action_complete_by_client(actor=request.portal_actor, action=action)
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
    else:
        messages.success(request, _("Well done! The action is marked done. Your professional sees this."))
    return redirect("portal:actions")


@client_page
@require_GET
def appointments(request):
    trajectory = _trajectory(request)
    _log_view(request, "appointments", trajectory)
    context = {"trajectory": trajectory}
    if trajectory is not None:
        context |= selectors.appointments(trajectory)
        context["meetings"] = agenda_selectors.coming_for_client(request.portal_actor, trajectory)
    return _render(request, "portal/appointments.html", context, section="appointments")


@client_page
@require_GET
def questionnaires(request):
    trajectory = _trajectory(request)
    _log_view(request, "questionnaires", trajectory)
    context = {"trajectory": trajectory}
    if trajectory is not None:
        context |= {
            "requests": selectors.open_requests(trajectory),
            "finished": selectors.finished_requests(trajectory),
        }
    return _render(request, "portal/questionnaires.html", context, section="questionnaires")


@client_page
@require_http_methods(["GET", "POST"])
def questionnaire(request, request_id):
    found = get_for_actor(
        policies.client_requests(request.portal_actor).select_related(
            "trajectory__client", "instrument__current", "measurement__instrument_version"
        ),
        request_id,
    )
    if not found.is_open:
        messages.info(request, _("You already finished this questionnaire. Thank you!"))
        return redirect("portal:questionnaires")
    if not policies.can_client_write(request.portal_actor, found.trajectory):
        raise PermissionDenied
    draft = found.measurement if found.measurement_id and found.measurement.is_draft else None
    version = draft.instrument_version if draft else found.instrument.current
    definition = Definition(version.definition)
    framing = draft.framing if draft else definition.default_framing("client", found.trajectory.context) or ""
    answers = draft.answers if draft else {}
    notes = json.loads(draft.notes) if draft and draft.notes else {}
    errors: dict[str, list[str]] = {}
    status = 200
    _log_view(request, "questionnaire", found)
    if request.method == "POST":
        answers, notes = answers_from_post(definition, request.POST)
        submit = request.POST.get("action") == "submit"
        try:
            measurement = services.questionnaire_save(
                actor=request.portal_actor, request=found, answers=answers, notes=notes, submit=submit
            )
        except instrument_services.MeasurementErrors as exc:
            for error in exc.items:
                errors.setdefault(error.item, []).append(error.message)
            for message in exc.fields.values():
                errors.setdefault("__all__", []).append(message)
            status = 422
        except instrument_services.DraftSavedWithErrors as exc:
            for error in exc.items:
                errors.setdefault(error.item, []).append(error.message)
            messages.warning(request, _("Your answers are saved. Some answers could not be kept: see below."))
            draft = exc.measurement
            status = 422
        else:
            if measurement.is_draft:
                messages.success(
                    request,
                    _("Your answers are saved. You can go on later. Nobody sees them before you send them."),
                )
                return redirect("portal:questionnaires")
            messages.success(request, _("Thank you! Your answers are sent to your professional."))
            return redirect("portal:questionnaires")
    groups = item_rows(definition, framing, answers, notes, errors)
    answered = sum(1 for g in groups for row in g.items if row.value != "")
    total = sum(1 for g in groups for row in g.items)
    return _render(
        request,
        "portal/questionnaire.html",
        {
            "request_obj": found,
            "definition": definition,
            "groups": groups,
            "draft": draft,
            "answered": answered,
            "total": total,
            "item_errors": [(row, message) for g in groups for row in g.items for message in row.errors],
            "general_errors": errors.get("__all__", []),
        },
        section="questionnaires",
        status=status,
    )


@client_page
@require_GET
def progress(request):
    trajectory = _trajectory(request)
    _log_view(request, "progress", trajectory)
    effects = []
    if trajectory is not None:
        measurements = instrument_selectors.trajectory_measurements(trajectory)
        effects = effect.build(measurements, instrument_selectors.definitions_for(measurements), client=True)
    return _render(
        request,
        "portal/progress.html",
        {"trajectory": trajectory, "effects": effects},
        section="progress",
    )


@client_page
@require_http_methods(["GET", "POST"])
def consent(request):
    client = request.portal_client
    if request.method == "POST":
        form = ConsentGiveForm(request.POST)
        if not form.is_valid():
            raise Http404
        services.consent_give(actor=request.portal_actor, client=client, kind=form.cleaned_data["kind"])
        messages.success(request, _("Thank you. Your consent is saved. You can withdraw it at any time."))
        return redirect("portal:consent")
    _log_view(request, "consent")
    history = list(consent_history(client))
    rows = []
    for kind, label in ConsentKind.choices:
        grants = [c for c in history if c.kind == kind and c.party is None]
        rows.append(
            {
                "kind": kind,
                "label": label,
                "explanation": CONSENT_EXPLANATIONS[kind],
                "active": next((c for c in grants if c.withdrawn_at is None), None),
                "history": grants,
            }
        )
    # Consents for one employer (given with a job proposal, docs/matching.md), newest first.
    parties = [c for c in history if c.party is not None]
    return _render(request, "portal/consent.html", {"rows": rows, "parties": parties}, section="consent")


CONSENT_EXPLANATIONS = {
    ConsentKind.EMPLOYER: gettext_lazy(
        "Your professional may share some things with your employer. For example: your goals in the plan you "
        "agreed with, and how far you are. Never anything about your health."
    ),
    ConsentKind.INTERVISION: gettext_lazy(
        "Professionals learn from each other in a group. They may talk about your situation. They do not use "
        "your name or other things that show who you are."
    ),
    ConsentKind.RESEARCH: gettext_lazy(
        "Researchers may use your data to learn what helps people find work. They do not see your name or "
        "other things that show who you are."
    ),
}


@client_page
@require_POST
def consent_withdraw(request, consent_id):
    found = get_for_actor(policies.client_consents(request.portal_actor).select_related("client"), consent_id)
    if not confirmed(request) and not found.withdrawn_at:
        _log_view(request, "consent withdrawal", found)
        what = found.party_name or found.get_kind_display()
        return confirmation_page(
            request,
            title=_("Do you want to withdraw your consent?"),
            consequences=[
                _("You withdraw your consent for: %(what)s.") % {"what": what},
                _("From now on we do not use it any more. What happened before stays as it is."),
                _("Do you change your mind later? Then you can give consent again."),
            ],
            confirm_label=_("Yes, withdraw my consent"),
            cancel_url=reverse("portal:consent"),
            base_template="portal/base.html",
            context={"section": "consent", "client": request.portal_client},
        )
    try:
        services.consent_withdraw(actor=request.portal_actor, consent=found)
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
    else:
        messages.success(request, _("Your consent is withdrawn. From now on we do not use it any more."))
    return redirect("portal:consent")


# Jobs proposed by the professional (docs/matching.md) -------------------------------------------------


def _jobs_page(request, forms=None, status=200):
    proposals = matching_selectors.client_proposals(request.portal_actor)
    values = matching_selectors.work_values()
    titles = values.titles() if values else {}
    forms = forms or {}
    rows = [
        {
            "proposal": proposal,
            "matched": [titles.get(key, key) for key in proposal.fit.get("matched", [])],
            "gaps": [titles.get(key, key) for key in proposal.fit.get("gaps", [])],
            "form": forms.get(proposal.pk) or JobResponseForm(prefix=f"p{proposal.pk}"),
        }
        for proposal in proposals
    ]
    _log_view(request, "jobs")
    availability = matching_selectors.candidate_profile(request.portal_client)
    return _render(
        request,
        "portal/jobs.html",
        {"rows": rows, "availability": availability},
        section="jobs",
        status=status,
    )


@client_page
@require_GET
def jobs(request):
    return _jobs_page(request)


@client_page
@require_POST
def job_respond(request, proposal_id):
    proposal = get_for_actor(
        matching_policies.client_job_proposals(request.portal_actor).select_related(
            "trajectory", "job__employer"
        ),
        proposal_id,
    )
    form = JobResponseForm(request.POST, prefix=f"p{proposal.pk}")
    if form.is_valid():
        data = form.cleaned_data

        def respond():
            with transaction.atomic():
                matching_services.proposal_respond(
                    actor=request.portal_actor,
                    proposal=proposal,
                    response=data["response"],
                    note=data["note"],
                )
                if data["response"] == "interested" and data["share"]:
                    employer = proposal.job.employer
                    services.consent_give(
                        actor=request.portal_actor,
                        client=request.portal_client,
                        kind=ConsentKind.EMPLOYER,
                        party=employer.uuid,
                        party_name=employer.name,
                    )

        if call_service(form, respond).saved:
            messages.success(request, _("Thank you. Your answer is saved. Your professional will see it."))
            return redirect("portal:jobs")
    return _jobs_page(request, forms={proposal.pk: form}, status=422)


@client_page
@require_http_methods(["GET", "POST"])
def availability(request):
    """The client writes when they can work and what they are good at, in their own words (docs/matching.md,
    "Availability and strengths"). While a trajectory of theirs is open; afterwards they read it."""
    actor = request.portal_actor
    trajectory = _trajectory(request)
    profile = matching_selectors.candidate_profile(request.portal_client)
    _log_view(request, "availability", profile)
    can_write = trajectory is not None and matching_policies.can_write_candidate_profile(actor, trajectory)
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    form = AvailabilityForm(posted(request), initial=AvailabilityForm.initial_from(profile))
    conflict = ""
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: matching_services.candidate_profile_save(
                actor=actor,
                trajectory=trajectory,
                base_version=form.cleaned_data["base_version"],
                **form.values(),
            ),
        )
        if outcome.saved:
            messages.success(request, _("Thank you. Your answers are saved. Your professional sees them."))
            return redirect("portal:jobs")
        # The service's message is written for staff; the client reads it at B1 level, in "u".
        conflict = STALE_EDIT_MESSAGE if outcome.conflict else ""
    return _render(
        request,
        "portal/availability.html",
        {
            "trajectory": trajectory,
            "profile": profile,
            "form": form,
            "can_write": can_write,
            "conflict": conflict,
        },
        section="jobs",
        status=422 if (form.errors or conflict) else 200,
    )


@client_page
@require_GET
def access_log(request):
    page, rows = selectors.access_log_page(request.portal_client, request.GET.get("page"))
    _log_view(request, "access log")
    emergency = any(row.emergency for row in rows)
    return _render(
        request,
        "portal/access_log.html",
        {"page": page, "rows": rows, "emergency": emergency},
        section="access_log",
    )


@client_page
@require_GET
def my_data(request):
    _log_view(request, "my data")
    context = {
        "kept": selectors.kept_about(request.portal_client),
        "privacy_contact": settings.WAARDEWERK_PRIVACY_CONTACT,
        "privacy_url": settings.WAARDEWERK_PRIVACY_URL,
    }
    return _render(request, "portal/my_data.html", context, section="my_data")


def _export_name(client, extension: str) -> str:
    """``mijn-gegevens-<last name>-<date>.<ext>`` with only ASCII letters, digits and hyphens."""

    name = unicodedata.normalize("NFKD", client.last_name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "client"
    return f"mijn-gegevens-{name}-{timezone.localdate().isoformat()}.{extension}"


@client_page
@require_GET
def export_json(request):
    data = export.collect(request.portal_client)
    audit_record(
        actor=request.portal_actor, action="export", obj=request.portal_client, detail={"format": "json"}
    )
    response = HttpResponse(export.to_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_export_name(request.portal_client, "json")
    )
    return response


@client_page
@require_GET
def export_pdf(request):
    language = request.GET.get("lang") or request.LANGUAGE_CODE
    data = export.collect(request.portal_client)
    pdf = export.to_pdf(data, language=language if language in ("nl", "en") else "nl")
    audit_record(
        actor=request.portal_actor, action="export", obj=request.portal_client, detail={"format": "pdf"}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_export_name(request.portal_client, "pdf")
    )
    return response
