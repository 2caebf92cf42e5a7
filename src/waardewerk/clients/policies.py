"""Who may do what with clients, apart from their dossier (docs/authorization.md).

Access to a client's dossier (personal data, trajectories, consents) follows from access to the client's
trajectories, so ``visible_clients``, ``can_view_client`` and ``can_edit_client`` are answered in
``trajectories/policies.py``, which builds on this module (never the other way round).
"""

from waardewerk.accounts.policies import is_case_worker, is_functional_admin
from waardewerk.clients.actor import is_client_actor


def can_register_client(actor) -> bool:
    return is_case_worker(actor)


def can_import_clients(actor) -> bool:
    """Registering clients from a file of another system (docs/import.md): the functional administrator of
    the organisation. The pages and the command add the second factor (``transfer.policies``)."""
    return is_functional_admin(actor)


def is_the_client(actor, client) -> bool:
    """The client themselves, in the portal."""
    return is_client_actor(actor) and actor.client.pk == client.pk


def can_search_clients(actor) -> bool:
    """The search box: who works with clients. What it finds is ``visible_clients`` of the trajectories'
    policies, so everyone finds only the clients whose dossier they may read."""
    return is_case_worker(actor)
