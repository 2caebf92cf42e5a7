"""Who may see and do what with clients.

One module answers both questions from the same rules: "may this actor do X to this client?" and "which
clients may this actor see?". See docs/authorization.md for the matrix.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from waardewerk.accounts.models import Role
from waardewerk.clients.models import Client

CASE_ROLES = frozenset({Role.PROFESSIONAL, Role.TEAM_LEAD})


def is_case_worker(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.organisation_id) and (
        actor.role in CASE_ROLES
    )


def visible_clients(actor) -> QuerySet[Client]:
    """Clients with a trajectory the actor may see, and clients the actor registered who have no trajectory
    yet (so a newly registered client does not vanish before the first trajectory)."""
    if not is_case_worker(actor):
        return Client.objects.none()
    from waardewerk.trajectories.models import Trajectory
    from waardewerk.trajectories.policies import visible_trajectories

    own_trajectory = visible_trajectories(actor).filter(client=OuterRef("pk"))
    any_trajectory = Trajectory.objects.filter(client=OuterRef("pk"))
    return Client.objects.filter(organisation_id=actor.organisation_id).filter(
        Q(Exists(own_trajectory)) | (Q(created_by=actor) & ~Exists(any_trajectory))
    )


def can_register_client(actor) -> bool:
    return is_case_worker(actor)


def can_edit_client(actor, client: Client) -> bool:
    return visible_clients(actor).filter(pk=client.pk).exists()
