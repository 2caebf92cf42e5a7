"""Who may see and do what with instruments and measurements. See docs/authorization.md.

Measurements are dossier contents: whoever may see the trajectory sees its measurements, and may take
new ones while it is open. The instrument catalogue (definitions, sources, no client data) is open to
every signed-in staff member; the re-measurement schedule is the functional administrator's.
"""

from django.db.models import QuerySet

from waardewerk.accounts.actor import application_allows, is_application_actor
from waardewerk.accounts.policies import is_functional_admin, is_staff_member
from waardewerk.clients.actor import is_client_actor
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.trajectories.models import Trajectory
from waardewerk.trajectories.policies import (
    can_change_trajectory,
    changeable_trajectories,
    client_trajectories,
    visible_trajectories,
)


def visible_measurements(actor) -> QuerySet[Measurement]:
    """Staff see the measurements of the trajectories they may see, except a questionnaire the client
    started in the portal and has not sent yet: until the client sends it, its answers are the client's
    alone ("nobody sees them before you send them"), for every staff role; it is the same 404 as a
    measurement that does not exist. (The client reaches their own drafts through their questionnaire
    requests, ``portal.policies.client_requests``.) An application (the API) needs ``measurements:read``
    besides the trajectories, and sees submitted measurements only."""
    if is_application_actor(actor):
        if not application_allows(actor, "measurements:read"):
            return Measurement.objects.none()
        return Measurement.objects.filter(
            trajectory__organisation_id=actor.organisation_id, status=MeasurementStatus.SUBMITTED
        )
    return Measurement.objects.filter(trajectory__in=visible_trajectories(actor)).exclude(
        status=MeasurementStatus.DRAFT, entered_by_client=True
    )


def measurable_trajectories(actor) -> QuerySet:
    """The trajectories ``can_take_measurement`` allows, as a queryset."""
    if is_client_actor(actor):
        return client_trajectories(actor).filter(end_date__isnull=True)
    if is_application_actor(actor):
        if not application_allows(actor, "measurements:write"):
            return Trajectory.objects.none()
        return Trajectory.objects.filter(organisation_id=actor.organisation_id, end_date__isnull=True)
    return changeable_trajectories(actor)


def can_take_measurement(actor, trajectory) -> bool:
    """Staff who may change the trajectory; or the client themselves in the portal, on their own open
    trajectory (the portal only offers the questionnaires the professional asked for, see
    ``portal.services.questionnaire_save``). An application (the API) with ``measurements:write`` submits
    measurements on the open trajectories of its organisation."""
    if is_client_actor(actor):
        return trajectory.is_open and trajectory.client_id == actor.client.pk
    if is_application_actor(actor):
        return (
            application_allows(actor, "measurements:write")
            and trajectory.is_open
            and trajectory.organisation_id == actor.organisation_id
        )
    return can_change_trajectory(actor, trajectory)


def can_view_catalogue(actor) -> bool:
    return is_staff_member(actor)


def can_manage_instruments(actor) -> bool:
    return is_functional_admin(actor)


def can_discard_draft(actor, measurement) -> bool:
    """A draft is removed by whoever may take measurements on the trajectory, except that a draft the
    client started in the portal is the client's: no staff member removes (or reads) it."""
    if not measurement.is_draft or not can_take_measurement(actor, measurement.trajectory):
        return False
    return measurement.entered_by_client == is_client_actor(actor)
