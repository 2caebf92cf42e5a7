"""The client as the one who acts, in the client portal.

Staff act as a ``User``; a client acts through the portal as a ``ClientActor``. It is not a user: it is
never authenticated for the staff side, it has no role in ``accounts.Role``, and the policies answer for it
separately (``is_client_actor``). The access log records its acts with no user and ``on_behalf_of`` naming
the client (``audit.services.audit_record``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClientActor:
    client: object  # waardewerk.clients.models.Client

    is_authenticated = False
    is_active = True
    is_client_actor = True
    role = "client"

    @property
    def audit_label(self) -> str:
        return f"client {self.client.uuid} (portal)"

    def __str__(self) -> str:
        return self.client.full_name


def is_client_actor(actor) -> bool:
    return bool(getattr(actor, "is_client_actor", False))
