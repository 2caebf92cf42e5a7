"""Writes of the matching app: employers and their contact persons, jobs, value profiles, the
professional's decision per job and client, the client's response, and sharing with an employer
(docs/matching.md). Each checks its policy, validates with a message per field, writes in one transaction
and records the audit event."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.clients.actor import is_client_actor
from waardewerk.clients.models import ConsentKind
from waardewerk.clients.selectors import has_consent
from waardewerk.core import tokens as core_tokens
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.instruments.selectors import latest_scores
from waardewerk.matching import fit as fit_rule
from waardewerk.matching import functional, occupations, policies, projection
from waardewerk.matching.actor import EmployerLinkActor
from waardewerk.matching.models import (
    AVAILABILITY_NOTE_MAX,
    AVAILABLE_FROM_YEARS,
    EMPLOYER_NOTE_MAX,
    FOLLOW_UP_MONTHS,
    LINK_DAYS,
    NAME_MAX,
    NOTE_MAX,
    NOTES_MAX,
    REASON_MAX,
    STRENGTHS_MAX,
    SUPPORT_MAX,
    TRAVEL_KM_MAX,
    CandidateProfile,
    ClientResponse,
    CompanySize,
    ContactPerson,
    Contract,
    DayPart,
    Decision,
    Employer,
    EmployerLink,
    EmployerNote,
    FollowUp,
    Job,
    LinkPurpose,
    Placement,
    Proposal,
    Track,
    TrajectoryEmployer,
    TravelMeans,
    Weekday,
    Writer,
    latest_available_from,
)
from waardewerk.matching.selectors import WorkValues, work_values
from waardewerk.matching.validators import normalise_kvk, validate_kvk
from waardewerk.timeline.services import timeline_append
from waardewerk.trajectories.models import Trajectory

MAX_HOURS = 60


def _text(value, name, limit, errors, *, required_message=""):
    value = (value or "").strip()
    if "\x00" in value:
        errors[name] = _("This text contains a character that cannot be stored.")
    elif required_message and not value:
        errors[name] = required_message
    elif len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return value


def _stale_message() -> str:
    return _(
        "Someone else changed this after you opened it. Nothing is saved: your input is still below; "
        "open the page again to see the current version."
    )


def _stale(current, base_version) -> None:
    if current.version != base_version:
        raise ConcurrentEditError(_stale_message())


# Employers ------------------------------------------------------------------------------------------------


def _employer_fields(actor, data: dict, errors: dict, exclude_pk=None) -> dict:
    fields = {
        "name": _text(data.get("name"), "name", NAME_MAX, errors, required_message=_("Give the name.")),
        "sector": _text(data.get("sector"), "sector", 100, errors),
        "city": _text(data.get("city"), "city", 100, errors),
        "notes": _text(data.get("notes"), "notes", NOTES_MAX, errors),
        "size": data.get("size") or "",
    }
    if fields["size"] not in ("", *CompanySize.values):
        errors["size"] = _("Choose a size from the list.")
    kvk = normalise_kvk(data.get("kvk_number") or "")
    try:
        validate_kvk(kvk)
    except ValidationError as exc:
        errors["kvk_number"] = exc.messages[0]
    else:
        taken = policies.visible_employers(actor).filter(kvk_number=kvk).exclude(pk=exclude_pk)
        if taken.exists():
            errors["kvk_number"] = _("An employer with this KvK number is already registered.")
    fields["kvk_number"] = kvk
    return fields


def employer_create(*, actor, **data) -> Employer:
    if not policies.may_use_matching(actor):
        raise PermissionDeniedError(_("Only professionals and team leads keep employers."))
    errors: dict[str, str] = {}
    fields = _employer_fields(actor, data, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            employer = Employer.objects.create(
                organisation_id=actor.organisation_id, created_by=actor, **fields
            )
    except IntegrityError as exc:  # the same KvK number registered at the same moment
        raise ValidationError(
            {"kvk_number": _("An employer with this KvK number is already registered.")}
        ) from exc
    audit_record(actor=actor, action="create", obj=employer)
    return employer


def employer_update(*, actor, employer: Employer, base_version: int | None, **data) -> Employer:
    if not policies.can_change_employer(actor, employer):
        raise PermissionDeniedError(_("Only professionals and team leads keep employers."))
    errors: dict[str, str] = {}
    fields = _employer_fields(actor, data, errors, exclude_pk=employer.pk)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Employer.objects.select_for_update().get(pk=employer.pk)
        _stale(current, base_version)
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        audit_record(actor=actor, action="change", obj=current)
    return current


def contact_add(*, actor, employer: Employer, name: str, function="", email="", phone="") -> ContactPerson:
    if not policies.can_change_employer(actor, employer):
        raise PermissionDeniedError(_("Only professionals and team leads keep employers."))
    errors: dict[str, str] = {}
    fields = {
        "name": _text(name, "name", NAME_MAX, errors, required_message=_("Give the name.")),
        "function": _text(function, "function", 100, errors),
        "email": _text(email, "email", 254, errors),
        "phone": _text(phone, "phone", 30, errors),
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = ContactPerson.objects.create(employer=employer, **fields)
        audit_record(actor=actor, action="create", obj=contact)
    return contact


def contact_remove(*, actor, contact: ContactPerson) -> None:
    if not policies.can_change_employer(actor, contact.employer):
        raise PermissionDeniedError(_("Only professionals and team leads keep employers."))
    with transaction.atomic():
        audit_record(actor=actor, action="delete", obj=contact)
        contact.delete()


# Jobs -----------------------------------------------------------------------------------------------------


def _job_fields(data: dict, errors: dict) -> dict:
    fields = {
        "title": _text(
            data.get("title"), "title", NAME_MAX, errors, required_message=_("Give the job title.")
        ),
        "city": _text(data.get("city"), "city", 100, errors),
        "requirements": _text(data.get("requirements"), "requirements", NOTES_MAX, errors),
        "occupation": (data.get("occupation") or "").strip(),
        "contract": data.get("contract") or "",
        "hours": data.get("hours"),
        "is_open": bool(data.get("is_open", True)),
    }
    demands = {}
    for key, text in (data.get("functional_demands") or {}).items():
        if key not in functional.keys():
            errors["__all__"] = _("Unknown section of functional demands: %(key)s.") % {"key": key}
            continue
        text = _text(text, f"fd_{key}", functional.DEMAND_MAX, errors)
        if text:
            demands[key] = text
    fields["functional_demands"] = demands
    if not occupations.is_known(fields["occupation"]):
        errors["occupation"] = _("Choose the occupation from the list.")
    if fields["contract"] not in ("", *Contract.values):
        errors["contract"] = _("Choose a contract from the list.")
    hours = fields["hours"]
    if hours is not None and not (isinstance(hours, int) and 1 <= hours <= MAX_HOURS):
        errors["hours"] = _("Give the hours per week as a whole number from 1 to %(max)d.") % {
            "max": MAX_HOURS
        }
    return fields


def job_create(*, actor, employer: Employer, **data) -> Job:
    if not policies.can_change_employer(actor, employer):
        raise PermissionDeniedError(_("Only professionals and team leads keep jobs."))
    errors: dict[str, str] = {}
    fields = _job_fields(data, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        job = Job.objects.create(
            employer=employer,
            created_by=actor,
            fit_profile=fit_rule.merged_profile({}, employer.profile),
            **fields,
        )
        audit_record(actor=actor, action="create", obj=job)
    return job


def job_update(*, actor, job: Job, base_version: int | None, **data) -> Job:
    if not policies.can_change_job(actor, job):
        raise PermissionDeniedError(_("Only professionals and team leads keep jobs."))
    errors: dict[str, str] = {}
    fields = _job_fields(data, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Job.objects.select_for_update().get(pk=job.pk)
        _stale(current, base_version)
        for name, value in fields.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        audit_record(actor=actor, action="change", obj=current)
    return current


# Value profiles -------------------------------------------------------------------------------------------


def _profile(values: WorkValues, scores: dict, *, complete: bool) -> dict[str, int]:
    """Check a value profile: per work value a whole number 1-5; ``complete``: every value scored (the
    employer's profile may leave values to the job, and a job's to its employer)."""
    errors, profile = {}, {}
    for key in values.keys:
        score = scores.get(key)
        if score in (None, ""):
            if complete:
                errors[key] = _("Choose a score from 1 to 5.")
            continue
        if not isinstance(score, int) or score not in fit_rule.SCALE:
            errors[key] = _("Choose a score from 1 to 5.")
            continue
        profile[key] = score
    unknown = set(scores) - set(values.keys)
    if unknown:
        errors["__all__"] = _("Unknown work values: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
    if errors:
        raise ValidationError(errors)
    return profile


def profile_save(*, actor, target: Employer | Job, base_version: int | None, scores: dict) -> None:
    """Save an employer's or a job's value profile (filled in by the professional, with the employer)."""
    allowed = (
        policies.can_change_employer(actor, target)
        if isinstance(target, Employer)
        else policies.can_change_job(actor, target)
    )
    if not allowed:
        raise PermissionDeniedError(_("Only professionals and team leads keep value profiles."))
    values = work_values()
    if values is None:
        raise ValidationError(_("No instrument measures work values for matching (roles.matching)."))
    profile = _profile(values, scores, complete=False)
    model = type(target)
    with transaction.atomic():
        if isinstance(target, Job):
            # The employer's row first, as an employer's profile save does: the job's fit profile is made
            # from the employer's profile as it is committed (no stale merge, no deadlock).
            employer_profile = _locked_employer_profile(target.employer_id)
        current = model.objects.select_for_update().get(pk=target.pk)
        _stale(current, base_version)
        current.profile = profile
        current.profile_by = actor
        current.profile_on = timezone.localdate()
        current.version += 1
        if isinstance(current, Job):
            current.fit_profile = fit_rule.merged_profile(profile, employer_profile)
        current.save()
        if isinstance(current, Employer):
            _employer_jobs_fit_profiles(current)
        audit_record(actor=actor, action="change", obj=current, detail={"value profile": sorted(profile)})
    target.refresh_from_db()


def _locked_employer_profile(employer_id: int) -> dict:
    return Employer.objects.select_for_update().values_list("profile", flat=True).get(pk=employer_id)


def _employer_jobs_fit_profiles(employer: Employer) -> None:
    """Keep the fit profile of every job of the employer after the employer's profile changed (two queries
    per batch of jobs; an employer has tens of jobs)."""
    jobs = list(Job.objects.filter(employer=employer).only("pk", "profile", "fit_profile"))
    for job in jobs:
        job.fit_profile = fit_rule.merged_profile(job.profile, employer.profile)
    Job.objects.bulk_update(jobs, ["fit_profile"], batch_size=500)


# Decisions on a client's fit list -------------------------------------------------------------------------


def proposal_decide(
    *, actor, trajectory: Trajectory, job: Job, decision: str, reason: str, base_version: int | None = None
) -> Proposal:
    """Record (or change) the professional's decision on one job for one client: propose, not now or not
    suitable, always with a reason. The fit as it is now is kept with it (statuses and scores of the job,
    no answers of the client beyond the importance). Changing a decision that the client already answered
    starts over: the response is cleared."""
    if (
        not policies.can_decide_fit(actor, trajectory)
        or not policies.visible_jobs(actor).filter(pk=job.pk).exists()
    ):
        raise PermissionDeniedError(_("Only who works on this open trajectory decides on its jobs."))
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose a decision.")
    reason = _text(
        reason, "reason", REASON_MAX, errors, required_message=_("Give the reason for the decision.")
    )
    if decision == Decision.PROPOSE and not job.is_open:
        errors["decision"] = _("This job is no longer open: it cannot be proposed.")
    if errors:
        raise ValidationError(errors)
    job = Job.objects.select_related("employer").get(pk=job.pk)  # the profiles as they are now
    values = work_values()
    snapshot = {}
    if values is not None:
        from_scores = _client_values(values, trajectory)
        snapshot = fit_rule.compute(
            values.keys, from_scores, job.profile, job.employer.profile, threshold=values.threshold
        ).as_dict()
    now = timezone.now()
    with transaction.atomic():
        current = Proposal.objects.select_for_update().filter(trajectory=trajectory, job=job).first()
        if current is None:
            try:
                with transaction.atomic():
                    proposal = Proposal.objects.create(
                        trajectory=trajectory,
                        job=job,
                        decision=decision,
                        reason=reason,
                        fit=snapshot,
                        decided_by=actor,
                        decided_at=now,
                    )
            except IntegrityError as exc:
                raise ConcurrentEditError(
                    _("Someone else decided on this job at the same moment. Open the fit list again.")
                ) from exc
            action = "create"
        else:
            if base_version is not None:
                _stale(current, base_version)
            if current.shared_at is not None and decision != current.decision:
                raise ValidationError(
                    {"decision": _("The profile was already shared with the employer: the decision stays.")}
                )
            changed = decision != current.decision
            current.decision, current.reason, current.fit = decision, reason, snapshot
            current.decided_by, current.decided_at = actor, now
            if changed:
                current.response, current.response_note, current.responded_at = "", "", None
            current.version += 1
            current.save()
            proposal, action = current, "change"
        proposal.job = job
        timeline_append(projection.job_decided(proposal))
        audit_record(
            actor=actor,
            action=action,
            client=trajectory.client,
            obj=proposal,
            detail={"decision": decision, "job": str(job.uuid)},
        )
    return proposal


def _client_values(values: WorkValues, trajectory: Trajectory) -> dict:
    _taken_on, score = latest_scores(values.instrument_id, [trajectory.pk]).get(trajectory.pk, (None, {}))
    return score.get("values") or {}


def proposal_respond(*, actor, proposal: Proposal, response: str, note: str = "") -> Proposal:
    """The client's response in the portal to a job proposed to them: interested or not, with an optional
    comment. They may change it while the profile has not gone to the employer."""
    if not policies.can_respond_to_proposal(actor, proposal):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    if response not in ClientResponse.values:
        errors["response"] = _("Choose yes or no.")
    note = _text(note, "note", REASON_MAX, errors)
    if errors:
        raise ValidationError(errors)
    if proposal.shared_at is not None and response != proposal.response:
        raise ValidationError(
            {"response": _("Your profile was already sent to the employer. Talk to your professional.")}
        )
    with transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(
            response=response, response_note=note, responded_at=timezone.now(), version=proposal.version + 1
        )
        proposal.refresh_from_db()
        timeline_append(projection.job_answered(proposal))
        audit_record(
            actor=actor,
            action="change",
            client=proposal.trajectory.client,
            obj=proposal,
            detail={"response": response},
        )
    return proposal


def may_share(proposal: Proposal) -> bool:
    """Whether the profile may go to the employer: proposed, the client is interested and has given
    consent for this employer (one query)."""
    return (
        proposal.decision == Decision.PROPOSE
        and proposal.response == ClientResponse.INTERESTED
        and has_consent(proposal.trajectory.client, ConsentKind.EMPLOYER, party=proposal.job.employer.uuid)
    )


def proposal_share(*, actor, proposal: Proposal) -> Proposal:
    """Record that the professional shared the client's candidate profile with the job's employer. Only
    when the client is interested and gave consent for this employer; nothing goes to an employer before."""
    if not policies.decidable_proposals(actor).filter(pk=proposal.pk).exists():
        raise PermissionDeniedError(_("Only who works on this open trajectory shares with an employer."))
    if proposal.shared_at is not None:
        raise ValidationError(_("The profile was already shared with this employer."))
    if not may_share(proposal):
        raise ValidationError(
            _(
                "Not shared: the client has not said they are interested, or has not given consent for "
                "sharing with this employer."
            )
        )
    with transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(
            shared_at=timezone.now(), shared_by=actor, version=proposal.version + 1
        )
        proposal.refresh_from_db()
        audit_record(
            actor=actor,
            action="export",
            client=proposal.trajectory.client,
            obj=proposal,
            detail={"shared with employer": str(proposal.job.employer.uuid)},
        )
    return proposal


# The client's availability and strengths -----------------------------------------------------------------


def _choices(values, allowed, name, errors, message) -> list[str]:
    """A list of choice values, in the order of ``allowed``, each once; an unknown value is an error."""
    values = list(values or [])
    if any(not isinstance(value, str) or value not in allowed for value in values):
        errors[name] = message
        return []
    return [value for value in allowed if value in values]


def _whole(value, name, low, high, errors, message):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[name] = message
        return None
    return value


def _candidate_fields(data: dict, errors: dict) -> dict:
    available_from = data.get("available_from")
    if available_from is not None and (
        not isinstance(available_from, dt.date) or available_from > latest_available_from()
    ):
        errors["available_from"] = _("Give a date at most %(years)d years from today.") % {
            "years": AVAILABLE_FROM_YEARS
        }
        available_from = None
    return {
        "hours_per_week": _whole(
            data.get("hours_per_week"),
            "hours_per_week",
            1,
            MAX_HOURS,
            errors,
            _("Give a number of hours from 1 to %(max)d.") % {"max": MAX_HOURS},
        ),
        "days": _choices(data.get("days"), Weekday.values, "days", errors, _("Choose days from the list.")),
        "day_parts": _choices(
            data.get("day_parts"),
            DayPart.values,
            "day_parts",
            errors,
            _("Choose parts of the day from the list."),
        ),
        "available_from": available_from,
        "travel_km": _whole(
            data.get("travel_km"),
            "travel_km",
            0,
            TRAVEL_KM_MAX,
            errors,
            _("Give a number of kilometres from 0 to %(max)d.") % {"max": TRAVEL_KM_MAX},
        ),
        "travel_means": _choices(
            data.get("travel_means"), TravelMeans.values, "travel_means", errors, _("Choose from the list.")
        ),
        "availability_note": _text(
            data.get("availability_note"), "availability_note", AVAILABILITY_NOTE_MAX, errors
        ),
        "strengths": _text(data.get("strengths"), "strengths", STRENGTHS_MAX, errors),
    }


def candidate_profile_save(
    *, actor, trajectory: Trajectory, base_version: int | None, **data
) -> CandidateProfile:
    """Write the client's availability and strengths: by the client in the portal, or by the professional
    with the client. Every field is checked first (a message per field, nothing stored on any error); the
    version seen must be the current one (none when nothing was recorded yet), so a stale edit is refused.
    A timeline entry on the trajectory and the access log record the change."""
    if not policies.can_write_candidate_profile(actor, trajectory):
        raise PermissionDeniedError(
            _("Only the client and who works on the open trajectory write the availability and strengths.")
        )
    errors: dict[str, str] = {}
    fields = _candidate_fields(data, errors)
    if errors:
        raise ValidationError(errors)
    by_client = is_client_actor(actor)
    fields |= {
        "written_by": Writer.CLIENT if by_client else Writer.PROFESSIONAL,
        "written_by_user": None if by_client else actor,
        "written_at": timezone.now(),
    }
    client = trajectory.client
    with transaction.atomic():
        current = CandidateProfile.objects.select_for_update().filter(client=client).first()
        if current is None:
            if base_version:  # it was there when the page was opened, and is gone now
                raise ConcurrentEditError(_stale_message())
            try:
                with transaction.atomic():
                    profile = CandidateProfile.objects.create(client=client, **fields)
            except IntegrityError as exc:  # written by someone else at the same moment
                raise ConcurrentEditError(_stale_message()) from exc
            action = "create"
        else:
            _stale(current, base_version)
            for name, value in fields.items():
                setattr(current, name, value)
            current.version += 1
            current.save()
            profile, action = current, "change"
        timeline_append(projection.candidate_profile_saved(profile, trajectory, actor))
        audit_record(actor=actor, action=action, client=client, obj=profile)
    return profile


# Placements and their follow-ups -------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day (31 January + 1
    month: 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def placement_create(
    *,
    actor,
    trajectory: Trajectory,
    job: Job,
    start_date: dt.date,
    contract: str = "",
    hours: int | None = None,
    support: str = "",
    wage_subsidy: bool = False,
    no_risk_policy: bool = False,
) -> Placement:
    """Record that the client started (or will start) work in a job, with follow-ups at 1, 3, 6 and 12
    months. On an open trajectory the actor works on; the job of the actor's organisation."""
    if (
        not policies.can_decide_fit(actor, trajectory)
        or not policies.visible_jobs(actor).filter(pk=job.pk).exists()
    ):
        raise PermissionDeniedError(_("Only who works on this open trajectory records a placement."))
    errors: dict[str, str] = {}
    if contract not in ("", *Contract.values):
        errors["contract"] = _("Choose a contract from the list.")
    if hours is not None and not (isinstance(hours, int) and 1 <= hours <= MAX_HOURS):
        errors["hours"] = _("Give the hours per week as a whole number from 1 to %(max)d.") % {
            "max": MAX_HOURS
        }
    if start_date is None:
        errors["start_date"] = _("Give the start date.")
    elif start_date < trajectory.start_date:
        errors["start_date"] = _("The start date cannot be before the trajectory started.")
    elif start_date > timezone.localdate() + dt.timedelta(days=366):
        errors["start_date"] = _("The start date is more than a year ahead.")
    support = _text(support, "support", SUPPORT_MAX, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        placement = Placement.objects.create(
            trajectory=trajectory,
            job=job,
            start_date=start_date,
            contract=contract,
            hours=hours,
            support=support,
            wage_subsidy=wage_subsidy,
            no_risk_policy=no_risk_policy,
            created_by=actor,
        )
        FollowUp.objects.bulk_create(
            FollowUp(placement=placement, month=month, due_on=add_months(start_date, month))
            for month in FOLLOW_UP_MONTHS
        )
        placement.job = job
        timeline_append(projection.placement_made(placement))
        audit_record(actor=actor, action="create", client=trajectory.client, obj=placement)
    return placement


def follow_up_record(
    *,
    actor,
    follow_up: FollowUp,
    done_on: dt.date,
    still_working: bool,
    hours: int | None = None,
    client_satisfaction: int | None = None,
    employer_satisfaction: int | None = None,
    note: str = "",
) -> FollowUp:
    """Record a follow-up: still working (yes or no), the hours, both satisfactions (1-5), a note. Who works
    on the trajectory records it, also after the trajectory closed (the 12-month follow-up mostly comes
    later). Recording it again replaces the answers."""
    placement = follow_up.placement
    if not policies.can_follow_up(actor, placement.trajectory):
        raise PermissionDeniedError(_("Only who works on this trajectory records its follow-ups."))
    errors: dict[str, str] = {}
    if done_on is None:
        errors["done_on"] = _("Give the date of the follow-up.")
    elif done_on < placement.start_date:
        errors["done_on"] = _("The follow-up cannot be before the start of the work.")
    elif done_on > timezone.localdate():
        errors["done_on"] = _("The follow-up cannot be in the future.")
    if still_working is None:
        errors["still_working"] = _("Say whether the client still works there.")
    if hours is not None and not (isinstance(hours, int) and 0 <= hours <= MAX_HOURS):
        errors["hours"] = _("Give the hours per week as a whole number from 0 to %(max)d.") % {
            "max": MAX_HOURS
        }
    for name, value in (
        ("client_satisfaction", client_satisfaction),
        ("employer_satisfaction", employer_satisfaction),
    ):
        if value is not None and value not in fit_rule.SCALE:
            errors[name] = _("Choose a score from 1 to 5.")
    note = _text(note, "note", NOTE_MAX, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        follow_up.done_on, follow_up.still_working, follow_up.hours = done_on, still_working, hours
        follow_up.client_satisfaction, follow_up.employer_satisfaction = (
            client_satisfaction,
            employer_satisfaction,
        )
        follow_up.note, follow_up.recorded_by = note, actor
        follow_up.save()
        timeline_append(projection.follow_up_recorded(follow_up, placement))
        audit_record(
            actor=actor,
            action="change",
            client=placement.trajectory.client,
            obj=follow_up,
            detail={"month": follow_up.month, "still working": still_working},
        )
    return follow_up


# The employer's one-time link ------------------------------------------------------------------------------


class LinkGone(Exception):
    """A known link that no longer works: ``reason`` is expired, used, revoked or withdrawn (the client
    withdrew the consent for this employer since the profile was shared)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def employer_link_create(*, actor, job: Job, proposal: Proposal | None = None) -> tuple[EmployerLink, str]:
    """Make a one-time link for the job's employer: to fill in the job's value profile, or (with
    ``proposal``) to see the candidate profile shared with it and answer. Only the token's digest is stored;
    the token is returned once, for the professional to send or show. A new link for the same purpose
    revokes the open one. A candidate link only once the profile went to this employer and the client's
    consent for it is in force."""
    if proposal is None:
        if not policies.can_change_job(actor, job):
            raise PermissionDeniedError(_("Only professionals and team leads keep value profiles."))
        purpose = LinkPurpose.PROFILE
    else:
        if not policies.decidable_proposals(actor).filter(pk=proposal.pk).exists():
            raise PermissionDeniedError(_("Only who works on this open trajectory shares with an employer."))
        if proposal.job_id != job.pk:
            raise ValidationError(_("This proposal is about another job."))
        if proposal.shared_at is None or not may_share(proposal):
            raise ValidationError(
                _(
                    "No link: first record that the candidate profile goes to the employer, with the "
                    "client's consent for this employer."
                )
            )
        purpose = LinkPurpose.CANDIDATE
    token = core_tokens.new_token()
    now = timezone.now()
    with transaction.atomic():
        EmployerLink.objects.filter(
            job=job, proposal=proposal, purpose=purpose, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        link = EmployerLink.objects.create(
            job=job,
            proposal=proposal,
            purpose=purpose,
            token_digest=core_tokens.token_digest(token),
            created_by=actor,
            expires_at=now + dt.timedelta(days=LINK_DAYS),
        )
        audit_record(
            actor=actor,
            action="create",
            client=proposal.trajectory.client if proposal else None,
            obj=link,
            detail={"purpose": purpose, "job": str(job.uuid)},
        )
    return link, token


def employer_link_find(token: str) -> EmployerLink:
    """The link of a token. An unknown token raises ``EmployerLink.DoesNotExist`` (404); a known one that no
    longer works raises ``LinkGone`` (410). A candidate link stops working when the client withdrew the
    consent for this employer."""
    link = core_tokens.find(
        EmployerLink.objects.select_related(
            "job__employer", "proposal__trajectory__client__candidate_profile"
        ),
        token,
    )
    if link is None:
        raise EmployerLink.DoesNotExist
    if link.status != "open":
        raise LinkGone(link.status)
    if link.purpose == LinkPurpose.CANDIDATE and not may_share(link.proposal):
        raise LinkGone("withdrawn")
    return link


def _use(link: EmployerLink) -> None:
    """Use the link up, once: a second answer through the same link (or a race) is refused."""
    used = EmployerLink.objects.filter(
        pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now())
    if not used:
        raise LinkGone("used")


def employer_link_profile(*, link: EmployerLink, scores: dict, name: str) -> Job:
    """The employer fills in the job's value profile through its link: every work value scored, and the name
    of who filled it in. Uses the link up."""
    if link.purpose != LinkPurpose.PROFILE:
        raise PermissionDeniedError
    values = work_values()
    if values is None:
        raise ValidationError(_("No instrument measures work values for matching (roles.matching)."))
    errors: dict[str, str] = {}
    name = _text(name, "name", NAME_MAX, errors, required_message=_("Fill in your name."))
    try:
        profile = _profile(values, scores, complete=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    actor = EmployerLinkActor(link)
    with transaction.atomic():
        _use(link)
        employer_profile = _locked_employer_profile(link.job.employer_id)
        job = Job.objects.select_for_update().get(pk=link.job_id)
        job.profile = profile
        job.fit_profile = fit_rule.merged_profile(profile, employer_profile)
        job.profile_by = None
        job.profile_by_employer = name
        job.profile_on = timezone.localdate()
        job.version += 1
        job.save()
        audit_record(actor=actor, action="change", obj=job, detail={"value profile": sorted(profile)})
    return job


def employer_link_answer(*, link: EmployerLink, response: str, note: str = "") -> Proposal:
    """The employer answers about the candidate profile shared with it: interested or not, with a comment if
    it likes. Uses the link up; the answer is in the access log on the client."""
    if link.purpose != LinkPurpose.CANDIDATE:
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    if response not in ClientResponse.values:
        errors["response"] = _("Choose yes or no.")
    note = _text(note, "note", REASON_MAX, errors)
    if errors:
        raise ValidationError(errors)
    proposal = link.proposal
    with transaction.atomic():
        _use(link)
        Proposal.objects.filter(pk=proposal.pk).update(
            employer_response=response,
            employer_note=note,
            employer_responded_at=timezone.now(),
            version=models.F("version") + 1,
        )
        proposal.refresh_from_db()
        audit_record(
            actor=EmployerLinkActor(link),
            action="change",
            client=proposal.trajectory.client,
            obj=proposal,
            detail={"employer response": response},
        )
    return proposal


# Employer services: notes and the trajectories' employer ----------------------------------------------------


def employer_note_add(*, actor, employer: Employer, on: dt.date, text: str, contact=None) -> EmployerNote:
    """A note of the employer services: what, with whom at the employer (optional) and when."""
    if not policies.can_change_employer(actor, employer):
        raise PermissionDeniedError(_("Only professionals and team leads keep employers."))
    errors: dict[str, str] = {}
    text = _text(text, "text", EMPLOYER_NOTE_MAX, errors, required_message=_("Write the note."))
    if on is None or on > timezone.localdate():
        errors["on"] = _("Give the date of the contact: today or earlier.")
    if contact is not None and contact.employer_id != employer.pk:
        errors["contact"] = _("Choose a contact person of this employer.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = EmployerNote.objects.create(
            employer=employer, on=on, contact=contact, text=text, written_by=actor
        )
        audit_record(actor=actor, action="create", obj=note, detail={"employer": str(employer.uuid)})
    return note


def trajectory_employer_set(*, actor, trajectory: Trajectory, employer: Employer | None, track: str = ""):
    """The employer a trajectory works towards, on the 1st track (own employer) or the 2nd (another
    employer); ``employer=None`` removes it. Who works on the open trajectory sets it."""
    if not policies.can_decide_fit(actor, trajectory):
        raise PermissionDeniedError(_("Only who works on this open trajectory sets its employer."))
    with transaction.atomic():
        if employer is None:
            TrajectoryEmployer.objects.filter(trajectory=trajectory).delete()
            audit_record(
                actor=actor,
                action="change",
                client=trajectory.client,
                obj=trajectory,
                detail={"employer": None},
            )
            return None
        if not policies.can_change_employer(actor, employer):
            raise PermissionDeniedError
        if track not in Track.values:
            raise ValidationError({"track": _("Choose the 1st or the 2nd track.")})
        link, _created = TrajectoryEmployer.objects.update_or_create(
            trajectory=trajectory, defaults={"employer": employer, "track": track, "set_by": actor}
        )
        audit_record(
            actor=actor,
            action="change",
            client=trajectory.client,
            obj=trajectory,
            detail={"employer": str(employer.uuid), "track": track},
        )
    return link
