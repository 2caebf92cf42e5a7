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
from waardewerk.core.content_versions import ContentStore, LoadResult
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.intervision import policies
from waardewerk.intervision.method import MethodError, check_method
from waardewerk.intervision.models import (
    Experiment,
    IntervisionGroup,
    IntervisionMethod,
    IntervisionSession,
    MethodVersion,
)
from waardewerk.trajectories.policies import visible_trajectories

METHODS_DIR = Path(__file__).resolve().parent / "methods"
NAME_MAX = 120
SCHEDULE_MAX = 200
QUESTION_MAX = 1000
NOTE_MAX = 2000
CHOICE_MAX = 1000
EXPERIMENT_MAX = 1000
REFLECTION_MAX = 2000
MAX_UNTIL_DAYS = 366


class MethodStore(ContentStore):
    """Intervision methods as versioned content (the rules: ``core.content_versions``)."""

    item_model = IntervisionMethod
    version_model = MethodVersion
    error = MethodError
    noun = "intervision method"
    load_command = "waardewerk intervision methods load"

    def check(self, raw) -> dict:
        return check_method(raw)

    def shipped_files(self) -> list[Path]:
        return sorted(METHODS_DIR.glob("*.yaml"))


METHODS = MethodStore()


def method_load(text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
    return METHODS.load(text, filename=filename, loaded_by=loaded_by)


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
    version = METHODS.current(method_key) if method_key else None
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


def session_record(
    *,
    actor,
    session: IntervisionSession,
    base_version: int | None,
    core_question: str,
    notes: dict[str, str],
    choice: str,
    case_owner=None,
) -> None:
    """Save the record of a session: the core question, notes per phase of its method, the choice."""
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
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = IntervisionSession.objects.filter(pk=session.pk, version=base_version).update(
            core_question=core_question,
            phase_notes=json.dumps(clean, ensure_ascii=False) if clean else "",
            choice=choice,
            case_owner=case_owner,
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
    *, actor, experiment: Experiment, session: IntervisionSession, what_happened: str, learned: str
) -> None:
    """The owner reflects on an experiment at a later session of the same group."""
    if not policies.can_reflect(actor, experiment):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    if session.group_id != experiment.session.group_id or session.date <= experiment.session.date:
        errors["__all__"] = _("Reflect on an experiment at a later session of the same group.")
    what_happened = _limited(what_happened, "what_happened", REFLECTION_MAX, errors, _("Say what happened."))
    learned = _limited(learned, "learned", REFLECTION_MAX, errors, _("Say what you learned."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        experiment.reflection_session = session
        experiment.what_happened = what_happened
        experiment.learned = learned
        experiment.reflected_at = timezone.now()
        experiment.save(
            update_fields=["reflection_session", "what_happened", "learned", "reflected_at", "updated_at"]
        )
        audit_record(actor=actor, action="change", obj=experiment, detail={"session": str(session.uuid)})
