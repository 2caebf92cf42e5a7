"""What an application may do through the API, and who manages applications (docs/api.md).

An application acts within its organisation and its scopes (``accounts.actor.SCOPES``). Which clients,
trajectories, measurements, employers, jobs and placements it reads is answered by the same policy functions
as for the pages (``visible_clients``, ``visible_trajectories``, ``visible_measurements``,
``visible_employers``, ``visible_jobs``, ``visible_placements``), which know the application actor; this
module adds what only the API has: plans, actions and conversations read with a scope, and a
conversation's notes only with ``conversations:notes``. An object outside the application's organisation or
scopes is a 404, like an object that does not exist.

The functional administrator registers, revokes and sees the applications of their own organisation, their
subscriptions and the deliveries.
"""

from django.db.models import QuerySet

from waardewerk.accounts.actor import application_allows, is_application_actor
from waardewerk.accounts.policies import is_functional_admin
from waardewerk.api.models import Application, Delivery, Subscription
from waardewerk.trajectories.models import Action, Conversation, PlanVersion, Trajectory
from waardewerk.trajectories.policies import visible_trajectories


def is_api_caller(actor) -> bool:
    return is_application_actor(actor)


def api_trajectories(actor) -> QuerySet[Trajectory]:
    return visible_trajectories(actor) if is_application_actor(actor) else Trajectory.objects.none()


def visible_plan_versions(actor) -> QuerySet[PlanVersion]:
    if not application_allows(actor, "plans:read"):
        return PlanVersion.objects.none()
    return PlanVersion.objects.filter(trajectory__organisation_id=actor.organisation_id)


def api_actions(actor) -> QuerySet[Action]:
    return Action.objects.filter(trajectory__in=api_trajectories(actor))


def api_conversations(actor) -> QuerySet[Conversation]:
    return Conversation.objects.filter(trajectory__in=api_trajectories(actor))


def may_read_conversation_notes(actor) -> bool:
    """A conversation's notes are the client's words: only with their own scope."""
    return application_allows(actor, "conversations:notes")


def may_read_history(actor) -> bool:
    """A trajectory's history (its timeline) lists measurements, plans and conversations: it needs
    ``trajectories:read``; the entries' free texts are never given."""
    return application_allows(actor, "trajectories:read")


# The functional administrator's pages -------------------------------------------------------------------


def can_manage_applications(actor) -> bool:
    return is_functional_admin(actor)


def manageable_applications(actor) -> QuerySet[Application]:
    if not can_manage_applications(actor):
        return Application.objects.none()
    return Application.objects.filter(organisation_id=actor.organisation_id)


def manageable_subscriptions(actor) -> QuerySet[Subscription]:
    return Subscription.objects.filter(application__in=manageable_applications(actor))


def visible_deliveries(actor) -> QuerySet[Delivery]:
    return Delivery.objects.filter(subscription__in=manageable_subscriptions(actor))
