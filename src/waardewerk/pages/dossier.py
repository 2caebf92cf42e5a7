"""The client's dossier: personal data, the trajectories, and the open trajectory's section
(``pages.trajectory``) with the newest entries of its timeline (the trajectory page has them all)."""

from __future__ import annotations

from waardewerk.pages.trajectory import DOSSIER_TIMELINE, client_trajectories, trajectory_section
from waardewerk.trajectories.selectors import readable_client


def dossier(actor, client_id, *, kind: str = "") -> dict:
    """404 for a client outside the actor's scope, 403 for one they know of but may not read (a client of
    their team). The client comes with their trajectories (one query); only a client without a trajectory
    the actor may see is fetched on its own. Whether the actor may change the dossier
    (``policies.editable_clients``) comes with either: for a client with trajectories the actor sees, it is
    whether they work on one of them (``works_on``; the trajectories they work on are among those they
    see)."""
    trajectories = client_trajectories(actor, client_id)
    if trajectories:
        client = trajectories[0].client
        client.editable = any(t.works_on for t in trajectories)
    else:
        client = readable_client(actor, client_id)
    open_trajectory = next((t for t in trajectories if t.is_open), None)
    context = {
        "client": client,
        "trajectories": trajectories,
        "open_trajectory": open_trajectory,
        "can_start": open_trajectory is None and client.editable,  # policies.can_start_trajectory
    }
    if open_trajectory is not None:
        context |= trajectory_section(actor, open_trajectory, kind=kind, timeline_limit=DOSSIER_TIMELINE)
    return context
