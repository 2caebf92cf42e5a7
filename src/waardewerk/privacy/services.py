"""Retention, erasure, legal holds and data-subject requests (docs/privacy.md).

One erasure service serves both the retention run and a request for erasure: ``erase_client`` destroys a
client's file as a whole (every trajectory with everything in it, the portal account, consents, holds
that were lifted) in one transaction, refuses while a legal hold is active, and leaves an
``ErasureRecord`` (that it happened, when, why, the number of rows per record type, and per trajectory the
facts statistics need without a person) and one access-log event pointing at it. The access log's rows
stay as they are (they name public ids, never what a record held), so ``audit verify`` still passes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.accounts.models import LoginAttempt
from waardewerk.audit.services import audit_record
from waardewerk.clients.models import Client
from waardewerk.core import prepared
from waardewerk.core.access import require
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.core.retention import BY_KEY
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.portal.models import PortalInvitation
from waardewerk.privacy import policies
from waardewerk.privacy.models import (
    DataSubjectRequest,
    ErasureCause,
    ErasureRecord,
    LegalHold,
    RequestKind,
    RequestStatus,
    one_month_after,
)
from waardewerk.trajectories.models import Trajectory

logger = logging.getLogger(__name__)


class ErasureRefused(PermissionDeniedError):
    """The file may not be destroyed now; the message says why (a legal hold and its reason, an open
    trajectory)."""


# Erasure --------------------------------------------------------------------------------------------------


def _month(day: dt.date | None) -> str:
    return day.strftime("%Y-%m") if day else ""


def _refusal(client: Client, *, cause: str) -> str:
    hold = LegalHold.objects.filter(client=client, lifted_at__isnull=True).order_by("created_at").first()
    if hold is not None:
        return _("The file is under a legal hold since %(date)s: %(reason)s") % {
            "date": timezone.localtime(hold.created_at).strftime("%d-%m-%Y"),
            "reason": hold.reason,
        }
    if Trajectory.objects.filter(client=client, end_date__isnull=True).exists():
        return _("The client has an open trajectory: close it first (the file is needed for the work).")
    return ""


def erase_client(
    *, actor, client: Client, cause: str, rule: str = "", request: DataSubjectRequest | None = None
) -> ErasureRecord:
    """Destroy a client's whole file. ``actor`` is the user who asked (a request) or None (the retention
    run, a system action). Raises ``ErasureRefused`` under an active legal hold or with an open
    trajectory."""
    with transaction.atomic():
        # Lock the client: a hold set at the same moment either comes first (and refuses) or waits.
        locked = Client.objects.select_for_update().filter(pk=client.pk).first()
        if locked is None:
            raise ErasureRefused(_("The client's file no longer exists."))
        refusal = _refusal(locked, cause=cause)
        if refusal:
            raise ErasureRefused(refusal)
        trajectories = list(Trajectory.objects.filter(client=locked).order_by("start_date", "id"))
        facts = [
            {
                "team": t.team_id,
                "context": t.context,
                "start": _month(t.start_date),
                "end": _month(t.end_date),
                "end_reason": t.end_reason,
            }
            for t in trajectories
        ]
        counts: Counter = Counter()
        _deleted, per_model = Trajectory.objects.filter(client=locked).delete()
        counts.update(per_model)
        # What names the client beyond the cascade: requests stay (proof of handling) without their texts.
        DataSubjectRequest.objects.filter(client=locked).update(description="", handling="", answer="")
        client_uuid = locked.uuid
        _deleted, per_model = Client.objects.filter(pk=locked.pk).delete()
        counts.update(per_model)
        record = ErasureRecord.objects.create(
            organisation_id=locked.organisation_id,
            cause=cause,
            rule=rule,
            request=request,
            erased_by=actor if getattr(actor, "is_authenticated", False) else None,
            counts=dict(sorted((label, n) for label, n in counts.items() if n)),
            trajectories=facts,
        )
        audit_record(
            actor=actor,
            action="delete",
            client=client_uuid,
            obj=record,
            on_behalf_of="" if actor is not None else "retention",
            detail={"cause": cause, "rule": rule, "trajectories": len(facts), "rows": sum(counts.values())},
        )
    return record


# The retention plan and run -------------------------------------------------------------------------------


@dataclass
class RulePlan:
    rule: object
    cutoff: dt.datetime
    count: int = 0
    held: int = 0
    clients: list = field(default_factory=list)  # client_file only: the clients whose file would go


def _cutoff(rule, now) -> dt.datetime:
    return now - dt.timedelta(days=rule.days)


def expired_clients(cutoff: dt.date, *, organisation_id=None):
    """Clients whose file's term has passed: no open trajectory, and the last trajectory ended before the
    cutoff (a client registered without a trajectory: registered before it)."""
    open_ = Trajectory.objects.filter(client=OuterRef("pk"), end_date__isnull=True)
    any_ = Trajectory.objects.filter(client=OuterRef("pk"))
    qs = (
        Client.objects.annotate(last_end=Max("trajectories__end_date"))
        .filter(~Exists(open_))
        .filter(Q(last_end__lt=cutoff) | Q(~Exists(any_), created_at__date__lt=cutoff))
    )
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs


def _held():
    return Exists(LegalHold.objects.filter(client=OuterRef("pk"), lifted_at__isnull=True))


def _invitations(cutoff):
    spent = Q(used_at__lt=cutoff) & (Q(code_expires_at__isnull=True) | Q(code_expires_at__lt=cutoff))
    return PortalInvitation.objects.filter(spent | Q(used_at__isnull=True, expires_at__lt=cutoff))


def _querysets(rule_key, cutoff, organisation_id):
    """The rows a rule would remove now (client_file aside)."""
    if rule_key == "login_attempts":
        return None if organisation_id is not None else LoginAttempt.objects.filter(at__lt=cutoff)
    if rule_key == "portal_invitations":
        qs = _invitations(cutoff)
        return qs if organisation_id is None else qs.filter(client__organisation_id=organisation_id)
    if rule_key == "prepared_files":
        qs = prepared.expired()
        return qs if organisation_id is None else qs.filter(requested_by__organisation_id=organisation_id)
    if rule_key == "measurement_drafts":
        qs = Measurement.objects.filter(status=MeasurementStatus.DRAFT, updated_at__lt=cutoff)
        return qs if organisation_id is None else qs.filter(trajectory__organisation_id=organisation_id)
    return None


def plan(*, organisation_id=None, now=None, list_clients: bool = False) -> list[RulePlan]:
    """What a run would remove now, per rule (nothing is changed). Login attempts belong to no
    organisation and are counted only for the whole installation."""
    now = now or timezone.now()
    result = []
    for rule in BY_KEY.values():
        cutoff = _cutoff(rule, now)
        entry = RulePlan(rule=rule, cutoff=cutoff)
        if rule.key == "client_file":
            expired = expired_clients(timezone.localtime(cutoff).date(), organisation_id=organisation_id)
            expired = expired.annotate(held=_held())
            entry.count = expired.filter(held=False).count()
            entry.held = expired.filter(held=True).count()
            if list_clients:
                entry.clients = list(expired.filter(held=False).order_by("last_end", "id")[:200])
        elif rule.automatic:
            qs = _querysets(rule.key, cutoff, organisation_id)
            entry.count = qs.count() if qs is not None else 0
        result.append(entry)
    return result


def run(*, now=None, dry_run: bool = False) -> dict:
    """Apply every automatic rule to the whole installation. Each client's file is erased in its own
    transaction, so a refusal (a hold set meanwhile) or an error leaves the others to go on. Returns the
    counts per rule (and ``refused`` for files that stayed)."""
    now = now or timezone.now()
    if dry_run:
        return {entry.rule.key: entry.count for entry in plan(now=now)}
    done: dict = {}
    refused = 0
    for rule in BY_KEY.values():
        if not rule.automatic:
            continue
        cutoff = _cutoff(rule, now)
        if rule.key == "client_file":
            expired = expired_clients(timezone.localtime(cutoff).date()).annotate(held=_held())
            erased = 0
            for client in expired.filter(held=False).order_by("id").iterator():
                try:
                    erase_client(actor=None, client=client, cause=ErasureCause.RETENTION, rule=rule.key)
                except ErasureRefused:
                    refused += 1
                else:
                    erased += 1
            done[rule.key] = erased
        else:
            qs = _querysets(rule.key, cutoff, None)
            done[rule.key], _per_model = qs.delete() if qs is not None else (0, {})
    done["refused"] = refused
    if any(done.values()):
        audit_record(
            actor=None,
            action="delete",
            object_type="privacy.retention_run",
            on_behalf_of="retention",
            detail={key: value for key, value in done.items() if value},
        )
    logger.info("retention run", extra={"retention": done})
    return done


# Legal holds ----------------------------------------------------------------------------------------------


def hold_set(*, actor, client: Client, reason: str) -> LegalHold:
    require(policies.can_manage_privacy(actor) and client.organisation_id == actor.organisation_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the legal hold.")})
    with transaction.atomic():
        hold = LegalHold.objects.create(client=client, reason=reason, set_by=actor)
        # The reason stays in the hold (encrypted), not in the access log, which outlives the file.
        audit_record(actor=actor, action="create", client=client, obj=hold, detail={"legal_hold": "set"})
    return hold


def hold_lift(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    require(policies.can_manage_privacy(actor))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for lifting the legal hold.")})
    with transaction.atomic():
        updated = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=actor, lift_reason=reason
        )
        if not updated:
            raise ConcurrentEditError(_("This legal hold was lifted already."))
        hold.refresh_from_db()
        audit_record(
            actor=actor, action="change", client=hold.client, obj=hold, detail={"legal_hold": "lifted"}
        )
    return hold


# Data-subject requests ------------------------------------------------------------------------------------


def request_register(
    *, actor, client: Client, kind: str, received_on: dt.date, description: str
) -> DataSubjectRequest:
    require(policies.can_manage_privacy(actor) and client.organisation_id == actor.organisation_id)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose the kind of request.")})
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("The date of receipt cannot be in the future.")})
    with transaction.atomic():
        found = DataSubjectRequest.objects.create(
            organisation_id=client.organisation_id,
            client=client,
            kind=kind,
            received_on=received_on,
            deadline=one_month_after(received_on),
            description=description,
            registered_by=actor,
        )
        audit_record(actor=actor, action="create", client=client, obj=found, detail={"kind": kind})
    return found


def request_update(
    *,
    actor,
    found: DataSubjectRequest,
    version: int,
    status: str,
    handling: str,
    answer: str,
    extend_reason: str = "",
) -> DataSubjectRequest:
    require(policies.can_manage_privacy(actor) and found.organisation_id == actor.organisation_id)
    if status not in RequestStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status in RequestStatus.answered() and not answer.strip():
        raise ValidationError({"answer": _("Write the answer to the client before marking it answered.")})
    extend_reason = extend_reason.strip()
    if extend_reason and found.extended_reason:
        raise ValidationError(
            {"extend_reason": _("The deadline was extended already (once, by two months).")}
        )
    with transaction.atomic():
        changes = {"status": status, "handling": handling, "answer": answer, "version": version + 1}
        if extend_reason:
            changes["extended_reason"] = extend_reason
            changes["deadline"] = one_month_after(one_month_after(found.deadline))
        if status in RequestStatus.answered():
            changes["answered_on"] = found.answered_on or timezone.localdate()
        else:
            changes["answered_on"] = None
        updated = DataSubjectRequest.objects.filter(pk=found.pk, version=version).update(**changes)
        if not updated:
            raise ConcurrentEditError(_("Someone changed this request meanwhile. Check it and save again."))
        found.refresh_from_db()
        audit_record(
            actor=actor,
            action="change",
            client=found.client,
            obj=found,
            detail={"status": status, "extended": bool(extend_reason)},
        )
    return found


def request_erase(*, actor, found: DataSubjectRequest) -> ErasureRecord:
    """Grant a request for erasure: the same erasure service as the retention run. Refused (with the reason)
    under a legal hold or with an open trajectory; the request then stays open for an answer."""
    require(policies.can_manage_privacy(actor) and found.organisation_id == actor.organisation_id)
    if found.kind != RequestKind.ERASURE:
        raise PermissionDeniedError(_("Only a request for erasure erases the file."))
    if found.client_id is None:
        raise PermissionDeniedError(_("The client's file was erased already."))
    with transaction.atomic():
        record = erase_client(actor=actor, client=found.client, cause=ErasureCause.REQUEST, request=found)
        DataSubjectRequest.objects.filter(pk=found.pk).update(
            status=RequestStatus.GRANTED,
            answered_on=timezone.localdate(),
            answer=_("Your file has been erased."),
            version=found.version + 1,
        )
    return record


def erasure_refusal(client: Client) -> str:
    """Why the client's file cannot be erased now ("" when it can), for the request page."""
    return _refusal(client, cause=ErasureCause.REQUEST)
