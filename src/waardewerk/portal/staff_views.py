"""The professional's side of the portal: the trajectory's portal page (status, invitations, questionnaire
requests, the client's goal proposals and consents) and its forms. Access as for the dossier."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waardewerk.clients.selectors import consent_history
from waardewerk.core.access import get_for_actor
from waardewerk.core.confirm import confirmation_page, confirmed
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service
from waardewerk.instruments.definition import Definition
from waardewerk.portal import messaging, policies, selectors, services
from waardewerk.portal.forms import (
    AcceptProposalForm,
    DeclineProposalForm,
    InviteForm,
    QuestionnaireRequestForm,
    StaffConsentForm,
)
from waardewerk.trajectories.policies import can_edit_client, refusal_to_change, visible_consents
from waardewerk.trajectories.selectors import readable_trajectory
from waardewerk.trajectories.services import client_read_record, dossier_read_record


def _trajectory(request, trajectory_id):
    """The trajectory whose portal page this request shows (also again with a form's errors): logged as
    read unless the answer is a redirect (404 outside the actor's scope, 403 for one they know of)."""
    trajectory = readable_trajectory(
        request.user, trajectory_id, selectors.staff_portal_queryset(request.user)
    )
    dossier_read_record(actor=request.user, trajectory=trajectory, detail={"page": "portal"})
    return trajectory


def _instrument_choices():
    return [(key, Definition(i.current.definition).title) for key, i in services.portal_instruments().items()]


def staff_context(request, trajectory, **forms) -> dict:
    status = selectors.portal_status(trajectory)
    return {
        "trajectory": trajectory,
        "status": status,
        "can_ask": policies.can_ask_questionnaire(request.user, trajectory),
        "can_invite": policies.can_invite(request.user, trajectory),
        "invite_form": forms.get("invite_form") or InviteForm(sms=messaging.sms_available()),
        "request_form": forms.get("request_form")
        or QuestionnaireRequestForm(instruments=_instrument_choices()),
        "consent_form": forms.get("consent_form") or StaffConsentForm(),
        "consents": list(consent_history(trajectory.client)),
        "dev_link": forms.get("dev_link"),
        "decline_errors": forms.get("decline_errors") or {},
    }


@require_GET
def page(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id)
    return render(request, "portal/staff.html", staff_context(request, trajectory))


@require_POST
def invite(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id)
    form = InviteForm(request.POST, sms=messaging.sms_available())
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.invitation_send(
                actor=request.user,
                trajectory=trajectory,
                channel=form.cleaned_data["channel"],
                link_for=lambda t: request.build_absolute_uri(reverse("portal:invitation", args=[t])),
            ),
        )
        if outcome.saved:
            invitation, token = outcome.result
            text = _(
                "The invitation is sent by %(channel)s to %(to)s. The link works for %(hours)d hours."
            ) % {
                "channel": invitation.get_channel_display().lower(),
                "to": messaging.mask(invitation.channel, invitation.destination),
                "hours": settings.WAARDEWERK_PORTAL_INVITATION_HOURS,
            }
            messages.success(request, text)
            if settings.WAARDEWERK_PORTAL_DEV_SECRETS:
                # Development only: the demo works without mail. The token is never stored.
                dev_link = request.build_absolute_uri(reverse("portal:invitation", args=[token]))
                return render(
                    request, "portal/staff.html", staff_context(request, trajectory, dev_link=dev_link)
                )
            return redirect("portal:staff", trajectory_id=trajectory.uuid)
    return render(
        request, "portal/staff.html", staff_context(request, trajectory, invite_form=form), status=422
    )


@require_POST
def end_access(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id)
    if not confirmed(request):
        if not policies.can_invite(request.user, trajectory):
            raise PermissionDeniedError(
                _("Only who works on the trajectory invites the client or ends the portal access.")
            )
        return confirmation_page(
            request,
            title=_("End the portal access of %(name)s?") % {"name": trajectory.client.full_name},
            consequences=[
                _("The client can no longer log in to the portal; an open portal session ends at once."),
                _("Links and codes sent earlier stop working."),
                _("To give access again, you send a new invitation."),
            ],
            confirm_label=_("Yes, end the portal access"),
            cancel_url=reverse("portal:staff", args=[trajectory.uuid]),
        )
    services.portal_access_end(actor=request.user, trajectory=trajectory)
    messages.success(request, _("The client's portal access has ended. Open links no longer work."))
    return redirect("portal:staff", trajectory_id=trajectory.uuid)


@require_POST
def ask_questionnaire(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id)
    if not policies.can_ask_questionnaire(request.user, trajectory):
        raise PermissionDeniedError(refusal_to_change(trajectory))
    form = QuestionnaireRequestForm(request.POST, instruments=_instrument_choices())
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.questionnaire_request(
                actor=request.user, trajectory=trajectory, key=form.cleaned_data["instrument"]
            ),
        )
        if outcome.saved:
            messages.success(request, _("The client sees the request in the portal."))
            return redirect("portal:staff", trajectory_id=trajectory.uuid)
    return render(
        request, "portal/staff.html", staff_context(request, trajectory, request_form=form), status=422
    )


@require_POST
def cancel_request(request, request_id):
    found = get_for_actor(
        policies.visible_requests(request.user).select_related("trajectory__client"), request_id
    )
    services.questionnaire_cancel(actor=request.user, request=found)
    messages.success(request, _("The request is cancelled."))
    return redirect("portal:staff", trajectory_id=found.trajectory.uuid)


def _proposal(request, proposal_id):
    return get_for_actor(
        policies.visible_proposals(request.user).select_related("trajectory__client"), proposal_id
    )


@require_POST
def accept_proposal(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    form = AcceptProposalForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    try:
        services.goal_proposal_accept(actor=request.user, proposal=proposal, text=text)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The goal is in the plan now (a new version). The client sees it."))
    return redirect("portal:staff", trajectory_id=proposal.trajectory.uuid)


@require_POST
def decline_proposal(request, proposal_id):
    proposal = _proposal(request, proposal_id)
    form = DeclineProposalForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.goal_proposal_decline(
                actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            ),
        )
        if outcome.saved:
            messages.success(request, _("The client sees your answer in the portal."))
            return redirect("portal:staff", trajectory_id=proposal.trajectory.uuid)
    trajectory = _trajectory(request, proposal.trajectory.uuid)
    return render(
        request,
        "portal/staff.html",
        staff_context(request, trajectory, decline_errors={proposal.pk: form}),
        status=422,
    )


@require_POST
def record_consent(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id)
    form = StaffConsentForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.consent_give(
                actor=request.user,
                client=trajectory.client,
                kind=form.cleaned_data["kind"],
                valid_until=form.cleaned_data.get("valid_until"),
            ),
        )
        if outcome.saved:
            messages.success(request, _("The consent is recorded, from now on."))
            return redirect("portal:staff", trajectory_id=trajectory.uuid)
    return render(
        request, "portal/staff.html", staff_context(request, trajectory, consent_form=form), status=422
    )


@require_POST
def withdraw_consent(request, consent_id):
    consent = get_for_actor(visible_consents(request.user).select_related("client"), consent_id)
    trajectory_id = request.POST.get("trajectory", "")
    trajectory = (
        get_for_actor(selectors.staff_portal_queryset(request.user), trajectory_id) if trajectory_id else None
    )
    back = (
        reverse("portal:staff", args=[trajectory.uuid])
        if trajectory is not None
        else reverse("clients:dossier", args=[consent.client.uuid])
    )
    if not confirmed(request) and not consent.withdrawn_at:
        if not can_edit_client(request.user, consent.client):
            raise PermissionDeniedError(_("You can read this dossier but not record consent in it."))
        client_read_record(actor=request.user, client=consent.client, detail={"page": "consent withdrawal"})
        return confirmation_page(
            request,
            title=_("Record that %(name)s withdraws this consent?") % {"name": consent.client.full_name},
            consequences=[
                _("The consent “%(kind)s” ends from now on. What was done while it was given stays valid.")
                % {"kind": consent.get_kind_display()},
                _("The client sees the withdrawal in the portal and can give new consent later."),
            ],
            confirm_label=_("Yes, record the withdrawal"),
            cancel_url=back,
        )
    try:
        services.consent_withdraw(actor=request.user, consent=consent)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consent is withdrawn, from now on."))
    return redirect(back)
