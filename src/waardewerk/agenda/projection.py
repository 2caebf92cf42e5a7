"""How appointments appear in a trajectory's timeline (``waardewerk.timeline``): planned, moved and
cancelled contact. The entry holds the kind, the channel, the moment and the duration; never the free
texts (subject, place, participants)."""

from django.utils import timezone

from waardewerk.timeline.services import timeline_entry


def _data(appointment) -> dict:
    return {
        "kind": appointment.kind,
        "channel": appointment.channel,
        "starts_at": timezone.localtime(appointment.starts_at).isoformat(),
        "duration": appointment.duration,
    }


def planned(appointment, *, at=None):
    return timeline_entry(
        trajectory=appointment.trajectory_id,
        event="appointment_planned",
        occurred_at=at or timezone.now(),
        actor=appointment.created_by_id,
        data=_data(appointment),
        source=appointment,
    )


def moved(appointment, previous_start, *, actor, at=None):
    return timeline_entry(
        trajectory=appointment.trajectory_id,
        event="appointment_moved",
        occurred_at=at or timezone.now(),
        actor=actor,
        data=_data(appointment) | {"from": timezone.localtime(previous_start).isoformat()},
        source=appointment,
    )


def cancelled(appointment, *, actor, at=None):
    return timeline_entry(
        trajectory=appointment.trajectory_id,
        event="appointment_cancelled",
        occurred_at=at or timezone.now(),
        actor=actor,
        data=_data(appointment),
        source=appointment,
    )
