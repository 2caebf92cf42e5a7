"""Writes of the development log: activities (with their registers and evidence), the projection of
attended intervision sessions, learning goals and their progress, mentor relations and their meetings.

Every write checks its policy, validates (a ``ValidationError`` with field errors, nothing stored), runs in
one transaction and writes an audit event. An activity, a goal and the shared notes of a mentor relation
carry the version the writer saw; a change saved meanwhile refuses the write with ``ConcurrentEditError``.
"""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.core.limits import EARLIEST_DATE, limited_text
from waardewerk.development import policies, selectors
from waardewerk.development.models import (
    EVIDENCE_MAX_BYTES,
    REFLECTION_MAX,
    TEXT_MAX,
    Activity,
    ActivityKind,
    ActivityRegister,
    Evidence,
    GoalProgress,
    GoalStatus,
    LearningGoal,
    MentorMeeting,
    Mentorship,
    Register,
)

TITLE_MAX = 200
PROVIDER_MAX = 200
PE_ID_MAX = 60
FILENAME_MAX = 200
NOTES_MAX = 5000
HOURS_MAX = Decimal("999")
REFLECTIONS = ("reflection_technical", "reflection_normative", "reflection_personal")

# What an evidence file may be, told by its first bytes (its "magic number"), never by its name or by the
# type the browser sent: a PDF, a PNG or a JPEG image.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def sniff_evidence(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None when it is not a PDF, PNG or JPEG."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _read_evidence(upload, errors: dict) -> dict | None:
    """The evidence file as stored: checked on size and on its first bytes. ``upload`` is a Django
    ``UploadedFile`` (or anything with ``name``, ``size`` and ``read``)."""
    if upload is None:
        return None
    size = getattr(upload, "size", None) or 0
    if size > EVIDENCE_MAX_BYTES:
        errors["evidence"] = _(
            "The file is too large (%(size)s MB); the maximum is %(max)s MB. Nothing else is lost: choose a "
            "smaller file or save without one."
        ) % {"size": f"{size / 1024 / 1024:.1f}", "max": EVIDENCE_MAX_BYTES // 1024 // 1024}
        return None
    data = upload.read(EVIDENCE_MAX_BYTES + 1)
    if not data:
        errors["evidence"] = _("The file is empty.")
        return None
    if len(data) > EVIDENCE_MAX_BYTES:
        errors["evidence"] = _("The file is too large; the maximum is %(max)s MB.") % {
            "max": EVIDENCE_MAX_BYTES // 1024 // 1024
        }
        return None
    content_type = sniff_evidence(data[:16])
    if content_type is None:
        errors["evidence"] = _(
            "This file is not a PDF, PNG or JPEG (whatever its name says). Choose a PDF or an image."
        )
        return None
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = (
        "".join(ch for ch in name if ch.isprintable())[:FILENAME_MAX] or "bewijs" + EXTENSIONS[content_type]
    )
    return {"filename": name, "content_type": content_type, "size": len(data), "data": data}


def _activity_fields(
    *, kind, title, provider, pe_id, date, hours, points, registers, reflections, errors: dict
) -> dict:
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose the kind of activity.")
    title = limited_text(title, "title", TITLE_MAX, errors, _("Say what the activity was."))
    provider = limited_text(provider, "provider", PROVIDER_MAX, errors)
    pe_id = limited_text(pe_id, "pe_id", PE_ID_MAX, errors)
    if kind == ActivityKind.COURSE and not pe_id:
        errors["pe_id"] = _("An accredited course has a PE id: copy it from the certificate or the register.")
    if date is None:
        errors["date"] = _("Give the date of the activity.")
    elif date > timezone.localdate():
        errors["date"] = _("Log an activity once it has taken place: the date cannot be in the future.")
    elif date < EARLIEST_DATE:
        errors["date"] = _("Give a later date.")
    for name, value in (("hours", hours), ("points", points)):
        if value is None:
            errors[name] = _("Give a number, for example 1.5.")
        elif value < 0 or value > HOURS_MAX:
            errors[name] = _("Give a number from 0 to 999.")
    if hours is not None and hours == 0 and "hours" not in errors:
        errors["hours"] = _("Give the net hours the activity took.")
    registers = sorted(set(registers or []))
    if any(r not in Register.values for r in registers):
        errors["registers"] = _("Choose among the registers listed.")
    clean_reflections = {
        name: limited_text(reflections.get(name), name, REFLECTION_MAX, errors) for name in REFLECTIONS
    }
    return {
        "kind": kind,
        "title": title,
        "provider": provider,
        "pe_id": pe_id,
        "date": date,
        "hours": hours,
        "points": points,
        "registers": registers,
        **clean_reflections,
    }


def _store_evidence(activity: Activity, evidence: dict) -> None:
    Evidence.objects.filter(activity=activity).delete()
    Evidence.objects.create(
        activity=activity,
        filename=evidence["filename"],
        content_type=evidence["content_type"],
        size=evidence["size"],
        content=base64.b64encode(evidence["data"]).decode("ascii"),
    )


def _set_registers(activity: Activity, registers: list[str]) -> None:
    ActivityRegister.objects.filter(activity=activity).exclude(register__in=registers).delete()
    have = set(ActivityRegister.objects.filter(activity=activity).values_list("register", flat=True))
    ActivityRegister.objects.bulk_create(
        [ActivityRegister(activity=activity, register=r) for r in registers if r not in have]
    )


def activity_create(
    *,
    actor,
    kind: str,
    title: str,
    date: dt.date | None,
    hours: Decimal | None,
    points: Decimal | None,
    provider: str = "",
    pe_id: str = "",
    registers=(),
    reflections: dict | None = None,
    shared_with_mentor: bool = False,
    shared_with_lead: bool = False,
    evidence=None,
) -> Activity:
    if not policies.may_keep_log(actor):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    fields = _activity_fields(
        kind=kind,
        title=title,
        provider=provider,
        pe_id=pe_id,
        date=date,
        hours=hours,
        points=points,
        registers=registers,
        reflections=reflections or {},
        errors=errors,
    )
    stored = _read_evidence(evidence, errors)
    if errors:
        raise ValidationError(errors)
    registers = fields.pop("registers")
    with transaction.atomic():
        activity = Activity.objects.create(
            owner=actor, shared_with_mentor=shared_with_mentor, shared_with_lead=shared_with_lead, **fields
        )
        _set_registers(activity, registers)
        if stored:
            _store_evidence(activity, stored)
        audit_record(
            actor=actor,
            action="create",
            obj=activity,
            detail={"kind": kind, "registers": registers, "evidence": bool(stored)},
        )
    return activity


def activity_update(
    *,
    actor,
    activity: Activity,
    base_version: int | None,
    kind: str,
    title: str,
    date: dt.date | None,
    hours: Decimal | None,
    points: Decimal | None,
    provider: str = "",
    pe_id: str = "",
    registers=(),
    reflections: dict | None = None,
    shared_with_mentor: bool = False,
    shared_with_lead: bool = False,
    evidence=None,
    remove_evidence: bool = False,
) -> None:
    if not policies.can_edit_activity(actor, activity):
        raise PermissionDeniedError(_("Only the owner changes an activity in their log."))
    errors: dict[str, str] = {}
    if activity.source_session_id:
        # The session decides what it was; the owner adds registers, points, a reflection and sharing.
        kind, title, date, hours = activity.kind, activity.title, activity.date, activity.hours
    fields = _activity_fields(
        kind=kind,
        title=title,
        provider=provider,
        pe_id=pe_id,
        date=date,
        hours=hours,
        points=points,
        registers=registers,
        reflections=reflections or {},
        errors=errors,
    )
    stored = _read_evidence(evidence, errors)
    if errors:
        raise ValidationError(errors)
    registers = fields.pop("registers")
    with transaction.atomic():
        updated = Activity.objects.filter(pk=activity.pk, version=base_version).update(
            **fields,
            shared_with_mentor=shared_with_mentor,
            shared_with_lead=shared_with_lead,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise ConcurrentEditError(
                _(
                    "This activity was changed (in another window or tab) after you opened it. Nothing is "
                    "saved: your text is still below; open the activity again to see the current version."
                )
            )
        _set_registers(activity, registers)
        if stored:
            _store_evidence(activity, stored)
        elif remove_evidence:
            Evidence.objects.filter(activity=activity).delete()
        audit_record(
            actor=actor,
            action="change",
            obj=activity,
            detail={
                "registers": registers,
                "evidence": "new" if stored else ("removed" if remove_evidence else ""),
            },
        )
    activity.refresh_from_db()


def activity_delete(*, actor, activity: Activity) -> None:
    """Delete an activity; a projected intervision session is marked "not attended" instead, so the
    projection does not bring it back."""
    if not policies.can_edit_activity(actor, activity):
        raise PermissionDeniedError(_("Only the owner changes an activity in their log."))
    with transaction.atomic():
        if activity.source_session_id:
            Activity.objects.filter(pk=activity.pk).update(
                dismissed=True, version=F("version") + 1, updated_at=timezone.now()
            )
            audit_record(actor=actor, action="change", obj=activity, detail={"dismissed": True})
        else:
            audit_record(actor=actor, action="delete", obj=activity)
            activity.delete()


def activity_restore(*, actor, activity: Activity) -> None:
    """Count a projected session that was marked "not attended" again."""
    if not policies.can_edit_activity(actor, activity):
        raise PermissionDeniedError(_("Only the owner changes an activity in their log."))
    with transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(
            dismissed=False, version=F("version") + 1, updated_at=timezone.now()
        )
        audit_record(actor=actor, action="change", obj=activity, detail={"dismissed": False})


def intervision_sync(*, actor, today: dt.date | None = None) -> int:
    """Add the intervision sessions the actor attended (sessions of their groups up to today) to their log,
    with the hours of the method's timeboxes; each session once, however often this runs (a unique
    constraint settles two requests at once). A new session counts for the registers the actor chose for
    their latest intervision session, if any. Returns the number of sessions found missing."""
    if not policies.may_keep_log(actor):
        return 0
    missing = selectors.unlogged_sessions(actor, today or timezone.localdate())
    if not missing:
        return 0
    registers = selectors.last_intervision_registers(actor)
    rows = [
        Activity(
            owner=actor,
            kind=ActivityKind.INTERVISION,
            title=session.title,
            date=session.date,
            hours=session.hours,
            points=session.hours,
            source_session_id=session.pk,
        )
        for session in missing
    ]
    with transaction.atomic():
        Activity.objects.bulk_create(rows, ignore_conflicts=True)
        if registers:
            added = Activity.objects.filter(
                owner=actor, source_session_id__in=[s.pk for s in missing], registers__isnull=True
            ).values_list("pk", flat=True)
            ActivityRegister.objects.bulk_create(
                [ActivityRegister(activity_id=pk, register=r) for pk in added for r in registers],
                ignore_conflicts=True,
            )
        audit_record(
            actor=actor,
            action="create",
            object_type="development.activity",
            detail={"intervision_sessions": len(rows), "projected": True, "registers": registers},
        )
    return len(rows)


# Learning goals -------------------------------------------------------------------------------------------


def _goal_fields(actor, *, title, description, status, target_date, sources, errors: dict) -> dict:
    title = limited_text(title, "title", 200, errors, _("Say what you want to learn."))
    description = limited_text(description, "description", TEXT_MAX, errors)
    if status not in GoalStatus.values:
        errors["status"] = _("Choose a status.")
    if target_date is not None and target_date < EARLIEST_DATE:
        errors["target_date"] = _("Give a later date.")
    options = selectors.goal_sources(actor)
    clean = {}
    for name in ("source_activity", "source_experiment", "source_evaluation", "source_review"):
        chosen = sources.get(name)
        if chosen is None:
            clean[name] = None
        elif chosen.pk not in options[name]:
            errors[name] = _("Choose one of your own reflections.")
        else:
            clean[name] = chosen
    checkpoint = (sources.get("source_checkpoint") or "").strip()
    if checkpoint and clean.get("source_review") is None:
        errors.setdefault("source_checkpoint", _("Choose the case review this checkpoint comes from."))
    elif checkpoint:
        found = selectors.review_checkpoint(clean["source_review"], checkpoint)
        if found is None or found["verdict"] != "attention":
            errors["source_checkpoint"] = _("Choose a checkpoint that needed attention in this review.")
    clean["source_checkpoint"] = checkpoint
    return {
        "title": title,
        "description": description,
        "status": status,
        "target_date": target_date,
        **clean,
    }


def goal_create(
    *,
    actor,
    title: str,
    description: str = "",
    status: str = GoalStatus.OPEN,
    target_date=None,
    sources: dict | None = None,
    shared_with_mentor: bool = False,
    shared_with_lead: bool = False,
) -> LearningGoal:
    if not policies.may_keep_log(actor):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    fields = _goal_fields(
        actor,
        title=title,
        description=description,
        status=status,
        target_date=target_date,
        sources=sources or {},
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        goal = LearningGoal.objects.create(
            owner=actor, shared_with_mentor=shared_with_mentor, shared_with_lead=shared_with_lead, **fields
        )
        audit_record(actor=actor, action="create", obj=goal, detail=_source_detail(goal))
    return goal


def _source_detail(goal) -> dict:
    return {
        "from_activity": goal.source_activity_id is not None,
        "from_experiment": goal.source_experiment_id is not None,
        "from_evaluation": goal.source_evaluation_id is not None,
        "from_review": goal.source_review_id is not None,
    }


def goal_update(
    *,
    actor,
    goal: LearningGoal,
    base_version: int | None,
    title: str,
    description: str = "",
    status: str = GoalStatus.OPEN,
    target_date=None,
    sources: dict | None = None,
    shared_with_mentor: bool = False,
    shared_with_lead: bool = False,
) -> None:
    if not policies.can_edit_goal(actor, goal):
        raise PermissionDeniedError(_("Only the owner changes a learning goal."))
    errors: dict[str, str] = {}
    fields = _goal_fields(
        actor,
        title=title,
        description=description,
        status=status,
        target_date=target_date,
        sources=sources or {},
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the row and compare the version the writer saw.
        current = LearningGoal.objects.select_for_update().get(pk=goal.pk)
        if current.version != base_version:
            raise ConcurrentEditError(
                _(
                    "This goal was changed (in another window or tab) after you opened it. Nothing is saved: "
                    "your text is still below; open the goal again to see the current version."
                )
            )
        for name, value in fields.items():
            setattr(current, name, value)
        current.shared_with_mentor, current.shared_with_lead = shared_with_mentor, shared_with_lead
        current.version += 1
        current.save()
        audit_record(actor=actor, action="change", obj=current, detail=_source_detail(current))
    goal.refresh_from_db()


def goal_progress_add(*, actor, goal: LearningGoal, date, note: str) -> GoalProgress:
    if not policies.can_edit_goal(actor, goal):
        raise PermissionDeniedError(_("Only the owner records progress on a learning goal."))
    errors: dict[str, str] = {}
    note = limited_text(note, "note", TEXT_MAX, errors, _("Say what you did or noticed."))
    if date is None:
        errors["date"] = _("Give the date.")
    elif date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        progress = GoalProgress.objects.create(goal=goal, date=date, note=note)
        if goal.status == GoalStatus.OPEN:
            LearningGoal.objects.filter(pk=goal.pk).update(
                status=GoalStatus.WORKING, version=F("version") + 1, updated_at=timezone.now()
            )
        audit_record(actor=actor, action="create", obj=progress, detail={"goal": str(goal.uuid)})
    return progress


# Mentor relations -----------------------------------------------------------------------------------------


def mentorship_start(*, actor, mentor, started_on: dt.date | None = None) -> Mentorship:
    """The actor (a newcomer) asks a colleague to be their mentor."""
    if not policies.can_start_mentorship(actor):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    if mentor is None or not policies.eligible_mentors(actor).filter(pk=mentor.pk).exists():
        errors["mentor"] = _("Choose a colleague of your organisation as your mentor.")
    elif policies.visible_mentorships(actor).filter(mentor=mentor, mentee=actor, ended_on=None).exists():
        errors["mentor"] = _("This colleague is your mentor already.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        mentorship = Mentorship.objects.create(
            organisation_id=actor.organisation_id,
            mentor=mentor,
            mentee=actor,
            started_on=started_on or timezone.localdate(),
        )
        audit_record(actor=actor, action="create", obj=mentorship, detail={"mentor": mentor.username})
    return mentorship


def mentorship_notes(*, actor, mentorship: Mentorship, base_version: int | None, notes: str) -> None:
    if not policies.can_write_mentorship(actor, mentorship):
        raise PermissionDeniedError(_("The mentor relation has ended: its notes can no longer change."))
    errors: dict[str, str] = {}
    notes = limited_text(notes, "notes", NOTES_MAX, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
        if current.version != base_version:
            raise ConcurrentEditError(
                _(
                    "Your mentor or mentee saved the notes after you opened them. Your text is not saved: it "
                    "is still below, so you can copy it into the current notes."
                )
            )
        current.notes = notes
        current.version += 1
        current.save(update_fields=["notes", "version", "updated_at"])
        audit_record(actor=actor, action="change", obj=current, detail={"notes": True})
    mentorship.refresh_from_db()


def meeting_add(*, actor, mentorship: Mentorship, date, summary: str) -> MentorMeeting:
    if not policies.can_write_mentorship(actor, mentorship):
        raise PermissionDeniedError(_("The mentor relation has ended: add no more meetings to it."))
    errors: dict[str, str] = {}
    summary = limited_text(summary, "summary", TEXT_MAX, errors, _("Say what you discussed and agreed."))
    if date is None:
        errors["date"] = _("Give the date of the meeting.")
    elif date < mentorship.started_on:
        errors["date"] = _("The date cannot be before the mentor relation started.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = MentorMeeting.objects.create(
            mentorship=mentorship, date=date, summary=summary, author=actor
        )
        audit_record(actor=actor, action="create", obj=meeting, detail={"mentorship": str(mentorship.uuid)})
    return meeting


def mentorship_end(*, actor, mentorship: Mentorship) -> None:
    if not policies.can_write_mentorship(actor, mentorship):
        raise PermissionDeniedError(_("The mentor relation has ended already."))
    with transaction.atomic():
        Mentorship.objects.filter(pk=mentorship.pk).update(
            ended_on=timezone.localdate(), version=F("version") + 1, updated_at=timezone.now()
        )
        audit_record(actor=actor, action="change", obj=mentorship, detail={"ended": True})
