"""Who keeps an agenda and who sees which appointments (docs/agenda.md, docs/authorization.md).

- Professionals and team leads keep an agenda: they see and change their own appointments only.
- An appointment with a client links to an open trajectory the owner works on.
- The client in the portal sees the coming appointments of their own trajectory (not cancelled ones).
"""

from django.db.models import QuerySet

from waardewerk.accounts.policies import is_case_worker
from waardewerk.agenda.models import Appointment
from waardewerk.clients.actor import is_client_actor
from waardewerk.trajectories.models import Trajectory
from waardewerk.trajectories.policies import changeable_trajectories, client_trajectories


def may_use_agenda(actor) -> bool:
    return is_case_worker(actor)


def visible_appointments(actor) -> QuerySet[Appointment]:
    """The actor's own appointments (cancelled ones too)."""
    if not may_use_agenda(actor):
        return Appointment.objects.none()
    return Appointment.objects.filter(organisation_id=actor.organisation_id, owner=actor)


def can_change_appointment(actor, appointment: Appointment) -> bool:
    """Move or cancel: the owner, while it is not cancelled."""
    return (
        may_use_agenda(actor)
        and appointment.owner_id == actor.pk
        and appointment.organisation_id == actor.organisation_id
        and appointment.cancelled_at is None
    )


def plannable_trajectories(actor) -> QuerySet[Trajectory]:
    """The trajectories an appointment can be linked to: open ones the actor works on."""
    return changeable_trajectories(actor)


def client_appointments(actor) -> QuerySet[Appointment]:
    """The client's own appointments in the portal: of their trajectories, not cancelled."""
    if not is_client_actor(actor):
        return Appointment.objects.none()
    return Appointment.objects.filter(trajectory__in=client_trajectories(actor), cancelled_at__isnull=True)
