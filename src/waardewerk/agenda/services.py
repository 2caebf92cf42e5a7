"""Planning, moving and cancelling appointments; the calendar feed's secret address (docs/agenda.md)."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.agenda import policies, projection
from waardewerk.agenda.models import Appointment, AppointmentKind, CalendarFeed
from waardewerk.audit.services import audit_record
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.timeline.services import timeline_append

MIN_DURATION, MAX_DURATION = 5, 600
# How far back and ahead an appointment can be planned.
PAST_DAYS, FUTURE_DAYS = 31, 2 * 366
WITH_CLIENT = {AppointmentKind.CONVERSATION, AppointmentKind.MEASUREMENT}


class OverlapWarning(ValidationError):
    """The appointment overlaps others of the same agenda: the form shows them and asks to confirm."""

    def __init__(self, conflicts):
        self.conflicts = conflicts
        super().__init__(
            {"allow_overlap": _("This overlaps with another appointment. Tick the box to plan it anyway.")}
        )


def overlapping(owner, starts_at: dt.datetime, duration: int, *, exclude=None) -> list[Appointment]:
    """The owner's appointments (not cancelled) that overlap ``starts_at`` plus ``duration`` minutes."""
    ends_at = starts_at + dt.timedelta(minutes=duration)
    candidates = Appointment.objects.filter(
        owner=owner,
        cancelled_at__isnull=True,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - dt.timedelta(minutes=MAX_DURATION),
    ).select_related("trajectory__client")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return [a for a in candidates if a.ends_at > starts_at]


def _check_moment(starts_at, duration, errors: dict) -> None:
    today = timezone.localdate()
    if starts_at is None:
        errors["date"] = _("Give the date and time.")
    else:
        day = timezone.localtime(starts_at).date()
        if day < today - dt.timedelta(days=PAST_DAYS):
            errors["date"] = _("Choose a date no more than a month ago.")
        elif day > today + dt.timedelta(days=FUTURE_DAYS):
            errors["date"] = _("Choose a date within two years.")
    if duration is None or not MIN_DURATION <= duration <= MAX_DURATION:
        errors["duration"] = _("Choose a duration from %(min)s to %(max)s minutes.") % {
            "min": MIN_DURATION,
            "max": MAX_DURATION,
        }


def _text(value: str, limit: int) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def appointment_create(
    *,
    actor,
    kind: str,
    starts_at: dt.datetime,
    duration: int,
    channel: str,
    trajectory=None,
    title: str = "",
    place: str = "",
    participants: str = "",
    allow_overlap: bool = False,
) -> Appointment:
    if not policies.may_use_agenda(actor):
        raise PermissionDeniedError(_("Only professionals and team leads keep an agenda."))
    errors: dict[str, str] = {}
    _check_moment(starts_at, duration, errors)
    if kind in WITH_CLIENT and trajectory is None:
        errors["trajectory"] = _("Choose the client's trajectory for a conversation or a measurement.")
    if (
        trajectory is not None
        and not policies.plannable_trajectories(actor).filter(pk=trajectory.pk).exists()
    ):
        errors["trajectory"] = _("Choose one of your own open trajectories.")
    if errors:
        raise ValidationError(errors)
    conflicts = overlapping(actor, starts_at, duration)
    if conflicts and not allow_overlap:
        raise OverlapWarning(conflicts)
    with transaction.atomic():
        appointment = Appointment.objects.create(
            organisation_id=actor.organisation_id,
            owner=actor,
            trajectory=trajectory,
            kind=kind,
            starts_at=starts_at,
            duration=duration,
            channel=channel,
            title=_text(title, 200),
            place=_text(place, 300),
            participants=_text(participants, 300),
            created_by=actor,
        )
        if trajectory is not None:
            timeline_append(projection.planned(appointment))
        audit_record(
            actor=actor,
            action="create",
            obj=appointment,
            client=trajectory.client if trajectory is not None else None,
            detail={"kind": kind, "overlap": bool(conflicts)},
        )
    return appointment


def appointment_move(
    *,
    actor,
    appointment: Appointment,
    starts_at: dt.datetime,
    duration: int,
    version: int,
    allow_overlap: bool = False,
) -> Appointment:
    if not policies.can_change_appointment(actor, appointment):
        raise PermissionDeniedError(_("Only the owner moves an appointment, and not once it is cancelled."))
    errors: dict[str, str] = {}
    _check_moment(starts_at, duration, errors)
    if errors:
        raise ValidationError(errors)
    if version != appointment.version:
        raise ConcurrentEditError(
            _("This appointment was changed meanwhile. Check the new time and try again.")
        )
    conflicts = overlapping(actor, starts_at, duration, exclude=appointment)
    if conflicts and not allow_overlap:
        raise OverlapWarning(conflicts)
    previous = appointment.starts_at
    with transaction.atomic():
        updated = Appointment.objects.filter(pk=appointment.pk, version=version).update(
            starts_at=starts_at, duration=duration, version=version + 1, updated_at=timezone.now()
        )
        if not updated:
            raise ConcurrentEditError(
                _("This appointment was changed meanwhile. Check the new time and try again.")
            )
        appointment.starts_at, appointment.duration, appointment.version = starts_at, duration, version + 1
        if appointment.trajectory_id:
            timeline_append(projection.moved(appointment, previous, actor=actor))
        audit_record(
            actor=actor,
            action="change",
            obj=appointment,
            client=appointment.trajectory.client if appointment.trajectory_id else None,
            detail={"moved": True, "overlap": bool(conflicts)},
        )
    return appointment


def appointment_cancel(*, actor, appointment: Appointment) -> Appointment:
    if not policies.can_change_appointment(actor, appointment):
        raise PermissionDeniedError(_("Only the owner cancels an appointment, and only once."))
    with transaction.atomic():
        appointment.cancelled_at = timezone.now()
        appointment.cancelled_by = actor
        appointment.version += 1
        appointment.save(update_fields=["cancelled_at", "cancelled_by", "version", "updated_at"])
        if appointment.trajectory_id:
            timeline_append(projection.cancelled(appointment, actor=actor))
        audit_record(
            actor=actor,
            action="change",
            obj=appointment,
            client=appointment.trajectory.client if appointment.trajectory_id else None,
            detail={"cancelled": True},
        )
    return appointment


# The calendar feed -------------------------------------------------------------------------------------


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_reset(*, actor) -> str:
    """A new secret address for the actor's calendar feed; the previous one stops working. The token is
    returned once (only its digest is stored)."""
    if not policies.may_use_agenda(actor):
        raise PermissionDeniedError(_("Only professionals and team leads keep an agenda."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        replaced = CalendarFeed.objects.filter(user=actor).delete()[0] > 0
        CalendarFeed.objects.create(user=actor, token_digest=digest(token))
        audit_record(
            actor=actor, action="change", object_type="agenda.calendarfeed", detail={"new": not replaced}
        )
    return token


def feed_stop(*, actor) -> None:
    with transaction.atomic():
        if CalendarFeed.objects.filter(user=actor).delete()[0]:
            audit_record(actor=actor, action="delete", object_type="agenda.calendarfeed")
