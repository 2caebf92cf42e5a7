"""Writes of intervision: methods (versioned content), groups, sessions, experiments and reflections.

Every write checks its policy, validates (a ``ValidationError`` with field errors, nothing stored), runs in
one transaction and writes an audit event. A session record carries the version the writer saw; when a
fellow member saved the record meanwhile the write is refused with ``ConcurrentEditError``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.core.content_versions import ContentStore, LoadResult
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.intervision import casedata, focus, policies
from waardewerk.intervision.in_effect import version_in_effect
from waardewerk.intervision.method import MethodError, check_method
from waardewerk.intervision.models import (
    Attendance,
    AttendanceStatus,
    CasePresentation,
    CaseReview,
    CheckpointSet,
    CheckpointSetVersion,
    Experiment,
    IntervisionGroup,
    IntervisionMethod,
    IntervisionSession,
    MethodVersion,
    PresentationStatus,
)
from waardewerk.intervision.presentation import PARTS, SECTORS, build, fingerprint
from waardewerk.intervision.review import OUTCOMES, CheckpointError, check_checkpoints, evaluate
from waardewerk.trajectories.policies import can_view_trajectory, visible_trajectories

METHODS_DIR = Path(__file__).resolve().parent / "methods"
CHECKPOINTS_DIR = Path(__file__).resolve().parent / "checkpoints"
NAME_MAX = 120
SCHEDULE_MAX = 200
QUESTION_MAX = 1000
NOTE_MAX = 2000
CHOICE_MAX = 1000
EXPERIMENT_MAX = 1000
REFLECTION_MAX = 2000
MAX_UNTIL_DAYS = 366
TITLE_MAX = 200
EXTRA_TERMS_MAX = 1000
WORDS_MAX = 2000


class MethodStore(ContentStore):
    """Intervision methods as versioned content (the rules: ``core.content_versions``)."""

    item_model = IntervisionMethod
    version_model = MethodVersion
    error = MethodError
    noun = "intervision method"
    load_command = "waardewerk intervision methods load"

    def check(self, raw) -> dict:
        return check_method(raw)

    def scope(self) -> dict:
        # The installation's methods; an organisation's own are ``content_edit.OrganisationMethods``.
        return {"organisation_id": None}

    def shipped_files(self) -> list[Path]:
        return sorted(METHODS_DIR.glob("*.yaml"))


METHODS = MethodStore()


def method_load(text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
    return METHODS.load(text, filename=filename, loaded_by=loaded_by)


class CheckpointStore(ContentStore):
    """Review checkpoints as versioned content (docs/intervision.md, "Checkpoints")."""

    item_model = CheckpointSet
    version_model = CheckpointSetVersion
    error = CheckpointError
    noun = "review checkpoint set"
    load_command = "waardewerk intervision checkpoints load"

    def check(self, raw) -> dict:
        return check_checkpoints(raw)

    def scope(self) -> dict:
        # The installation's checkpoints; an organisation's own are ``content_edit.OrganisationCheckpoints``.
        return {"organisation_id": None}

    def shipped_files(self) -> list[Path]:
        return sorted(CHECKPOINTS_DIR.glob("*.yaml"))


CHECKPOINTS = CheckpointStore()


def checkpoints_load(text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
    return CHECKPOINTS.load(text, filename=filename, loaded_by=loaded_by)


# Helpers ------------------------------------------------------------------------------------------------


def _limited(value: str | None, field: str, maximum: int, errors: dict, required: str = "") -> str:
    value = (value or "").strip()
    if not value and required:
        errors[field] = required
    elif len(value) > maximum:
        errors[field] = _("Use at most %(max)d characters (now %(n)d).") % {"max": maximum, "n": len(value)}
    return value


def _members(actor, members, errors: dict) -> list:
    members = list(members or [])
    eligible = {user.pk: user for user in policies.eligible_members(actor)}
    chosen = [eligible.get(getattr(m, "pk", m)) for m in members]
    if any(user is None for user in chosen):
        errors["members"] = _("Choose members among the professionals and team leads of the organisation.")
    elif len(chosen) < 2:
        errors["members"] = _("A group needs at least two members.")
    return [user for user in chosen if user is not None]


# Groups (the functional administrator) -------------------------------------------------------------------


def group_create(*, actor, name: str, schedule: str = "", members) -> IntervisionGroup:
    if not policies.can_manage_groups(actor):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    name = _limited(name, "name", NAME_MAX, errors, _("Give the group a name."))
    schedule = _limited(schedule, "schedule", SCHEDULE_MAX, errors)
    chosen = _members(actor, members, errors)
    if name and IntervisionGroup.objects.filter(organisation_id=actor.organisation_id, name=name).exists():
        errors["name"] = _("The organisation has a group with this name already.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        group = IntervisionGroup.objects.create(
            organisation_id=actor.organisation_id, name=name, schedule=schedule
        )
        group.members.set(chosen)
        audit_record(
            actor=actor, action="create", obj=group, detail={"members": sorted(u.username for u in chosen)}
        )
    return group


def group_update(*, actor, group: IntervisionGroup, name: str, schedule: str = "", members) -> None:
    if not policies.can_manage_groups(actor) or group.organisation_id != actor.organisation_id:
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    name = _limited(name, "name", NAME_MAX, errors, _("Give the group a name."))
    schedule = _limited(schedule, "schedule", SCHEDULE_MAX, errors)
    chosen = _members(actor, members, errors)
    others = IntervisionGroup.objects.filter(organisation_id=group.organisation_id, name=name)
    if name and others.exclude(pk=group.pk).exists():
        errors["name"] = _("The organisation has a group with this name already.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        group.name, group.schedule = name, schedule
        group.save(update_fields=["name", "schedule", "updated_at"])
        group.members.set(chosen)
        audit_record(
            actor=actor, action="change", obj=group, detail={"members": sorted(u.username for u in chosen)}
        )


# Sessions (members) --------------------------------------------------------------------------------------


def session_create(
    *, actor, group: IntervisionGroup, date: dt.date, method_key: str, facilitator, case_owner=None
) -> IntervisionSession:
    """Plan a session: the method's current version is the one it is held with."""
    if not policies.is_member(actor, group):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    version = version_in_effect("method", actor.organisation_id, method_key) if method_key else None
    if version is None:
        errors["method"] = _("Choose one of the methods.")
    members = {m.pk for m in group.members.all()}
    if getattr(facilitator, "pk", None) not in members:
        errors["facilitator"] = _("The facilitator must be a member of the group.")
    if case_owner is not None and case_owner.pk not in members:
        errors["case_owner"] = _("The case owner must be a member of the group.")
    if date is None:
        errors["date"] = _("Give the date of the session.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = IntervisionSession.objects.create(
            group=group,
            date=date,
            method_version=version,
            facilitator=facilitator,
            case_owner=case_owner,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="create",
            obj=session,
            detail={"group": str(group.uuid), "method": version.method.key, "version": version.version},
        )
    return session


def attendance_record(*, actor, session: IntervisionSession, statuses: dict[int, str]) -> None:
    """The facilitator records per member present, sent apologies or absent (every member of the group,
    and any former member recorded before). Replaces what was recorded; one audit event."""
    if not policies.can_record_attendance(actor, session):
        raise PermissionDeniedError(_("The facilitator of the session records who attended."))
    people = {m.pk for m in session.group.members.all()}
    people |= set(Attendance.objects.filter(session=session).values_list("member_id", flat=True))
    errors: dict[str, str] = {}
    for pk in people:
        if statuses.get(pk) not in AttendanceStatus.values:
            errors[f"member_{pk}"] = _("Choose present, sent apologies or absent.")
    if set(statuses) - people:
        errors["__all__"] = _("Record only members of the group.")
    if session.date > timezone.localdate():
        errors["__all__"] = _("Attendance is recorded on or after the day of the session.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = {a.member_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
        for pk in people:
            row = existing.get(pk)
            if row is None:
                Attendance.objects.create(
                    session=session, member_id=pk, status=statuses[pk], recorded_by=actor
                )
            elif row.status != statuses[pk]:
                row.status, row.recorded_by = statuses[pk], actor
                row.save(update_fields=["status", "recorded_by", "recorded_at"])
        audit_record(
            actor=actor,
            action="change",
            obj=session,
            detail={
                "attendance": {
                    status: sum(1 for pk in people if statuses[pk] == status)
                    for status in AttendanceStatus.values
                }
            },
        )


def session_record(
    *,
    actor,
    session: IntervisionSession,
    base_version: int | None,
    core_question: str,
    notes: dict[str, str],
    choice: str,
    case_owner=None,
    presentation=None,
    focus: str | None = None,
    focus_note: str = "",
) -> None:
    """Save the record of a session: the core question, notes per phase of its method, the choice, the
    case presentation it takes as its case (a shared one of the group), and the learning cycle's focus
    (``focus``: a value of ``focus.options()``, "" for none, None to leave it as it is)."""
    if not policies.can_write_session(actor, session):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    core_question = _limited(core_question, "core_question", QUESTION_MAX, errors)
    choice = _limited(choice, "choice", CHOICE_MAX, errors)
    phase_keys = [p["key"] for p in session.method_version.definition["phases"]]
    clean = {}
    for key in phase_keys:
        text = _limited(notes.get(key), f"notes_{key}", NOTE_MAX, errors)
        if text:
            clean[key] = text
    if case_owner is not None and not session.group.members.filter(pk=case_owner.pk).exists():
        errors["case_owner"] = _("The case owner must be a member of the group.")
    if presentation is not None and not (
        presentation.group_id == session.group_id and policies.is_readable_by_group(presentation)
    ):
        errors["presentation"] = _("Choose a case presentation shared with this group.")
    focus_fields = _focus_fields(session, focus, focus_note, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = IntervisionSession.objects.filter(pk=session.pk, version=base_version).update(
            **focus_fields,
            core_question=core_question,
            phase_notes=json.dumps(clean, ensure_ascii=False) if clean else "",
            choice=choice,
            case_owner=case_owner,
            presentation=presentation,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise ConcurrentEditError(
                _(
                    "A fellow member saved this session record after you opened it. Your text is not "
                    "saved: it is still below, so you can copy it into the current record."
                )
            )
        audit_record(actor=actor, action="change", obj=session, detail={"phases": sorted(clean)})
    session.refresh_from_db()


def _focus_fields(session, value: str | None, note: str, errors: dict) -> dict:
    note = _limited(note, "focus_note", 500, errors)
    if value is None:
        return {}
    if not value:
        return {"focus_kind": "", "focus_key": "", "focus_label": "", "focus_note": note}
    if value == focus.value_of(session):
        return {"focus_note": note}  # unchanged: the title stays as it was chosen
    chosen = focus.options().get(value)
    if chosen is None:
        errors["focus"] = _("Choose a topic of the guide, an instrument or a guiding principle.")
        return {}
    kind, key, label = chosen
    if value == focus.PRINCIPLE and not note:
        errors["focus_note"] = _("Name the guiding principle the members apply.")
    return {"focus_kind": kind, "focus_key": key, "focus_label": label[:200], "focus_note": note}


def experiment_trajectories(actor):
    """The trajectories an experiment may be linked to: the actor's own open ones."""
    return visible_trajectories(actor).filter(end_date__isnull=True).select_related("client")


def experiment_add(
    *, actor, session: IntervisionSession, description: str, until: dt.date | None, trajectory=None
) -> Experiment:
    """A member agrees an experiment of their own: what they will try, optionally where, until when."""
    if not policies.can_write_session(actor, session):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    description = _limited(description, "description", EXPERIMENT_MAX, errors, _("Say what you will try."))
    if until is None:
        errors["until"] = _("Give the date until which you will try it.")
    elif until < session.date:
        errors["until"] = _("The date cannot be before the session.")
    elif until > session.date + dt.timedelta(days=MAX_UNTIL_DAYS):
        errors["until"] = _("Choose a date within a year of the session.")
    if trajectory is not None and not experiment_trajectories(actor).filter(pk=trajectory.pk).exists():
        errors["trajectory"] = _("Choose one of your own open trajectories.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        experiment = Experiment.objects.create(
            session=session, owner=actor, description=description, until=until, trajectory=trajectory
        )
        audit_record(
            actor=actor,
            action="create",
            obj=experiment,
            client=trajectory.client if trajectory else None,
            detail={"session": str(session.uuid), "linked_to_trajectory": trajectory is not None},
        )
    return experiment


def experiment_reflect(
    *,
    actor,
    experiment: Experiment,
    session: IntervisionSession,
    what_happened: str,
    learned: str,
    link_to_evaluation: bool = False,
) -> None:
    """The owner reflects on an experiment at a later session of the same group; with
    ``link_to_evaluation`` the reflection is shown with the evaluation of the experiment's trajectory
    ("what I would do differently"), while the owner may still see that trajectory."""
    if not policies.can_reflect(actor, experiment):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    if session.group_id != experiment.session.group_id or session.date <= experiment.session.date:
        errors["__all__"] = _("Reflect on an experiment at a later session of the same group.")
    what_happened = _limited(what_happened, "what_happened", REFLECTION_MAX, errors, _("Say what happened."))
    learned = _limited(learned, "learned", REFLECTION_MAX, errors, _("Say what you learned."))
    if link_to_evaluation and not (
        experiment.trajectory_id and can_view_trajectory(actor, experiment.trajectory)
    ):
        errors["link_to_evaluation"] = _("Only a reflection on one of your trajectories can be linked.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        experiment.reflection_session = session
        experiment.what_happened = what_happened
        experiment.learned = learned
        experiment.reflected_at = timezone.now()
        experiment.evaluation_linked_at = (
            (experiment.evaluation_linked_at or timezone.now()) if link_to_evaluation else None
        )
        experiment.save(
            update_fields=[
                "reflection_session",
                "what_happened",
                "learned",
                "reflected_at",
                "evaluation_linked_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action="change",
            obj=experiment,
            client=experiment.trajectory.client if link_to_evaluation else None,
            detail={"session": str(session.uuid), "linked_to_evaluation": bool(link_to_evaluation)},
        )


# Case presentations (the case owner) ---------------------------------------------------------------------


def _intervision_consent(client) -> Consent | None:
    return Consent.objects.filter(
        client=client, kind=ConsentKind.INTERVISION, withdrawn_at__isnull=True
    ).first()


def _presentation_fields(title: str, parts, sector: str, extra_terms: str, errors: dict):
    title = _limited(title, "title", TITLE_MAX, errors, _("Give the presentation a short title."))
    extra_terms = _limited(extra_terms, "extra_terms", EXTRA_TERMS_MAX, errors)
    parts = [p for p in PARTS if p in set(parts or [])]
    if not parts:
        errors["parts"] = _("Choose at least one part to show.")
    if sector and sector not in SECTORS:
        errors["sector"] = _("Choose a sector from the list.")
    return title, parts, sector or "", extra_terms


def presentation_create(
    *, actor, group: IntervisionGroup, trajectory, title: str, parts, sector: str = "", extra_terms: str = ""
) -> CasePresentation:
    """A draft presentation of one of the actor's own trajectories, for a group they are a member of,
    while the client's intervision consent is active. Only the owner sees it until they confirm it."""
    if not policies.is_member(actor, group):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    title, parts, sector, extra_terms = _presentation_fields(title, parts, sector, extra_terms, errors)
    consent = None
    if trajectory is None or not policies.presentable_trajectories(actor).filter(pk=trajectory.pk).exists():
        errors["trajectory"] = _(
            "Choose one of your own trajectories whose client gave consent for intervision."
        )
    else:
        consent = _intervision_consent(trajectory.client)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        presentation = CasePresentation.objects.create(
            group=group,
            owner=actor,
            trajectory=trajectory,
            consent=consent,
            title=title,
            parts=parts,
            sector=sector,
            extra_terms=extra_terms,
        )
        audit_record(
            actor=actor,
            action="create",
            obj=presentation,
            client=trajectory.client,
            detail={"group": str(group.uuid), "parts": parts},
        )
    return presentation


def presentation_update(
    *,
    actor,
    presentation: CasePresentation,
    base_version: int | None,
    title: str,
    parts,
    sector: str = "",
    extra_terms: str = "",
) -> None:
    """Change a draft: title, parts, sector, the words to hide."""
    if not policies.can_edit_presentation(actor, presentation):
        raise PermissionDeniedError(
            _("Only the case owner changes a presentation, and only before sharing it.")
        )
    errors: dict[str, str] = {}
    title, parts, sector, extra_terms = _presentation_fields(title, parts, sector, extra_terms, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = CasePresentation.objects.filter(pk=presentation.pk, version=base_version).update(
            title=title,
            parts=parts,
            sector=sector,
            extra_terms=extra_terms,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise ConcurrentEditError(
                _("The presentation was changed after you opened it (in another window?). Check it again.")
            )
        audit_record(
            actor=actor,
            action="change",
            obj=presentation,
            client=presentation.trajectory.client,
            detail={"parts": parts},
        )
    presentation.refresh_from_db()


def presentation_preview(presentation: CasePresentation) -> dict:
    """What the group would see now (built from the dossier as it is), with the marked words."""
    data = casedata.case_data(presentation.trajectory)
    return build(
        data,
        title=presentation.title,
        parts=presentation.parts,
        sector=presentation.sector,
        extra_terms=presentation.extra_terms,
    )


def presentation_confirm(*, actor, presentation: CasePresentation, seen: str) -> None:
    """Share exactly what the owner saw (``seen``: the fingerprint of the preview they confirmed). When the
    dossier or the draft changed meanwhile the preview differs and the owner must look again."""
    if not policies.can_edit_presentation(actor, presentation):
        raise PermissionDeniedError(_("Only the case owner shares a draft presentation."))
    if presentation.consent.withdrawn_at is not None or not can_view_trajectory(
        actor, presentation.trajectory
    ):
        raise ValidationError(
            {
                "__all__": _(
                    "The client's consent for intervision was withdrawn: the presentation cannot be shared."
                )
            }
        )
    content = presentation_preview(presentation)
    if fingerprint(content) != seen:
        raise ConcurrentEditError(
            _(
                "The presentation changed since you looked at it. Check what the group will see, then "
                "share again."
            )
        )
    with transaction.atomic():
        updated = CasePresentation.objects.filter(
            pk=presentation.pk, status=PresentationStatus.DRAFT, version=presentation.version
        ).update(
            snapshot=json.dumps(content, ensure_ascii=False),
            status=PresentationStatus.SHARED,
            shared_at=timezone.now(),
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if not updated:
            raise ConcurrentEditError(_("The presentation was changed meanwhile. Check it again."))
        audit_record(
            actor=actor,
            action="change",
            obj=presentation,
            client=presentation.trajectory.client,
            detail={"shared_with": str(presentation.group.uuid), "parts": presentation.parts},
        )
    presentation.refresh_from_db()


def presentation_withdraw(*, actor, presentation: CasePresentation) -> None:
    if not policies.can_withdraw_presentation(actor, presentation):
        raise PermissionDeniedError(_("Only the case owner withdraws a presentation."))
    with transaction.atomic():
        CasePresentation.objects.filter(pk=presentation.pk).update(
            status=PresentationStatus.WITHDRAWN,
            withdrawn_at=timezone.now(),
            snapshot="",
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="change",
            obj=presentation,
            client=presentation.trajectory.client,
            detail={"withdrawn": True},
        )
    presentation.refresh_from_db()


# Case reviews ---------------------------------------------------------------------------------------------


def review_start(*, actor, trajectory=None, presentation: CasePresentation | None = None) -> CaseReview:
    """Answer the current checkpoints from the trajectory's data: a review of one's own trajectory, or a
    peer's review through a shared presentation."""
    checkpoints = version_in_effect("checkpoints", actor.organisation_id)
    if checkpoints is None:
        raise ValidationError({"__all__": _("No review checkpoints are loaded.")})
    if presentation is not None:
        if not policies.can_review_presentation(actor, presentation):
            raise PermissionDeniedError(
                _("Members of the group review a shared presentation of a colleague.")
            )
        trajectory = presentation.trajectory
    elif trajectory is None or not policies.reviewable_trajectories(actor).filter(pk=trajectory.pk).exists():
        raise PermissionDeniedError(
            _("You review your own trajectories, or a colleague's through a presentation.")
        )
    results = evaluate(checkpoints.definition, casedata.review_facts(trajectory))
    with transaction.atomic():
        review = CaseReview.objects.create(
            trajectory=trajectory,
            presentation=presentation,
            reviewer=actor,
            checkpoints=checkpoints,
            results=json.dumps(results, ensure_ascii=False),
        )
        audit_record(
            actor=actor,
            action="create",
            obj=review,
            client=trajectory.client,
            detail={
                "presentation": str(presentation.uuid) if presentation else "",
                "group": presentation.group.name if presentation else "",
                "as_group": actor.pk != trajectory.responsible_id,
            },
        )
    return review


def review_group_name(review: CaseReview) -> str:
    """The group a review belongs to: where it is shared, or the group of its presentation."""
    if review.group_id:
        return review.group.name
    return review.presentation.group.name if review.presentation_id else ""


def review_save(
    *, actor, review: CaseReview, base_version: int | None, verdicts: dict, words: dict, share_with=None
) -> None:
    """The reviewer's verdict (met, needs attention, not applicable) and words per checkpoint, and where
    it is shared (a group, or None)."""
    if not policies.can_edit_review(actor, review):
        raise PermissionDeniedError(_("Only the reviewer changes a review."))
    errors: dict[str, str] = {}
    results = review.result_list
    for result in results:
        key = result["key"]
        verdict = verdicts.get(key) or result["outcome"]
        if verdict not in OUTCOMES:
            errors[f"verdict_{key}"] = _("Choose met, needs attention or not applicable.")
        result["verdict"] = verdict
        result["words"] = _limited(words.get(key), f"words_{key}", WORDS_MAX, errors)
    if share_with is not None:
        if not policies.shareable_groups(actor, review).filter(pk=share_with.pk).exists():
            errors["share_with"] = _("Choose one of your groups.")
        elif _intervision_consent(review.trajectory.client) is None:
            errors["share_with"] = _("The client gave no consent for intervision: the review stays with you.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        updated = CaseReview.objects.filter(pk=review.pk, version=base_version).update(
            results=json.dumps(results, ensure_ascii=False),
            group=share_with,
            shared_at=(review.shared_at or now) if share_with is not None else None,
            version=F("version") + 1,
            updated_at=now,
        )
        if not updated:
            raise ConcurrentEditError(
                _(
                    "The review was saved elsewhere after you opened it. Your words are still below: "
                    "copy them."
                )
            )
        audit_record(
            actor=actor,
            action="change",
            obj=review,
            client=review.trajectory.client,
            detail={
                "shared_with": str(share_with.uuid) if share_with else "",
                "group": share_with.name if share_with else review_group_name(review),
                "as_group": actor.pk != review.trajectory.responsible_id,
            },
        )
    review.refresh_from_db()
