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

from waardewerk.accounts.models import LoginAttempt, Organisation
from waardewerk.accounts.policies import is_functional_admin
from waardewerk.audit.services import audit_record
from waardewerk.clients.models import Client
from waardewerk.core import prepared
from waardewerk.core.access import require
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.core.retention import BY_KEY, RULES
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.portal.models import PortalInvitation
from waardewerk.privacy import anonymise, policies
from waardewerk.privacy.models import (
    AnonymisedFile,
    DataSubjectRequest,
    DestructionItem,
    DestructionList,
    DestructionStatus,
    ErasureCause,
    ErasureRecord,
    LegalHold,
    RequestKind,
    RequestStatus,
    RetentionAction,
    RetentionTerm,
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


# Anonymising ------------------------------------------------------------------------------------------------


def anonymise_client(*, actor, client: Client, rule: str = "client_file") -> ErasureRecord:
    """Anonymise a client's file (``privacy.anonymise``): the same refusals, lock and record as
    ``erase_client``; the record says ``anonymise``. The access-log event names the client's old public id
    (the one the earlier events name), never the new one."""
    with transaction.atomic():
        locked = Client.objects.select_for_update().filter(pk=client.pk).first()
        if locked is None:
            raise ErasureRefused(_("The client's file no longer exists."))
        if AnonymisedFile.objects.filter(client=locked).exists():
            raise ErasureRefused(_("The file was anonymised already."))
        refusal = _refusal(locked, cause=ErasureCause.RETENTION)
        if refusal:
            raise ErasureRefused(refusal)
        old_uuid = locked.uuid
        facts = [
            {
                "team": t.team_id,
                "context": t.context,
                "start": _month(t.start_date),
                "end": _month(t.end_date),
                "end_reason": t.end_reason,
            }
            for t in Trajectory.objects.filter(client=locked).order_by("start_date", "id")
        ]
        DataSubjectRequest.objects.filter(client=locked).update(
            client=None, description="", handling="", answer=""
        )
        counts = anonymise.anonymise(locked)
        AnonymisedFile.objects.create(client=locked, anonymised_at=timezone.now())
        record = ErasureRecord.objects.create(
            organisation_id=locked.organisation_id,
            cause=ErasureCause.RETENTION,
            rule=rule,
            action=RetentionAction.ANONYMISE,
            erased_by=actor if getattr(actor, "is_authenticated", False) else None,
            counts=dict(sorted((label, n) for label, n in counts.items() if n)),
            trajectories=facts,
        )
        audit_record(
            actor=actor,
            action="delete",
            client=old_uuid,
            obj=record,
            on_behalf_of="" if actor is not None else "retention",
            detail={"action": "anonymise", "rule": rule, "trajectories": len(facts)},
        )
    return record


# The organisation's retention terms -----------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A rule as it applies to one organisation: its own term and action, or the installation's."""

    rule: object
    days: int
    action: str
    own: RetentionTerm | None = None

    @property
    def key(self) -> str:
        return self.rule.key

    @property
    def action_label(self) -> str:
        return RetentionAction(self.action).label


def terms_for(organisation_id) -> dict[str, Term]:
    """Every rule's term for ``organisation_id`` (None: the installation's), in one query."""
    own: dict[str, RetentionTerm] = {}
    if organisation_id is not None:
        rows = RetentionTerm.objects.filter(organisation_id=organisation_id).select_related("changed_by")
        for row in rows.order_by("-created_at", "-id"):
            own.setdefault(row.rule, row)
    result = {}
    for rule in RULES:
        row = own.get(rule.key) if rule.editable else None
        if row is not None:
            result[rule.key] = Term(rule=rule, days=row.days, action=row.action, own=row)
        else:
            result[rule.key] = Term(rule=rule, days=rule.days, action=rule.action)
    return result


def own_days(organisation_id) -> dict[str, int]:
    """The organisation's own term in days per rule key, for the rules it set (the newest change of each),
    in one query: what the portal tells the client (``core.retention.days_for``, registered in
    ``PrivacyConfig.ready``)."""
    days: dict[str, int] = {}
    rows = RetentionTerm.objects.filter(organisation_id=organisation_id).order_by("-created_at", "-id")
    for rule, value in rows.values_list("rule", "days"):
        days.setdefault(rule, value)
    return days


def access_log_scope(organisation_id) -> Q:
    """The organisation's access-log events about its privacy records that outlive a client: an erasure or
    anonymisation (its event names the record, under the client's old public id, which no client has any
    more) and a destruction list (proposed by the daily run, no user). ``audit.policies.readable_events``,
    registered in ``PrivacyConfig.ready``."""
    return Q(
        object_uuid__in=ErasureRecord.objects.filter(organisation_id=organisation_id).values("uuid")
    ) | Q(object_uuid__in=DestructionList.objects.filter(organisation_id=organisation_id).values("uuid"))


def term_history(organisation_id):
    return RetentionTerm.objects.filter(organisation_id=organisation_id).select_related("changed_by")


def term_set(*, actor, rule_key: str, days: int, action: str, reason: str) -> RetentionTerm:
    """Set the actor's organisation's term and action for one rule, within the rule's bounds."""
    require(policies.can_manage_privacy(actor))
    rule = BY_KEY.get(rule_key)
    if rule is None or not rule.editable:
        raise ValidationError({"days": _("This rule has no term of the organisation's own.")})
    errors = {}
    if days is None or not rule.min_days <= days <= rule.max_days:
        errors["days"] = _("The term must be between %(min)s and %(max)s days (%(source)s).") % {
            "min": rule.min_days,
            "max": rule.max_days,
            "source": rule.bounds_source,
        }
    if action not in rule.allowed_actions:
        errors["action"] = _("This action is not possible for this rule.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason for the change (for example the selection list it follows).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        term = RetentionTerm.objects.create(
            organisation_id=actor.organisation_id,
            rule=rule.key,
            days=days,
            action=action,
            reason=reason,
            changed_by=actor,
        )
        audit_record(
            actor=actor,
            action="change",
            obj=term,
            detail={"rule": rule.key, "days": days, "action": action},
        )
    return term


# The retention plan and run -------------------------------------------------------------------------------


@dataclass
class RulePlan:
    rule: object
    cutoff: dt.datetime
    days: int = 0
    action: str = ""
    count: int = 0
    held: int = 0
    clients: list = field(default_factory=list)  # client_file only: the clients whose file would go

    @property
    def action_label(self) -> str:
        return RetentionAction(self.action).label


def _cutoff(days, now) -> dt.datetime:
    return now - dt.timedelta(days=days)


def expired_clients(cutoff: dt.date, *, organisation_id=None):
    """Clients whose file's term has passed: no open trajectory, not anonymised already, and the last
    trajectory ended before the cutoff (a client registered without a trajectory: registered before it)."""
    open_ = Trajectory.objects.filter(client=OuterRef("pk"), end_date__isnull=True)
    any_ = Trajectory.objects.filter(client=OuterRef("pk"))
    done = AnonymisedFile.objects.filter(client=OuterRef("pk"))
    qs = (
        Client.objects.annotate(last_end=Max("trajectories__end_date"))
        .filter(~Exists(open_), ~Exists(done))
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
    """The rows a rule would remove now (client_file aside). ``organisation_id`` None: every row of the
    installation (login attempts, which belong to no organisation, only then)."""
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


def _file_candidates(organisation_id, term: Term, now):
    cutoff = timezone.localtime(_cutoff(term.days, now)).date()
    return expired_clients(cutoff, organisation_id=organisation_id).annotate(held=_held())


def plan(*, organisation_id=None, now=None, list_clients: bool = False) -> list[RulePlan]:
    """What a run would remove now in one organisation, per rule, with the organisation's own terms
    (nothing is changed). Login attempts belong to no organisation: counted in ``installation_plan``."""
    now = now or timezone.now()
    result = []
    for term in terms_for(organisation_id).values():
        rule = term.rule
        entry = RulePlan(rule=rule, cutoff=_cutoff(term.days, now), days=term.days, action=term.action)
        if rule.key == "client_file":
            if organisation_id is not None:
                expired = _file_candidates(organisation_id, term, now)
                entry.count = expired.filter(held=False).count()
                entry.held = expired.filter(held=True).count()
                if list_clients:
                    entry.clients = list(expired.filter(held=False).order_by("last_end", "id")[:200])
        elif rule.automatic:
            qs = _querysets(rule.key, entry.cutoff, organisation_id)
            entry.count = qs.count() if qs is not None else 0
        result.append(entry)
    return result


def installation_plan(*, now=None, list_clients: bool = False) -> list[tuple[object, list[RulePlan]]]:
    """``plan`` per organisation (with its own terms), then the rows of no organisation (log-in attempts)
    as ``(None, [plan])``."""
    now = now or timezone.now()
    result = [
        (organisation, plan(organisation_id=organisation.pk, now=now, list_clients=list_clients))
        for organisation in Organisation.objects.order_by("name", "id")
    ]
    cutoff = _cutoff(BY_KEY["login_attempts"].days, now)
    attempts = RulePlan(
        rule=BY_KEY["login_attempts"],
        cutoff=cutoff,
        days=BY_KEY["login_attempts"].days,
        action=BY_KEY["login_attempts"].action,
        count=LoginAttempt.objects.filter(at__lt=cutoff).count(),
    )
    result.append((None, [attempts]))
    return result


def run(*, now=None, dry_run: bool = False) -> dict:
    """Apply the retention rules to the whole installation, each organisation with its own terms.

    The short-lived technical rows (log-in attempts, spent invitations, drafts, prepared files) go at
    once. Client files go only through a destruction list approved by two people: the run carries out
    every approved list, and proposes a new list for an organisation with files past their term and no
    current list (an out-of-date list is closed and replaced). With ``dry_run`` it only counts: per rule,
    the rows and files that are past their term. Returns counts per rule."""
    now = now or timezone.now()
    if dry_run:
        counted: Counter = Counter()
        for _organisation, entries in installation_plan(now=now):
            for entry in entries:
                counted[entry.rule.key] += entry.count
        return dict(counted)
    done: Counter = Counter()
    for organisation in Organisation.objects.order_by("id"):
        terms = terms_for(organisation.pk)
        for term in terms.values():
            if not term.rule.automatic or term.key in ("client_file", "login_attempts"):
                continue
            qs = _querysets(term.key, _cutoff(term.days, now), organisation.pk)
            if qs is not None:
                done[term.key] += qs.delete()[0]
        for approved in DestructionList.objects.filter(
            organisation=organisation, status=DestructionStatus.APPROVED
        ):
            result = carry_out(approved, now=now)
            done["client_file"] += result.get("done", 0)
            done["refused"] += result.get("refused", 0)
        if propose(organisation.pk, now=now, terms=terms) is not None:
            done["proposed"] += 1
    attempts = _cutoff(BY_KEY["login_attempts"].days, now)
    done["login_attempts"] += LoginAttempt.objects.filter(at__lt=attempts).delete()[0]
    # Prepared files of users without an organisation (none in practice) expire too.
    done["prepared_files"] += prepared.expired().filter(requested_by__organisation__isnull=True).delete()[0]
    done = {key: value for key, value in done.items()}
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


# Destruction lists: proposed by the run, approved by two people ---------------------------------------------


def _current(organisation_id, terms, now, client_ids=None):
    """The files that may go now: ``{client_id: (client, last_end, action)}`` (not held, no open
    trajectory, past the organisation's term)."""
    term = terms["client_file"]
    qs = _file_candidates(organisation_id, term, now).filter(held=False)
    if client_ids is not None:
        qs = qs.filter(pk__in=client_ids)
    return {client.pk: (client, client.last_end, term.action) for client in qs.order_by("last_end", "id")}


def stale_reason(destruction_list: DestructionList, *, now=None) -> str:
    """Why the list no longer fits the data ("" when it does): an item's file is under a legal hold now,
    has an open trajectory again, ended later, is gone, or the organisation changed the term or action."""
    now = now or timezone.now()
    items = [item for item in destruction_list.items.all() if item.erasure_id is None and not item.refused]
    current = _current(
        destruction_list.organisation_id,
        terms_for(destruction_list.organisation_id),
        now,
        client_ids=[item.client_id for item in items if item.client_id],
    )
    for item in items:
        found = current.get(item.client_id)
        if found is None:
            return _("a file on the list may not go any more (a legal hold, a reopened trajectory, the term)")
        _client, last_end, action = found
        if last_end != item.last_end:
            return _("a trajectory on the list ended on another day since the proposal")
        if action != item.action:
            return _("the organisation changed the action of the rule")
    return ""


def _mark_stale(destruction_list: DestructionList, reason: str) -> None:
    DestructionList.objects.filter(pk=destruction_list.pk, status__in=DestructionStatus.open()).update(
        status=DestructionStatus.STALE, stale_reason=reason[:200], closed_at=timezone.now()
    )
    audit_record(
        actor=None,
        action="change",
        obj=destruction_list,
        on_behalf_of="retention",
        detail={"destruction_list": "stale"},
    )


def propose(organisation_id, *, now=None, terms=None) -> DestructionList | None:
    """Propose a destruction list for an organisation's files past their term, unless a current list is
    open (an out-of-date one is closed as stale and replaced). Returns the new list, or None."""
    now = now or timezone.now()
    terms = terms or terms_for(organisation_id)
    with transaction.atomic():
        open_ = (
            DestructionList.objects.select_for_update()
            .filter(organisation_id=organisation_id, status=DestructionStatus.PROPOSED)
            .first()
        )
        if open_ is not None:
            reason = stale_reason(open_, now=now)
            if not reason:
                return None
            _mark_stale(open_, reason)
        current = _current(organisation_id, terms, now)
        if not current:
            return None
        made = DestructionList.objects.create(organisation_id=organisation_id)
        DestructionItem.objects.bulk_create(
            DestructionItem(
                destruction_list=made,
                client=client,
                client_uuid=client.uuid,
                last_end=last_end,
                action=action,
            )
            for client, last_end, action in current.values()
        )
        audit_record(
            actor=None,
            action="create",
            obj=made,
            on_behalf_of="retention",
            detail={"destruction_list": "proposed", "files": len(current)},
        )
    return made


class ListOutOfDate(ConcurrentEditError):
    """The list no longer fits the data: it was closed, and a new one proposed."""


def _open_for(actor, destruction_list: DestructionList) -> str:
    """Refuse unless the list waits for approval; returns why it is out of date ("" when it is not)."""
    require(
        policies.can_approve_destruction(actor) and destruction_list.organisation_id == actor.organisation_id
    )
    if destruction_list.status != DestructionStatus.PROPOSED:
        raise ConcurrentEditError(_("This list is no longer waiting for approval."))
    return stale_reason(destruction_list)


def _renew(destruction_list: DestructionList, reason: str):
    _mark_stale(destruction_list, reason)
    propose(destruction_list.organisation_id)
    raise ListOutOfDate(
        _("The data changed since the list was proposed (%(reason)s): a new list is proposed.")
        % {"reason": reason}
    )


def approve(*, actor, destruction_list: DestructionList) -> DestructionList:
    """One of the two approvals: the functional administrator's, or a team lead's. The second one, by
    another person, makes the list approved (carried out by ``carry_out``, in the background)."""
    stale = ""
    with transaction.atomic():
        destruction_list = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
        stale = _open_for(actor, destruction_list)
        if not stale:
            _approve(actor, destruction_list)
    if stale:  # outside the transaction: the list is closed and renewed even though the approval failed
        _renew(destruction_list, stale)
    return destruction_list


def _approve(actor, destruction_list: DestructionList) -> None:
    if actor.pk in (destruction_list.admin_approved_by_id, destruction_list.second_approved_by_id):
        raise PermissionDeniedError(_("You approved this list already: a second person must approve it."))
    slot = "admin" if is_functional_admin(actor) else "second"
    if getattr(destruction_list, f"{slot}_approved_by_id") is not None:
        raise PermissionDeniedError(
            _("Someone in your role approved this list already: the other role must approve it.")
        )
    setattr(destruction_list, f"{slot}_approved_by", actor)
    setattr(destruction_list, f"{slot}_approved_at", timezone.now())
    both = destruction_list.admin_approved_by_id and destruction_list.second_approved_by_id
    if both:
        destruction_list.status = DestructionStatus.APPROVED
    destruction_list.save()
    audit_record(
        actor=actor,
        action="change",
        obj=destruction_list,
        detail={"destruction_list": "approved", "by": slot, "complete": bool(both)},
    )


def reject(*, actor, destruction_list: DestructionList, reason: str) -> DestructionList:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    with transaction.atomic():
        destruction_list = DestructionList.objects.select_for_update().get(pk=destruction_list.pk)
        require(
            policies.can_approve_destruction(actor)
            and destruction_list.organisation_id == actor.organisation_id
        )
        if destruction_list.status != DestructionStatus.PROPOSED:
            raise ConcurrentEditError(_("This list is no longer waiting for approval."))
        destruction_list.status = DestructionStatus.REJECTED
        destruction_list.rejected_by = actor
        destruction_list.rejection_reason = reason
        destruction_list.closed_at = timezone.now()
        destruction_list.save()
        # The reason stays in the list (encrypted), not in the access log.
        audit_record(
            actor=actor, action="change", obj=destruction_list, detail={"destruction_list": "rejected"}
        )
    return destruction_list


def carry_out(destruction_list: DestructionList, *, now=None) -> dict:
    """Destroy or anonymise every file on an approved list, each in its own transaction (a refusal, such as
    a hold set in the meantime, stops only that file; its item says why). A list that no longer fits the
    data is closed as stale instead. Each file leaves its erasure record and access-log event."""
    if destruction_list.status != DestructionStatus.APPROVED:
        return {}
    reason = stale_reason(destruction_list, now=now)
    if reason:
        _mark_stale(destruction_list, reason)
        return {"stale": 1}
    result: Counter = Counter()
    for item in destruction_list.items.filter(erasure__isnull=True, refused="").select_related("client"):
        try:
            if item.client is None:
                raise ErasureRefused(_("The client's file no longer exists."))
            if item.action == RetentionAction.ANONYMISE:
                record = anonymise_client(actor=None, client=item.client)
            else:
                record = erase_client(
                    actor=None, client=item.client, cause=ErasureCause.RETENTION, rule="client_file"
                )
        except ErasureRefused as exc:
            DestructionItem.objects.filter(pk=item.pk).update(refused=str(exc)[:300])
            result["refused"] += 1
        else:
            ErasureRecord.objects.filter(pk=record.pk).update(destruction_list=destruction_list)
            DestructionItem.objects.filter(pk=item.pk).update(erasure=record)
            result["done"] += 1
    DestructionList.objects.filter(pk=destruction_list.pk).update(
        status=DestructionStatus.DONE, closed_at=timezone.now()
    )
    return dict(result)


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
