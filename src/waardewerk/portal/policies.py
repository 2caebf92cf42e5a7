"""Who may do what in and around the client portal (docs/authorization.md, "Client portal").

Two kinds of actor meet here:

- the **client** in the portal (``clients.actor.ClientActor``): sees and changes only their own file, through
  the querysets ``client_*`` below, which start from the client's own trajectories;
- **staff**: the professionals who may see a trajectory invite its client, see the portal status and the
  client's proposals, ask for questionnaires and decide on proposals (the same rules as the dossier).

A client actor never passes a staff policy (it is not an authenticated user) and a staff user never passes
a client policy (it is not a client actor).
"""

from django.db.models import QuerySet

from waardewerk.clients.actor import is_client_actor
from waardewerk.clients.models import Consent
from waardewerk.portal.models import ClientEvaluation, GoalProposal, QuestionnaireRequest
from waardewerk.trajectories.models import Phase
from waardewerk.trajectories.policies import (
    can_change_trajectory,
    can_view_trajectory,
    can_work_on_trajectory,
    client_trajectories,
    visible_trajectories,
)


# The client -------------------------------------------------------------------------------------------------
def client_requests(actor) -> QuerySet[QuestionnaireRequest]:
    return QuestionnaireRequest.objects.filter(trajectory__in=client_trajectories(actor))


def client_proposals(actor) -> QuerySet[GoalProposal]:
    return GoalProposal.objects.filter(trajectory__in=client_trajectories(actor))


def client_consents(actor) -> QuerySet[Consent]:
    if not is_client_actor(actor):
        return Consent.objects.none()
    return Consent.objects.filter(client_id=actor.client.pk)


def client_writable_trajectories(actor):
    """Proposals and questionnaires: on the client's own open trajectory."""
    return client_trajectories(actor).filter(end_date__isnull=True)


def can_client_write(actor, trajectory) -> bool:
    return is_client_actor(actor) and trajectory.client_id == actor.client.pk and trajectory.is_open


def client_evaluations(actor) -> QuerySet[ClientEvaluation]:
    return ClientEvaluation.objects.filter(trajectory__in=client_trajectories(actor))


def can_client_evaluate(actor, trajectory) -> bool:
    """The client writes and changes their own evaluation in the evaluation phase of their open
    trajectory; after it closed they still read it."""
    return can_client_write(actor, trajectory) and trajectory.phase == Phase.EVALUATION


# Staff ----------------------------------------------------------------------------------------------------
def can_see_portal(actor, trajectory) -> bool:
    return can_view_trajectory(actor, trajectory)


def can_invite(actor, trajectory) -> bool:
    """Whoever works on the trajectory may invite its client (and end the portal access), also after it
    closed: the client keeps the right to see and download their data. Not under emergency access."""
    return can_work_on_trajectory(actor, trajectory)


def can_ask_questionnaire(actor, trajectory) -> bool:
    return can_change_trajectory(actor, trajectory)


def can_decide_proposal(actor, proposal: GoalProposal) -> bool:
    return can_change_trajectory(actor, proposal.trajectory)


def visible_proposals(actor) -> QuerySet[GoalProposal]:
    return GoalProposal.objects.filter(trajectory__in=visible_trajectories(actor))


def visible_requests(actor) -> QuerySet[QuestionnaireRequest]:
    return QuestionnaireRequest.objects.filter(trajectory__in=visible_trajectories(actor))


def can_read_client_evaluation(actor, trajectory) -> bool:
    """Whoever may read the trajectory reads the client's own evaluation (the evaluation page)."""
    return can_view_trajectory(actor, trajectory)


def visible_client_evaluations(actor) -> QuerySet[ClientEvaluation]:
    return ClientEvaluation.objects.filter(trajectory__in=visible_trajectories(actor))
