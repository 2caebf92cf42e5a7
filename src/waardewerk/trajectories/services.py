"""Writes of trajectories and the cycle. Each service checks the policy and runs in one transaction."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_read, audit_record
from waardewerk.clients.actor import is_client_actor
from waardewerk.clients.duplicates import find_duplicates
from waardewerk.clients.models import Client, Consent, ConsentKind, ConsentVia
from waardewerk.clients.policies import is_the_client
from waardewerk.clients.services import DuplicateBSNError, clean_client_data, raise_if_bsn_taken
from waardewerk.core import crypto, formats
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.core.limits import too_long_message
from waardewerk.timeline.services import timeline_append
from waardewerk.trajectories import instrument_roles, policies, projection
from waardewerk.trajectories.models import (
    Action,
    ActionOwner,
    ActionStatus,
    Adjustment,
    AgreementMethod,
    AssignmentKind,
    Context,
    Conversation,
    ConversationMode,
    EmergencyAccess,
    EndReason,
    Evaluation,
    Handover,
    Participant,
    Phase,
    PhaseChange,
    PlanAgreement,
    PlanVersion,
    ProgressNote,
    Prompt,
    Trajectory,
    TrajectoryAssignment,
)
from waardewerk.trajectories.plan import PlanContent, check_content, content_keys
from waardewerk.trajectories.signals import plan_saved, trajectory_started

REASON_MAX = 500


def _require_text(value: str | None, field: str, errors: dict, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = _("This field is required.")
    elif max_length and len(text) > max_length:
        errors[field] = _("Use at most %(max)d characters (now %(n)d).") % {"max": max_length, "n": len(text)}
    return text


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _check_choice(value, choices, field: str, errors: dict, message: str):
    if value not in choices.values:
        errors[field] = message


def _require_change(actor, trajectory: Trajectory) -> None:
    """Refuse (403, with the reason) a change by someone who may not change this trajectory (now)."""
    if not policies.can_change_trajectory(actor, trajectory):
        raise PermissionDeniedError(policies.refusal_to_change(trajectory))


def _check_staffing_candidate(actor, user, field: str, errors: dict) -> None:
    if not policies.is_staffing_candidate(actor, user):
        yourself = user is not None and user.pk == actor.pk
        errors[field] = (
            policies.refusal_to_give_yourself_access()
            if yourself
            else _("Choose a professional of your organisation.")
        )


def _require_staffing(actor, trajectory: Trajectory) -> None:
    if not policies.can_manage_staffing(actor, trajectory):
        raise PermissionDeniedError(policies.refusal_to_manage_staffing(trajectory))


def _bump_version(trajectory: Trajectory, version: int | None, **changes) -> None:
    query = Trajectory.objects.filter(pk=trajectory.pk)
    if version is not None:
        query = query.filter(version=version)
    if not query.update(version=F("version") + 1, **changes):
        raise ConcurrentEditError(
            _("Someone else changed this trajectory after you opened the page. Reload and try again.")
        )
    for name, value in changes.items():
        setattr(trajectory, name, value)
    trajectory.version = (version or trajectory.version) + 1


def trajectory_start(
    *,
    actor,
    client,
    context: str,
    responsible,
    start_date: dt.date,
    question: str,
    team=None,
) -> Trajectory:
    if not policies.can_start_trajectory(actor, client):
        raise PermissionDeniedError(_("You can read this dossier but not start a trajectory in it."))
    return _start(
        actor,
        client,
        context=context,
        responsible=responsible,
        start_date=start_date,
        question=question,
        team=team,
        professionals=policies.assignable_professionals(actor),
    )


def trajectory_import(
    *, actor, client, context: str, responsible, start_date: dt.date, question: str, team=None, source: str
) -> Trajectory:
    """Start a trajectory from a row of an import file (docs/import.md): the checks, phase change, timeline
    entry and audit event of ``trajectory_start``, for who may import, for a client of their organisation;
    ``source`` (the file and row) goes into the access log."""
    if not policies.can_import_trajectories(actor) or client.organisation_id != actor.organisation_id:
        raise PermissionDeniedError
    return _start(
        actor,
        client,
        context=context,
        responsible=responsible,
        start_date=start_date,
        question=question,
        team=team,
        professionals=policies.importable_professionals(actor),
        reason=f"import: {source}"[:500],
    )


def _start(
    actor, client, *, context, responsible, start_date, question, team, professionals, reason=""
) -> Trajectory:
    errors: dict = {}
    _check_choice(context, Context, "context", errors, _("Choose a context from the list."))
    question = _require_text(question, "question", errors, _max_length(Trajectory, "question"))
    if responsible is None or not professionals.filter(pk=responsible.pk).exists():
        errors["responsible"] = _("Choose a professional of your organisation.")
    if start_date is None:
        errors["start_date"] = _("This field is required.")
    elif start_date > timezone.localdate() + dt.timedelta(days=365):
        errors["start_date"] = _("The start date is more than a year ahead.")
    elif start_date < client.date_of_birth:
        errors["start_date"] = _("The start date is before the client's date of birth.")
    if Trajectory.objects.filter(client=client, end_date__isnull=True).exists():
        errors["__all__"] = _("This client already has an open trajectory. Close it first.")
    if errors:
        raise ValidationError(errors)
    if team is None:
        team = responsible.teams.order_by("name").first()
    now = timezone.now()
    with transaction.atomic():
        trajectory = Trajectory.objects.create(
            client=client,
            organisation_id=client.organisation_id,
            team=team,
            responsible=responsible,
            context=context,
            start_date=start_date,
            question=question,
            phase=Phase.INTAKE,
            phase_since=now,
        )
        started = PhaseChange.objects.create(
            trajectory=trajectory,
            from_phase="",
            to_phase=Phase.INTAKE,
            reason=_("Trajectory started"),
            changed_by=actor,
            changed_at=now,
        )
        timeline_append(projection.phase_change(started))
        # The instruments app sets the due date of the first measurements (``measurement_due_on``).
        trajectory_started.send(sender=Trajectory, trajectory=trajectory)
        trajectory.refresh_from_db(fields=["measurement_due_on"])
    audit_record(actor=actor, action="create", client=client, obj=trajectory, reason=reason)
    return trajectory


def trajectory_change_phase(
    *, actor, trajectory: Trajectory, to_phase: str, reason: str, version: int
) -> PhaseChange:
    _require_change(actor, trajectory)
    errors: dict = {}
    if to_phase not in Phase.values:
        errors["to_phase"] = _("Unknown phase. Choose one of the phases of the cycle.")
    elif to_phase == trajectory.phase:
        errors["to_phase"] = _("The trajectory is already in this phase.")
    reason = _require_text(reason, "reason", errors, REASON_MAX)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        from_phase = trajectory.phase
        _bump_version(trajectory, version, phase=to_phase, phase_since=now)
        audit_record(
            actor=actor,
            action="change",
            client=trajectory.client,
            obj=trajectory,
            detail={"phase": [from_phase, to_phase]},
        )
        change = PhaseChange.objects.create(
            trajectory=trajectory,
            from_phase=from_phase,
            to_phase=to_phase,
            reason=reason,
            changed_by=actor,
            changed_at=now,
        )
        timeline_append(projection.phase_change(change))
        return change


def trajectory_close(
    *, actor, trajectory: Trajectory, end_date: dt.date | None, end_reason: str, note: str, version: int
) -> Trajectory:
    _require_change(actor, trajectory)
    errors: dict = {}
    _check_choice(end_reason, EndReason, "end_reason", errors, _("Choose an end reason from the list."))
    if end_date is None:
        errors["end_date"] = _("This field is required.")
    elif end_date < trajectory.start_date:
        errors["end_date"] = _("The end date cannot be before the start date (%(date)s).") % {
            "date": formats.day(trajectory.start_date, formats.TEXT)
        }
    elif end_date > timezone.localdate():
        errors["end_date"] = _("The end date cannot be in the future.")
    note = (note or "").strip()
    if end_reason == EndReason.OTHER and not note:
        errors["note"] = _("Describe the reason when you choose 'Other'.")
    elif len(note) > _max_length(Trajectory, "end_note"):
        errors["note"] = too_long_message(_max_length(Trajectory, "end_note"), len(note))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _bump_version(
            trajectory,
            version,
            end_date=end_date,
            end_reason=end_reason,
            end_note=note,
            measurement_due_on=None,
        )
        Action.objects.filter(trajectory=trajectory, status=ActionStatus.OPEN).update(
            status=ActionStatus.CANCELLED
        )
        timeline_append(projection.closed(trajectory, actor=actor, at=timezone.now()))
    audit_record(
        actor=actor, action="change", client=trajectory.client, obj=trajectory, detail={"closed": end_reason}
    )
    return trajectory


def conversation_record(
    *,
    actor,
    trajectory: Trajectory,
    date: dt.date | None,
    mode: str,
    summary: str,
    participants: list[str] | None = None,
    other_participants: str = "",
    topics: list[str] | None = None,
    guide_version=None,
    principles: list[str] | None = None,
    principles_version=None,
    agreements: list[dict] | None = None,
) -> Conversation:
    """Record a conversation; each agreement (description, owner, due date) becomes an action. The guiding
    principles it served are keys of ``principles_version`` (docs/knowledge.md, "Guiding principles")."""
    _require_change(actor, trajectory)
    errors: dict = {}
    _check_choice(mode, ConversationMode, "mode", errors, _("Choose a form from the list."))
    summary = _require_text(summary, "summary", errors, 5000)
    if date is None:
        errors["date"] = _("This field is required.")
    elif date > timezone.localdate():
        errors["date"] = _(
            "A conversation that has not happened yet cannot be recorded. Plan it as an action."
        )
    elif date < trajectory.start_date:
        errors["date"] = _("The date is before the start of the trajectory.")
    participants = list(dict.fromkeys(participants or [Participant.CLIENT, Participant.PROFESSIONAL]))
    if not set(participants) <= set(Participant.values):
        errors["participants"] = _("Choose who took part from the list.")
    other_participants = (other_participants or "").strip()
    if Participant.OTHER in participants and not other_participants:
        errors["other_participants"] = _("Say who else took part (a name or role).")
    if len(other_participants) > 200:
        errors["other_participants"] = _("Use at most %(max)d characters (now %(n)d).") % {
            "max": 200,
            "n": len(other_participants),
        }
    topics = list(dict.fromkeys(topics or []))
    principles = list(dict.fromkeys(principles or []))
    known = {p["key"] for p in (principles_version.definition["principles"] if principles_version else [])}
    if not set(principles) <= known:
        errors["principles"] = _("Choose the principles from the list.")
    clean_agreements = []
    for index, agreement in enumerate(agreements or []):
        description = (agreement.get("description") or "").strip()
        if not description:
            continue
        field = f"agreement-{index}"
        if len(description) > 300:
            errors[field] = _("Describe the agreement in at most 300 characters.")
        elif agreement.get("owner") not in ActionOwner.values:
            errors[field] = _("Choose who carries out the agreement.")
        elif agreement.get("due_date") is None:
            errors[field] = _("Give a due date for the agreement.")
        elif agreement["due_date"] < date if date else False:
            errors[field] = _("The due date is before the conversation.")
        else:
            clean_agreements.append({**agreement, "description": description})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            trajectory=trajectory,
            date=date,
            mode=mode,
            phase=trajectory.phase,
            participants=participants,
            other_participants=other_participants,
            topics=topics,
            guide_version=guide_version,
            principles=principles,
            principles_version=principles_version if principles else None,
            summary=summary,
            recorded_by=actor,
        )
        actions = Action.objects.bulk_create(
            Action(
                trajectory=trajectory,
                description=a["description"],
                owner=a["owner"],
                agreed_on=date,
                due_date=a["due_date"],
                goal_key=a.get("goal_key", ""),
                conversation=conversation,
                created_by=actor,
            )
            for a in clean_agreements
        )
        timeline_append(projection.conversation(conversation), *map(projection.action_agreed, actions))
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=conversation,
        detail={"topics": len(topics), "principles": len(principles), "agreements": len(actions)},
    )
    return conversation


def action_create(
    *,
    actor,
    trajectory: Trajectory,
    description: str,
    owner: str,
    due_date: dt.date | None,
    goal_key: str = "",
) -> Action:
    _require_change(actor, trajectory)
    errors: dict = {}
    description = _require_text(description, "description", errors, 300)
    _check_choice(owner, ActionOwner, "owner", errors, _("Choose who carries out the action."))
    if due_date is None:
        errors["due_date"] = _("This field is required.")
    elif due_date < trajectory.start_date:
        errors["due_date"] = _("The due date is before the start of the trajectory.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = Action.objects.create(
            trajectory=trajectory,
            description=description,
            owner=owner,
            due_date=due_date,
            goal_key=goal_key or "",
            created_by=actor,
        )
        timeline_append(projection.action_agreed(action))
    audit_record(actor=actor, action="create", client=trajectory.client, obj=action)
    return action


def action_set_status(*, actor, action: Action, status: str) -> Action:
    _require_change(actor, action.trajectory)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    changed = status != action.status
    with transaction.atomic():
        action.status = status
        action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
        action.completed_by_client = False
        action.save(update_fields=["status", "completed_on", "completed_by_client", "updated_at"])
        if changed:
            timeline_append(projection.action_status(action, actor=actor, at=action.updated_at))
    audit_record(
        actor=actor, action="change", client=action.trajectory.client, obj=action, detail={"status": status}
    )
    return action


def action_complete_by_client(*, actor, action: Action) -> Action:
    """The client marks one of their own actions done in the portal; the professional sees it in the
    timeline ("marked done by the client")."""
    if not policies.can_client_complete_action(actor, action):
        raise PermissionDeniedError
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        updated = Action.objects.filter(pk=action.pk, status=ActionStatus.OPEN).update(
            status=ActionStatus.DONE, completed_on=today, completed_by_client=True, updated_at=now
        )
        if not updated:
            # Only the client marks an action done this way: the message is for the portal (B1, "u").
            raise ValidationError(_("This action was changed just now. Below you see how it is now."))
        action.status, action.completed_on, action.completed_by_client = ActionStatus.DONE, today, True
        timeline_append(projection.action_done_by_client(action, at=now))
    audit_record(
        actor=actor,
        action="change",
        client=action.trajectory.client,
        obj=action,
        detail={"status": ActionStatus.DONE, "by": "client"},
    )
    return action


# Staffing: responsible professional and assignments ------------------------------------------------------


def assignment_add(
    *, actor, trajectory: Trajectory, user, kind: str, starts_on: dt.date | None, ends_on: dt.date | None
) -> TrajectoryAssignment:
    _require_staffing(actor, trajectory)
    errors: dict = {}
    _check_choice(kind, AssignmentKind, "kind", errors, _("Choose co-professional or substitute."))
    _check_staffing_candidate(actor, user, "user", errors)
    if "user" not in errors and user.pk == trajectory.responsible_id:
        errors["user"] = _("This professional is already responsible for the trajectory.")
    if starts_on is None:
        errors["starts_on"] = _("This field is required.")
    elif starts_on < trajectory.start_date:
        errors["starts_on"] = _("The assignment cannot start before the trajectory (%(date)s).") % {
            "date": formats.day(trajectory.start_date, formats.TEXT)
        }
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The end date cannot be before the start date.")
    elif ends_on is not None and ends_on < timezone.localdate():
        errors["ends_on"] = _("The end date is in the past.")
    if not errors and (
        TrajectoryAssignment.objects.filter(trajectory=trajectory, user=user, revoked_at__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .filter(Q(starts_on__lte=ends_on) if ends_on else Q())
        .exists()
    ):
        errors["user"] = _("This colleague already has an assignment for this trajectory in that period.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = TrajectoryAssignment.objects.create(
            trajectory=trajectory,
            user=user,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        timeline_append(projection.assignment(assignment))
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=assignment,
        detail={"user": user.get_username(), "kind": kind},
    )
    return assignment


def assignment_end(*, actor, assignment: TrajectoryAssignment) -> TrajectoryAssignment:
    """End an assignment now: access stops at once. A future assignment is removed."""
    _require_staffing(actor, assignment.trajectory)
    now = timezone.now()
    with transaction.atomic():
        timeline_append(projection.assignment_ended(assignment, actor=actor, at=now))
        if assignment.starts_on > timezone.localdate():
            audit_record(actor=actor, action="delete", client=assignment.trajectory.client, obj=assignment)
            assignment.delete()
            return assignment
        assignment.revoked_at = now
        assignment.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        action="change",
        client=assignment.trajectory.client,
        obj=assignment,
        detail={"ended": True},
    )
    return assignment


def trajectory_transfer(
    *, actor, trajectory: Trajectory, responsible, reason: str, version: int
) -> Trajectory:
    """Hand the trajectory to another professional; the handover is kept in the timeline."""
    _require_staffing(actor, trajectory)
    errors: dict = {}
    _check_staffing_candidate(actor, responsible, "responsible", errors)
    if "responsible" not in errors and responsible.pk == trajectory.responsible_id:
        errors["responsible"] = _("This professional is already responsible.")
    reason = _require_text(reason, "reason", errors, REASON_MAX)
    if errors:
        raise ValidationError(errors)
    previous = trajectory.responsible
    now = timezone.now()
    with transaction.atomic():
        team = responsible.teams.order_by("name").first() or trajectory.team
        _bump_version(trajectory, version, responsible=responsible, team=team)
        handover = Handover.objects.create(
            trajectory=trajectory,
            from_user=previous,
            to_user=responsible,
            reason=reason,
            handed_over_by=actor,
            handed_over_at=now,
        )
        timeline_append(projection.handover(handover))
    audit_record(
        actor=actor,
        action="change",
        client=trajectory.client,
        obj=trajectory,
        detail={"responsible": [previous.get_username(), responsible.get_username()]},
    )
    return trajectory


# Emergency access ("break the glass") -----------------------------------------------------------------


def emergency_access_open(*, actor, trajectory: Trajectory, reason: str, now=None) -> EmergencyAccess:
    """A team lead opens time-limited read access to a dossier of their team, with a reason. The responsible
    professional sees it on the trajectory page, the client in the portal, the functional administrator in
    the access log, where it and every read under it are flagged."""
    if not policies.can_open_emergency_access(actor, trajectory):
        raise PermissionDeniedError(
            _("You can open emergency access only to a dossier of a team you lead that you cannot read now.")
        )
    errors: dict = {}
    reason = _require_text(reason, "reason", errors, REASON_MAX)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            trajectory=trajectory,
            user=actor,
            reason=reason,
            starts_at=now,
            ends_at=now + dt.timedelta(hours=settings.WAARDEWERK_EMERGENCY_ACCESS_HOURS),
        )
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=access,
        # Not the reason: it is encrypted at rest, and nothing encrypted goes into the access log (the
        # responsible professional and the client read it with the emergency access itself).
        detail={"trajectory": str(trajectory.uuid), "until": access.ends_at.isoformat()},
        emergency_access=access,
    )
    return access


def dossier_read_record(*, actor, trajectory: Trajectory, obj=None, detail: dict | None = None) -> None:
    """Record a read of a trajectory's dossier contents (``audit_read``: whatever the HTTP method, when the
    response shows it); flagged when it happens under emergency access."""
    audit_read(
        actor=actor,
        client=trajectory.client,
        obj=obj if obj is not None else trajectory,
        detail=detail,
        emergency_access=policies.emergency_access_in_use(actor, trajectory),
    )


def client_read_record(*, actor, client, detail: dict | None = None) -> None:
    """Record a read of a client's dossier (as ``dossier_read_record``); flagged when it happens under
    emergency access."""
    audit_read(
        actor=actor,
        client=client,
        obj=client,
        detail=detail,
        emergency_access=policies.emergency_access_for_client(actor, client),
    )


# The plan ------------------------------------------------------------------------------------------------


def plan_save(
    *,
    actor,
    trajectory: Trajectory,
    goals: list[dict],
    choices: list[dict],
    reason: str,
    base_number: int,
    entries: dict | None = None,
) -> PlanVersion:
    """Save the plan as a new version. ``base_number`` is the version the user started from: when someone
    saved a newer version meanwhile, ``ConcurrentEditError`` is raised and nothing is written, so the
    caller can show both (nothing is lost). ``entries`` are the knowledge-base entries a choice may pick
    (``plan.PlanEntry`` by key); ``plan_saved`` is sent inside the transaction, so the knowledge app
    records the choices of entries with the version."""

    _require_change(actor, trajectory)
    latest = trajectory.plan_versions.order_by("-number").only("number", "content").first()
    current = latest.number if latest else 0
    if current != base_number:
        raise ConcurrentEditError(
            _(
                "Someone else saved a newer version of the plan (version %(n)d) after you opened it. "
                "Your changes are not saved yet: they are still in the form below, beside the current plan."
            )
            % {"n": current}
        )
    before = PlanContent.from_json(latest.content) if latest else None
    known_goals, known_choices = content_keys(before)
    values, determinants = plan_vocabulary()
    content, errors = check_content(
        goals,
        choices,
        values=set(values),
        determinants=set(determinants),
        known_goals=known_goals,
        known_choices=known_choices,
        entries=entries,
        previous={c.key: c for c in before.choices} if before else None,
    )
    reason = reason if isinstance(reason, str) else ""
    reason = reason.strip()
    if base_number > 0 and not reason:
        errors["reason"] = _("Say what changed in the plan and why.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Use at most %(max)d characters (now %(n)d).") % {
            "max": REASON_MAX,
            "n": len(reason),
        }
    elif "\x00" in reason:
        errors["reason"] = _("This text contains characters that cannot be stored.")
    if not content.goals and not errors:
        errors["__all__"] = _("A plan needs at least one goal, in the client's own words.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            version = PlanVersion.objects.create(
                trajectory=trajectory,
                number=base_number + 1,
                content=content.to_json(),
                reason=reason or _("First version of the plan"),
                created_by=actor,
            )
            timeline_append(projection.plan_version(version))
            plan_saved.send(sender=PlanVersion, version=version, content=content)
    except IntegrityError:
        raise ConcurrentEditError(
            _("Someone else saved the plan at the same moment. Your changes are still in the form below.")
        ) from None
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=version,
        detail={"version": version.number, "goals": len(content.goals), "choices": len(content.choices)},
    )
    return version


def plan_vocabulary(definitions=None) -> tuple[dict[str, str], dict[str, str]]:
    """The work values and the determinants a goal can serve: key -> title, in the user's language. They come
    from the instruments whose definition gives them that role (``roles.plan``); ``definitions`` are the
    current definitions by key (loaded here when not given)."""
    if definitions is None:
        definitions = instrument_roles.current_definitions()
    vocabulary: dict[str, dict[str, str]] = {"work_values": {}, "determinants": {}}
    for definition in definitions.values():
        terms = vocabulary.get(definition.roles.plan)
        if terms is not None:
            for key, title in definition.plan_terms().items():
                terms.setdefault(key, title)
    return vocabulary["work_values"], vocabulary["determinants"]


def plan_agree(
    *, actor, trajectory: Trajectory, version: PlanVersion, agreed_on: dt.date | None, method: str, note: str
) -> PlanAgreement:
    _require_change(actor, trajectory)
    if version.trajectory_id != trajectory.pk:
        raise PermissionDeniedError
    errors: dict = {}
    _check_choice(method, AgreementMethod, "method", errors, _("Choose how the client agreed."))
    if agreed_on is None:
        errors["agreed_on"] = _("This field is required.")
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The date cannot be in the future.")
    elif agreed_on < timezone.localtime(version.created_at).date():
        errors["agreed_on"] = _("The date is before this version of the plan was made.")
    note = (note or "").strip()[:REASON_MAX]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement = PlanAgreement.objects.create(
            plan_version=version, agreed_on=agreed_on, method=method, note=note, recorded_by=actor
        )
        timeline_append(projection.plan_agreement(agreement, version))
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=agreement,
        detail={"version": version.number},
    )
    return agreement


def plan_agree_by_client(*, actor, trajectory: Trajectory, version_number: int) -> PlanAgreement:
    """The client agrees to the newest version of their plan in the portal: recorded as an agreement "in the
    client portal" with the client as actor (no professional recorded it), a timeline entry the
    professional sees. ``version_number`` is the version the client read: a newer one is refused, so the
    client never agrees to a plan they have not seen."""
    if not policies.can_client_agree_to_plan(actor, trajectory):
        raise PermissionDeniedError
    version = PlanVersion.objects.filter(trajectory=trajectory).order_by("-number").first()
    if version is None:
        raise PermissionDeniedError
    if version.number != version_number:
        raise ValidationError(_("Your plan was changed just now. Read it again, then say if you agree."))
    if version.agreements.exists():
        raise ValidationError(_("You already agreed with this plan."))
    with transaction.atomic():
        agreement = PlanAgreement.objects.create(
            plan_version=version,
            agreed_on=timezone.localdate(),
            method=AgreementMethod.PORTAL,
            note="",
            recorded_by=None,
        )
        timeline_append(projection.plan_agreement(agreement, version))
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=agreement,
        detail={"version": version.number, "by": "client"},
    )
    return agreement


# Monitoring, adjusting, evaluation -------------------------------------------------------------------------


def _check_day(day, trajectory, errors, field="date"):
    if day is None:
        errors[field] = _("This field is required.")
    elif day > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")
    elif day < trajectory.start_date:
        errors[field] = _("The date is before the start of the trajectory.")


def progress_note_add(*, actor, trajectory: Trajectory, date: dt.date | None, text: str) -> ProgressNote:
    _require_change(actor, trajectory)
    errors: dict = {}
    _check_day(date, trajectory, errors)
    text = _require_text(text, "text", errors, 2000)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        note = ProgressNote.objects.create(trajectory=trajectory, date=date, text=text, recorded_by=actor)
        timeline_append(projection.progress_note(note))
    audit_record(actor=actor, action="create", client=trajectory.client, obj=note)
    return note


def adjustment_record(
    *,
    actor,
    trajectory: Trajectory,
    date: dt.date | None,
    prompted_by: str,
    measurement=None,
    conversation=None,
    event: str = "",
    reason: str,
    change: str,
) -> Adjustment:
    """A change of course, linked to what prompted it (a measurement, a conversation, an event)."""
    _require_change(actor, trajectory)
    errors: dict = {}
    _check_day(date, trajectory, errors)
    _check_choice(prompted_by, Prompt, "prompted_by", errors, _("Choose what prompted the change."))
    if measurement is not None and measurement.trajectory_id != trajectory.pk:
        raise PermissionDeniedError
    if conversation is not None and conversation.trajectory_id != trajectory.pk:
        raise PermissionDeniedError
    event = (event or "").strip()
    if prompted_by == Prompt.MEASUREMENT and measurement is None:
        errors["measurement"] = _("Choose the measurement that prompted the change.")
    if prompted_by == Prompt.CONVERSATION and conversation is None:
        errors["conversation"] = _("Choose the conversation that prompted the change.")
    if prompted_by in (Prompt.EVENT, Prompt.OTHER) and not event:
        errors["event"] = _("Describe what happened.")
    reason = _require_text(reason, "reason", errors, 2000)
    change = _require_text(change, "change", errors, 2000)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        adjustment = Adjustment.objects.create(
            trajectory=trajectory,
            date=date,
            prompted_by=prompted_by,
            measurement=measurement if prompted_by == Prompt.MEASUREMENT else None,
            conversation=conversation if prompted_by == Prompt.CONVERSATION else None,
            event=event,
            reason=reason,
            change=change,
            recorded_by=actor,
        )
        timeline_append(projection.adjustment(adjustment))
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=adjustment,
        detail={"prompted_by": prompted_by},
    )
    return adjustment


EVALUATION_TEXTS = ("client_evaluation", "what_worked", "do_differently", "missed_chances")


def evaluation_save(*, actor, trajectory: Trajectory, version: int | None, **fields) -> Evaluation:
    """Record or update the evaluation (outcome, the client's evaluation, the professional's reflection)."""
    _require_change(actor, trajectory)
    errors: dict = {}
    if fields.get("work") and not (fields.get("employer") or "").strip():
        errors["employer"] = _("Name the employer when the client has work.")
    hours = fields.get("hours_per_week")
    if hours is not None and not 1 <= hours <= 80:
        errors["hours_per_week"] = _("Give the hours per week, from 1 to 80.")
    level = fields.get("ladder_rung")
    if level is not None:
        outcome = instrument_roles.outcome_definition()
        if outcome is None:
            errors["ladder_rung"] = _("No instrument gives the outcome level; leave it empty.")
        elif level not in dict(outcome.levels()):
            errors["ladder_rung"] = _("Choose one of the levels of the %(instrument)s.") % {
                "instrument": outcome.title
            }
    for name in EVALUATION_TEXTS:
        text = (fields.get(name) or "").strip()
        if len(text) > 5000:
            errors[name] = _("Use at most %(max)d characters (now %(n)d).") % {"max": 5000, "n": len(text)}
        fields[name] = text
    for name in ("employer", "job_title", "support"):
        fields[name] = (fields.get(name) or "").strip()
    if errors:
        raise ValidationError(errors)
    existing = Evaluation.objects.filter(trajectory=trajectory).first()
    with transaction.atomic():
        if existing is None:
            evaluation = Evaluation.objects.create(trajectory=trajectory, recorded_by=actor, **fields)
            action = "create"
        else:
            updated = Evaluation.objects.filter(pk=existing.pk, version=version or 0).update(
                version=F("version") + 1, recorded_by=actor, updated_at=timezone.now(), **fields
            )
            if not updated:
                raise ConcurrentEditError(
                    _("Someone else changed this evaluation after you opened it. Reload and try again.")
                )
            evaluation = Evaluation.objects.get(pk=existing.pk)
            action = "change"
        timeline_append(projection.evaluation(evaluation), replace=True)
    audit_record(actor=actor, action=action, client=trajectory.client, obj=evaluation)
    return evaluation


# The client's dossier: personal data (the client is registered in ``clients.services``) ----------------


def client_update(*, actor, client: Client, data: dict, version: int) -> Client:
    """Change personal data. A BSN left empty keeps the stored one; ``version`` detects concurrent edits."""
    if not policies.can_edit_client(actor, client):
        raise PermissionDeniedError(_("You can read this dossier but not change the personal data."))
    cleaned = clean_client_data(data)
    if cleaned.get("bsn"):
        same_bsn = find_duplicates(client.organisation_id, bsn=cleaned["bsn"]).same_bsn
        if same_bsn is not None and same_bsn.pk != client.pk:
            raise DuplicateBSNError(same_bsn)
    # A queryset update skips pre_save: keep the BSN's blind index and the folded name with them.
    cleaned_update = dict(cleaned)
    if "bsn" in cleaned:
        cleaned_update["bsn_index"] = crypto.blind_index(cleaned["bsn"])
    names = {name: cleaned.get(name, getattr(client, name)) for name in ("first_name", "infix", "last_name")}
    cleaned_update["search_name"] = Client._meta.get_field("search_name").digest_of(names)
    try:
        with transaction.atomic():
            updated = Client.objects.filter(pk=client.pk, version=version).update(
                **cleaned_update, version=F("version") + 1
            )
    except IntegrityError:
        # Another client got this BSN after the check above (the constraint client_org_bsn_unique).
        raise_if_bsn_taken(client.organisation_id, cleaned.get("bsn", ""), other_than=client.pk)
        raise
    if not updated:
        raise ConcurrentEditError(
            _("Someone else changed this client after you opened the form. Reload and try again.")
        )
    client.refresh_from_db()
    audit_record(actor=actor, action="change", client=client, obj=client, detail={"fields": sorted(cleaned)})
    return client


# The client's consent (docs/portal.md, "Consent") ----------------------------------------------------


def _consent_actor(actor, client: Client) -> tuple[str, object]:
    """(via, recording user) for a consent change; refuses anyone who may not change this client's consent."""
    if is_client_actor(actor):
        if not is_the_client(actor, client):
            raise PermissionDeniedError
        return ConsentVia.PORTAL, None
    if not policies.can_edit_client(actor, client):
        raise PermissionDeniedError(_("You can read this dossier but not record consent in it."))
    return ConsentVia.PROFESSIONAL, actor


def consent_give(
    *, actor, client: Client, kind: str, now=None, party=None, party_name="", valid_until=None
) -> Consent:
    """Record that the client gives consent of ``kind`` from now on (a client in the portal, or a
    professional who records it), in general or with ``party`` (a public id, named ``party_name``) for that
    party only. ``valid_until``: the last day it counts (optional, not in the past). Giving a consent that is
    already given changes nothing, unless it comes with another end date: that replaces the old one (a
    consent renewed before it ends)."""

    via, recorder = _consent_actor(actor, client)
    if kind not in ConsentKind.values:
        raise ValidationError({"kind": _("Choose what you give consent for.")})
    now = now or timezone.now()
    if valid_until is not None and valid_until < timezone.localdate(now):
        raise ValidationError({"valid_until": _("The end date cannot be in the past.")})
    open_grants = Consent.objects.filter(client=client, kind=kind, withdrawn_at__isnull=True)
    open_grants = open_grants.filter(party__isnull=True) if party is None else open_grants.filter(party=party)
    existing = open_grants.first()
    if existing is not None:
        if existing.valid_until != valid_until:
            Consent.objects.filter(pk=existing.pk).update(valid_until=valid_until, updated_at=now)
            existing.valid_until = valid_until
            detail = {"consent": kind, "valid_until": str(valid_until or "")}
            audit_record(actor=actor, action="change", client=client, obj=existing, detail=detail)
        return existing
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                client=client,
                kind=kind,
                party=party,
                party_name=party_name[:200] if party is not None else "",
                given_at=now,
                given_via=via,
                given_recorded_by=recorder,
                valid_until=valid_until,
            )
    except IntegrityError:  # given at the same moment in another request
        return open_grants.get()
    detail = {"consent": kind, "via": via} | ({"party": str(party)} if party is not None else {})
    audit_record(actor=actor, action="create", client=client, obj=consent, detail=detail)
    return consent


def consent_withdraw(*, actor, consent: Consent, now=None) -> Consent:
    """Withdraw a consent from now on; the row stays as the record of the period it was given."""

    via, recorder = _consent_actor(actor, consent.client)
    now = now or timezone.now()
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_via=via, withdrawn_recorded_by=recorder, updated_at=now
        )
    if not updated:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.refresh_from_db()
    audit_record(
        actor=actor,
        action="change",
        client=consent.client,
        obj=consent,
        detail={"consent": consent.kind, "withdrawn": True, "via": via},
    )
    return consent
