"""Writes of the client portal. Each service checks the policy, validates, runs in one transaction and
records the access-log event; the client acts as a ``ClientActor`` (logged with ``on_behalf_of`` the
client and no user)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.clients.actor import ClientActor, is_client_actor
from waardewerk.clients.models import Client
from waardewerk.clients.validators import bsn_is_valid, normalise_bsn
from waardewerk.core import crypto, outbox
from waardewerk.core import tokens as core_tokens
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.instruments import services as instrument_services
from waardewerk.instruments.definition import Definition
from waardewerk.instruments.models import Instrument, Respondent
from waardewerk.portal import messaging, policies, projection, tokens
from waardewerk.portal.models import (
    Channel,
    ClientEvaluation,
    GoalProposal,
    PortalAccount,
    PortalInvitation,
    ProposalStatus,
    QuestionnaireRequest,
    Satisfaction,
)
from waardewerk.timeline.services import timeline_append
from waardewerk.trajectories import services as dossier_services
from waardewerk.trajectories.models import PlanVersion, PreferenceCorrection, Trajectory
from waardewerk.trajectories.plan import PlanContent
from waardewerk.trajectories.policies import refusal_to_change
from waardewerk.trajectories.services import plan_save

logger = logging.getLogger(__name__)
PROPOSAL_MAX = 1000
REASON_MAX = 500
OPEN_PROPOSALS_MAX = 10
CORRECTIONS_PER_CHOICE_MAX = 20
EVALUATION_TEXT_MAX = 2000
EVALUATION_CHANGES_MAX = 50


# Invitations and log-in -----------------------------------------------------------------------------------


class InvitationGone(Exception):
    """The link exists but no longer works: ``reason`` is used, expired or revoked."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def destination_for(client, channel: str) -> str:
    return (client.email if channel == Channel.EMAIL else client.phone).strip()


def _bilingual(render) -> str:
    parts = []
    for language in ("nl", "en"):
        with translation.override(language):
            parts.append(render())
    return "\n\n-----\n\n".join(parts)


def _invitation_message(client, invitation, link: str, organisation: str) -> messaging.Message:
    def expires():
        return formats.date_format(timezone.localtime(invitation.expires_at), "j F Y, H:i")

    def body():
        return _(
            "Dear %(name)s,\n\n"
            "%(professional)s invites you to My Waardewerk. There you see your trajectory, your goals "
            "and your appointments.\n\n"
            "Click this link to log in:\n%(link)s\n\n"
            "The link works once. It works until %(expires)s.\n"
            "After that you get a code of 6 digits. You type in that code.\n\n"
            "Did you not expect this message? Then do nothing. Questions? Call or e-mail your "
            "professional.\n\n%(organisation)s"
        ) % {
            "name": client.first_name,
            "professional": invitation.created_by.get_full_name() or invitation.created_by.get_username(),
            "link": link,
            "expires": expires(),
            "organisation": organisation,
        }

    def sms():
        return _("Log in to My Waardewerk with this link. It works once, until %(expires)s: %(link)s") % {
            "expires": expires(),
            "link": link,
        }

    with translation.override("nl"):
        subject = _("Your invitation for My Waardewerk")
    return messaging.Message(subject=subject, body=_bilingual(body), sms=_bilingual(sms))


def _code_message(code: str) -> messaging.Message:
    minutes = settings.WAARDEWERK_PORTAL_CODE_MINUTES

    def text():
        return _(
            "Your code for My Waardewerk is %(code)s. The code works for %(minutes)d minutes. "
            "Do not give this code to anyone."
        ) % {"code": code, "minutes": minutes}

    with translation.override("nl"):
        subject = _("Your code for My Waardewerk")
    body = _bilingual(text)
    return messaging.Message(subject=subject, body=body, sms=body)


def _queue(invitation, message: messaging.Message, *, key: str, purpose: str) -> None:
    """Hand a message for the client to the outbox (core.outbox), in the caller's transaction: the worker
    sends it after the commit, retries it with backoff and never sends it twice (``key``); a rolled-back
    change sends nothing. The request does not wait for the mail server or the SMS gateway."""
    sms = invitation.channel == Channel.SMS
    outbox.queue(
        key=key,
        channel=outbox.SMS if sms else outbox.EMAIL,
        destination=invitation.destination,
        subject="" if sms else message.subject,
        body=(message.sms or message.body) if sms else message.body,
        purpose=purpose,
    )


def invitation_send(*, actor, trajectory, channel: str, link_for) -> tuple[PortalInvitation, str]:
    """Invite the trajectory's client to the portal: a new one-time link, sent by e-mail or SMS (through
    the outbox) to the address or number in the client's personal data. An earlier link that was not used
    yet stops working (re-sending revokes it). ``link_for(token)`` makes the absolute URL. Returns the
    invitation and the token (shown to the professional only in development,
    ``WAARDEWERK_PORTAL_DEV_SECRETS``)."""
    if not policies.can_invite(actor, trajectory):
        raise PermissionDeniedError(
            _("Only who works on the trajectory invites the client or ends the portal access.")
        )
    client = trajectory.client
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose e-mail or text message.")})
    if channel == Channel.SMS and not messaging.sms_available():
        raise ValidationError({"channel": _("Text messages are not set up. Invite by e-mail.")})
    destination = destination_for(client, channel)
    if not destination:
        raise ValidationError(
            {
                "channel": _("The client has no e-mail address. Add it to the personal data first.")
                if channel == Channel.EMAIL
                else _("The client has no phone number. Add it to the personal data first.")
            }
        )
    now = timezone.now()
    token = tokens.new_token()
    with transaction.atomic():
        PortalAccount.objects.get_or_create(client=client)
        revoked = PortalInvitation.objects.filter(
            client=client, completed_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now, updated_at=now)
        invitation = PortalInvitation.objects.create(
            client=client,
            token_digest=tokens.token_digest(token),
            channel=channel,
            destination=destination,
            created_by=actor,
            expires_at=now + dt.timedelta(hours=settings.WAARDEWERK_PORTAL_INVITATION_HOURS),
        )
        message = _invitation_message(client, invitation, link_for(token), client.organisation.name)
        _queue(invitation, message, key=f"portal-invitation:{invitation.uuid}", purpose="portal invitation")
    audit_record(
        actor=actor,
        action="create",
        client=client,
        obj=invitation,
        detail={"channel": channel, "revoked_earlier": revoked},
    )
    return invitation, token


def portal_access_end(*, actor, trajectory) -> PortalAccount | None:
    """End the client's portal access: unused links stop working and open portal sessions end at once."""
    if not policies.can_invite(actor, trajectory):
        raise PermissionDeniedError(
            _("Only who works on the trajectory invites the client or ends the portal access.")
        )
    client = trajectory.client
    now = timezone.now()
    with transaction.atomic():
        PortalInvitation.objects.filter(
            client=client, completed_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now, updated_at=now)
        PortalAccount.objects.filter(client=client).update(
            revoked_at=now, revoked_by=actor, session_epoch=F("session_epoch") + 1
        )
        account = PortalAccount.objects.filter(client=client).first()
    audit_record(actor=actor, action="change", client=client, obj=client, detail={"portal": "access ended"})
    return account


def invitation_find(token: str) -> PortalInvitation:
    """The invitation of a link token. An unknown token raises ``PortalInvitation.DoesNotExist`` (the view
    answers 404); a known one that no longer works raises ``InvitationGone``."""
    invitation = core_tokens.find(PortalInvitation.objects.select_related("client"), token)
    if invitation is None:
        raise PortalInvitation.DoesNotExist
    status = invitation.status
    if status != "open":
        raise InvitationGone("used" if status in ("code", "spent", "done") else status)
    return invitation


def invitation_use(*, invitation: PortalInvitation) -> PortalInvitation:
    """The client opened the link (a POST): the link is used up now, and a one-time code goes to the same
    address or number (through the outbox, which retries it when the mail server or the gateway fails)."""
    now = timezone.now()
    code = tokens.new_code()
    code_digest = tokens.code_digest(code, salt=str(invitation.uuid))
    with transaction.atomic():
        used = PortalInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(
            used_at=now,
            code_digest=code_digest,
            code_expires_at=now + dt.timedelta(minutes=settings.WAARDEWERK_PORTAL_CODE_MINUTES),
            code_attempts=0,
            updated_at=now,
        )
        if not used:
            raise InvitationGone("used")
        key = f"portal-code:{invitation.uuid}:{code_digest[:32]}"
        _queue(invitation, _code_message(code), key=key, purpose="portal code")
    if settings.WAARDEWERK_PORTAL_DEV_SECRETS:
        logger.warning("DEVELOPMENT ONLY - portal code for invitation %s: %s", invitation.uuid, code)
    invitation.refresh_from_db()
    audit_record(
        actor=ClientActor(invitation.client),
        action="change",
        obj=invitation,
        detail={"event": "link opened, code sent", "channel": invitation.channel},
    )
    return invitation


class CodeRefused(ValidationError):
    """A wrong code; ``spent`` when no attempt is left (the client needs a new link)."""

    def __init__(self, message: str, *, spent: bool):
        self.spent = spent
        super().__init__(message)


def code_verify(*, invitation_uuid: str, code: str):
    """Check the one-time code of a used link. Returns (client, account) on success; raises ``CodeRefused``
    otherwise. After ``WAARDEWERK_PORTAL_CODE_ATTEMPTS`` wrong codes, or once the code expired, the link is
    spent and the client needs a new invitation."""
    now = timezone.now()
    limit = settings.WAARDEWERK_PORTAL_CODE_ATTEMPTS
    spent_message = _(
        "This code no longer works. Ask your professional for a new link. You then get a new code."
    )
    with transaction.atomic():
        invitation = (
            PortalInvitation.objects.select_for_update()
            .select_related("client")
            .filter(uuid=invitation_uuid)
            .first()
        )
        if (
            invitation is None
            or invitation.completed_at
            or invitation.revoked_at
            or not invitation.code_digest
            or invitation.code_expires_at is None
            or invitation.code_expires_at <= now
            or invitation.code_attempts >= limit
        ):
            raise CodeRefused(spent_message, spent=True)
        expected = invitation.code_digest
        given = tokens.code_digest(tokens.normalise_code(code), salt=str(invitation.uuid))
        if not tokens.digests_match(expected, given):
            attempts = invitation.code_attempts + 1
            values = {"code_attempts": attempts, "updated_at": now}
            if attempts >= limit:
                values["code_digest"] = ""  # spent: no later attempt can match
            PortalInvitation.objects.filter(pk=invitation.pk).update(**values)
            failed = invitation
        else:
            failed = None
            invitation.completed_at = now
            invitation.code_digest = ""
            invitation.save(update_fields=["completed_at", "code_digest", "updated_at"])
            account, _created = PortalAccount.objects.get_or_create(client=invitation.client)
            account.activated_at = account.activated_at or now
            account.last_login_at = now
            account.revoked_at = None
            account.revoked_by = None
            account.save()
    client = invitation.client if invitation else None
    if failed is not None:
        left = limit - attempts
        audit_record(
            actor=ClientActor(client),
            action="change",
            obj=failed,
            detail={"event": "wrong code", "attempts": attempts},
        )
        if left <= 0:
            raise CodeRefused(spent_message, spent=True)
        raise CodeRefused(
            _("This code is not correct. You can try %(n)d more time(s).") % {"n": left}, spent=False
        )
    audit_record(actor=ClientActor(client), action="view", obj=client, detail={"event": "portal log-in"})
    return client, account


def oidc_login(*, bsn: str):
    """The client an identity provider vouched for, by BSN: a client whom a professional invited to the
    portal (the account exists and was not ended). Raises ``ValidationError`` otherwise."""

    value = normalise_bsn(bsn or "")
    refused = ValidationError(
        _(
            "We cannot find a portal account for you. Your professional invites you to the portal first. "
            "Then you can also log in this way."
        )
    )
    if not bsn_is_valid(value):
        raise refused
    candidates = list(
        Client.objects.select_related("portal_account")
        .filter(bsn_index__in=crypto.blind_indexes(value), portal_account__revoked_at__isnull=True)
        .exclude(bsn="")
    )
    found = [c for c in candidates if c.bsn == value]  # the index matched; the decrypted value decides
    if len(found) != 1:
        raise refused
    client = found[0]
    now = timezone.now()
    with transaction.atomic():
        account = PortalAccount.objects.select_for_update().get(client=client)
        account.activated_at = account.activated_at or now
        account.last_login_at = now
        account.save(update_fields=["activated_at", "last_login_at"])
    audit_record(
        actor=ClientActor(client), action="view", obj=client, detail={"event": "portal log-in", "via": "oidc"}
    )
    return client, account


# Questionnaires -------------------------------------------------------------------------------------------


def portal_instruments() -> dict[str, object]:
    """Instruments a client can fill in: those whose definition lists the client as a respondent."""

    out = {}
    for instrument in Instrument.objects.select_related("current").exclude(current=None).order_by("key"):
        if "client" in (instrument.current.definition.get("respondents") or ()):
            out[instrument.key] = instrument
    return out


def questionnaire_request(*, actor, trajectory, key: str) -> QuestionnaireRequest:
    if not policies.can_ask_questionnaire(actor, trajectory):
        raise PermissionDeniedError(refusal_to_change(trajectory))
    instrument = portal_instruments().get(key)
    if instrument is None:
        raise ValidationError({"instrument": _("Choose a questionnaire the client can fill in.")})
    try:
        with transaction.atomic():
            request = QuestionnaireRequest.objects.create(
                trajectory=trajectory, instrument=instrument, requested_by=actor
            )
            timeline_append(projection.questionnaire_requested(request, instrument.current))
    except IntegrityError:
        raise ValidationError(
            {"instrument": _("The client was already asked to fill in this questionnaire.")}
        ) from None
    audit_record(
        actor=actor, action="create", client=trajectory.client, obj=request, detail={"instrument": key}
    )
    return request


def questionnaire_cancel(*, actor, request: QuestionnaireRequest) -> QuestionnaireRequest:
    if not policies.can_ask_questionnaire(actor, request.trajectory):
        raise PermissionDeniedError(refusal_to_change(request.trajectory))
    if not request.is_open:
        raise PermissionDeniedError(_("This request is finished or cancelled already."))
    now = timezone.now()
    with transaction.atomic():
        QuestionnaireRequest.objects.filter(pk=request.pk).update(cancelled_at=now, updated_at=now)
        request.cancelled_at = now
        timeline_append(projection.questionnaire_cancelled(request, request.instrument.current, actor=actor))
    audit_record(
        actor=actor,
        action="change",
        client=request.trajectory.client,
        obj=request,
        detail={"cancelled": True},
    )
    return request


def questionnaire_save(*, actor, request: QuestionnaireRequest, answers: dict, notes: dict, submit: bool):
    """The client saves their answers (``submit=False``: a draft to finish later) or sends them. Errors are
    those of ``instruments.services.measurement_save``; a draft is linked to the request either way."""

    trajectory = request.trajectory
    if not (is_client_actor(actor) and policies.can_client_write(actor, trajectory) and request.is_open):
        raise PermissionDeniedError
    draft = request.measurement if request.measurement_id and request.measurement.is_draft else None
    version = draft.instrument_version if draft else request.instrument.current
    definition = Definition(version.definition)
    framing = draft.framing if draft else definition.default_framing(Respondent.CLIENT, trajectory.context)
    try:
        measurement = instrument_services.measurement_save(
            actor=actor,
            trajectory=trajectory,
            version=version,
            respondent=Respondent.CLIENT,
            framing=framing or "",
            taken_on=timezone.localdate(),
            answers=answers,
            notes=notes,
            submit=submit,
            draft=draft,
            by_client=True,
        )
    except instrument_services.DraftSavedWithErrors as exc:
        _link(request, exc.measurement, completed=False)
        raise
    _link(request, measurement, completed=not measurement.is_draft)
    return measurement


def _link(request: QuestionnaireRequest, measurement, *, completed: bool) -> None:
    now = timezone.now()
    values = {"measurement": measurement, "updated_at": now}
    if completed:
        values["completed_at"] = now
    QuestionnaireRequest.objects.filter(pk=request.pk).update(**values)
    request.measurement = measurement
    if completed:
        request.completed_at = now


# Goals ------------------------------------------------------------------------------------------------------


def _latest_plan(trajectory):
    version = PlanVersion.objects.filter(trajectory=trajectory).order_by("-number").first()
    return version, (PlanContent.from_json(version.content) if version else PlanContent())


def agreed_plan(trajectory):
    """The newest plan version the client agreed with, and its content; (None, None) without one."""
    version = (
        PlanVersion.objects.filter(trajectory=trajectory, agreements__isnull=False)
        .order_by("-number")
        .distinct()
        .first()
    )
    return version, (PlanContent.from_json(version.content) if version else None)


def preference_correct(*, actor, trajectory, choice_key: str, text: str) -> PreferenceCorrection:
    """The client corrects their preference for a choice of the agreed plan, in their own words. The plan
    is not changed; the professional sees the correction (plan page, timeline)."""
    if not policies.can_client_write(actor, trajectory):
        raise PermissionDeniedError
    version, content = agreed_plan(trajectory)
    choice = next((c for c in content.choices if c.key == choice_key), None) if content else None
    if choice is None:
        raise PermissionDeniedError
    text = " ".join((text or "").split()) if isinstance(text, str) else ""
    errors = {}
    if not text:
        errors["text"] = _("Write what you want, in your own words.")
    elif len(text) > PROPOSAL_MAX:
        errors["text"] = _("Use at most %(max)d characters (now %(n)d).") % {
            "max": PROPOSAL_MAX,
            "n": len(text),
        }
    elif "\x00" in text:
        errors["text"] = _("This text contains characters that cannot be stored.")
    elif text == " ".join(choice.preference.split()):
        errors["text"] = _("These are the same words as now. Change the words, or go back.")
    if (
        PreferenceCorrection.objects.filter(trajectory=trajectory, choice_key=choice_key).count()
        >= CORRECTIONS_PER_CHOICE_MAX
    ):
        errors["__all__"] = _("You have changed this many times. Talk about it with your professional.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        correction = PreferenceCorrection.objects.create(
            trajectory=trajectory,
            plan_version=version,
            choice_key=choice_key,
            previous_text=choice.preference,
            text=text,
        )
        timeline_append(projection.preference_corrected(correction))
    audit_record(
        actor=actor, action="create", client=trajectory.client, obj=correction, detail={"choice": choice_key}
    )
    return correction


def goal_propose(*, actor, trajectory, text: str, goal_key: str = "") -> GoalProposal:
    """The client proposes a new goal, or new words for a goal of the current plan (``goal_key``)."""
    if not policies.can_client_write(actor, trajectory):
        raise PermissionDeniedError
    text = " ".join((text or "").split())
    errors = {}
    if not text:
        errors["text"] = _("Write your goal in your own words.")
    elif len(text) > PROPOSAL_MAX:
        errors["text"] = _("Use at most %(max)d characters (now %(n)d).") % {
            "max": PROPOSAL_MAX,
            "n": len(text),
        }
    original = ""
    if goal_key:
        _version, content = _latest_plan(trajectory)
        goal = content.goal(goal_key)
        if goal is None:
            raise PermissionDeniedError
        original = goal.text
        if text and text == goal.text:
            errors["text"] = _("These are the same words as now. Change the words, or go back.")
    if (
        GoalProposal.objects.filter(trajectory=trajectory, status=ProposalStatus.OPEN).count()
        >= OPEN_PROPOSALS_MAX
    ):
        errors["__all__"] = _(
            "You have %(n)d proposals waiting. Wait until your professional has looked at them."
        ) % {"n": OPEN_PROPOSALS_MAX}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = GoalProposal.objects.create(
            trajectory=trajectory, goal_key=goal_key, original_text=original, text=text
        )
        timeline_append(projection.goal_proposed(proposal))
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=proposal,
        detail={"goal": goal_key or "new"},
    )
    return proposal


def _require_decision(actor, proposal: GoalProposal) -> None:
    if not policies.can_decide_proposal(actor, proposal):
        raise PermissionDeniedError(refusal_to_change(proposal.trajectory))
    if proposal.status != ProposalStatus.OPEN:
        raise PermissionDeniedError(_("This proposal is decided already."))


def goal_proposal_accept(*, actor, proposal: GoalProposal, text: str = "") -> GoalProposal:
    """Take the client's proposal into a new version of the plan (``trajectories.services.plan_save``), in
    the client's words or in words the professional and the client agreed on (``text``)."""

    _require_decision(actor, proposal)
    words = " ".join((text or proposal.text).split())
    if not words:
        raise ValidationError({"text": _("Write the goal, in the client's own words.")})
    trajectory = proposal.trajectory
    version, content = _latest_plan(trajectory)
    goals = [asdict(g) for g in content.goals]
    if proposal.goal_key:
        target = next((g for g in goals if g["key"] == proposal.goal_key), None)
        if target is None:
            raise ValidationError(
                _("This goal is no longer in the plan. Decline the proposal with a reason.")
            )
        target["text"] = words
        reason = _("New words for a goal, proposed by the client in the portal.")
    else:
        goals.append({"key": "", "text": words, "values": [], "determinants": [], "status": "active"})
        reason = _("New goal, proposed by the client in the portal.")
    with transaction.atomic():
        new_version = plan_save(
            actor=actor,
            trajectory=trajectory,
            goals=goals,
            choices=[asdict(c) for c in content.choices],
            reason=reason,
            base_number=version.number if version else 0,
        )
        now = timezone.now()
        updated = GoalProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.OPEN).update(
            status=ProposalStatus.ACCEPTED,
            decided_by=actor,
            decided_at=now,
            plan_version=new_version,
            updated_at=now,
        )
        if not updated:
            raise PermissionDeniedError
        proposal.refresh_from_db()
        timeline_append(projection.goal_decided(proposal))
    audit_record(
        actor=actor,
        action="change",
        client=trajectory.client,
        obj=proposal,
        detail={"decision": "accepted", "plan_version": new_version.number},
    )
    return proposal


def goal_proposal_decline(*, actor, proposal: GoalProposal, reason: str) -> GoalProposal:
    _require_decision(actor, proposal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell the client in a few words why not.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Use at most %(max)d characters (now %(n)d).")
                % {"max": REASON_MAX, "n": len(reason)}
            }
        )
    now = timezone.now()
    with transaction.atomic():
        updated = GoalProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.OPEN).update(
            status=ProposalStatus.DECLINED,
            decided_by=actor,
            decided_at=now,
            decision_reason=reason,
            updated_at=now,
        )
        if not updated:
            raise PermissionDeniedError
        proposal.refresh_from_db()
        timeline_append(projection.goal_decided(proposal))
    audit_record(
        actor=actor,
        action="change",
        client=proposal.trajectory.client,
        obj=proposal,
        detail={"decision": "declined"},
    )
    return proposal


# Consent ----------------------------------------------------------------------------------------------------


def _open_trajectory_id(client) -> int | None:
    return (
        Trajectory.objects.filter(client=client, end_date__isnull=True).values_list("pk", flat=True).first()
    )


def consent_give(*, actor, client, kind: str, party=None, party_name="", valid_until=None):
    """``trajectories.services.consent_give`` (the client in the portal, or a professional who records
    it; in general or for one party; optionally until an end date), and the change in the timeline of the
    client's open trajectory."""
    now = timezone.now()
    with transaction.atomic():
        consent = dossier_services.consent_give(
            actor=actor,
            client=client,
            kind=kind,
            now=now,
            party=party,
            party_name=party_name,
            valid_until=valid_until,
        )
        trajectory_id = _open_trajectory_id(client) if consent.given_at == now else None
        if trajectory_id is not None:
            timeline_append(projection.consent_changed(consent, trajectory_id=trajectory_id, given=True))
    return consent


def consent_withdraw(*, actor, consent):
    """``trajectories.services.consent_withdraw``, and the change in the timeline of the open trajectory."""
    with transaction.atomic():
        consent = dossier_services.consent_withdraw(actor=actor, consent=consent)
        trajectory_id = _open_trajectory_id(consent.client)
        if trajectory_id is not None:
            timeline_append(projection.consent_changed(consent, trajectory_id=trajectory_id, given=False))
    return consent


# The client's own evaluation --------------------------------------------------------------------------------


def client_evaluation_save(
    *,
    actor,
    trajectory,
    went_well: str = "",
    was_hard: str = "",
    advice: str = "",
    satisfaction: int | str | None = None,
) -> ClientEvaluation:
    """The client writes, or changes, their own evaluation (docs/portal.md): in the evaluation phase of their
    open trajectory; every part optional, at least one given. The timeline's entry is replaced with it."""
    if not policies.can_client_evaluate(actor, trajectory):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    texts = {}
    for name, value in (("went_well", went_well), ("was_hard", was_hard), ("advice", advice)):
        value = (value or "").strip() if isinstance(value, str) else ""
        if len(value) > EVALUATION_TEXT_MAX:
            errors[name] = _("Use at most %(max)d characters (now %(n)d).") % {
                "max": EVALUATION_TEXT_MAX,
                "n": len(value),
            }
        elif "\x00" in value:
            errors[name] = _("This text contains characters that cannot be stored.")
        texts[name] = value
    if satisfaction in ("", None):
        satisfaction = None
    else:
        try:
            satisfaction = int(satisfaction)
        except (TypeError, ValueError):
            satisfaction = 0
        if satisfaction not in Satisfaction.values:
            errors["satisfaction"] = _("Choose one of the answers.")
    if not errors and not any(texts.values()) and satisfaction is None:
        errors["__all__"] = _("Write something in one of the boxes, or choose how satisfied you are.")
    existing = ClientEvaluation.objects.filter(trajectory=trajectory).first()
    if existing is not None and existing.changes >= EVALUATION_CHANGES_MAX:
        errors["__all__"] = _("You have changed this many times. Talk about it with your professional.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if existing is None:
            evaluation = ClientEvaluation.objects.create(
                trajectory=trajectory, satisfaction=satisfaction, **texts
            )
            action = "create"
        else:
            evaluation = existing
            for name, value in texts.items():
                setattr(evaluation, name, value)
            evaluation.satisfaction = satisfaction
            evaluation.changes += 1
            evaluation.save()
            action = "change"
        timeline_append(projection.client_evaluated(evaluation), replace=True)
    audit_record(actor=actor, action=action, client=trajectory.client, obj=evaluation)
    return evaluation
