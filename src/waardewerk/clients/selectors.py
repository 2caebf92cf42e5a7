"""Reads of client data, scoped by the policies."""

from django.db.models import Prefetch, QuerySet

from waardewerk.clients import policies
from waardewerk.clients.models import Client


def dossier_queryset(actor) -> QuerySet[Client]:
    """Clients the actor may see, with the trajectories the actor may see prefetched."""
    from waardewerk.trajectories.policies import visible_trajectories

    return policies.visible_clients(actor).prefetch_related(
        Prefetch(
            "trajectories",
            queryset=visible_trajectories(actor).select_related("responsible").order_by("-start_date", "-id"),
            to_attr="visible_trajectories",
        )
    )
