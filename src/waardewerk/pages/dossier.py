"""The client's dossier: personal data, the trajectories, and the open trajectory's section
(``pages.trajectory``)."""

from __future__ import annotations

from waardewerk.clients.policies import visible_clients
from waardewerk.core.access import get_for_actor
from waardewerk.pages.trajectory import trajectory_queryset, trajectory_section
from waardewerk.trajectories import policies


def dossier(actor, client_id, *, kind: str = "") -> dict:
    """404 for a client the actor may not see. The client comes with their trajectories (one query);
    only a client without a trajectory the actor may see is fetched on its own."""
    trajectories = list(
        trajectory_queryset(actor).filter(client__uuid=client_id).order_by("-start_date", "-id")
    )
    client = trajectories[0].client if trajectories else get_for_actor(visible_clients(actor), client_id)
    open_trajectory = next((t for t in trajectories if t.is_open), None)
    context = {
        "client": client,
        "trajectories": trajectories,
        "open_trajectory": open_trajectory,
        "can_start": open_trajectory is None and policies.can_start_trajectory(actor, client),
    }
    if open_trajectory is not None:
        context |= trajectory_section(actor, open_trajectory, kind=kind)
    return context
