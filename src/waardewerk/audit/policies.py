"""Who may read the access log: a functional administrator who verified a second factor in this session,
and of the log only their own organisation's events.

The policy takes the actor and the facts it needs (``second_factor_verified``), never a request: the view
reads the session and says what it found.

An event names no organisation: it names the user who acted and the client it is about. An organisation's
events are those done by one of its users or about one of its clients. The clients live in the layer above
(docs/architecture.md, "Import rules"), so this module names the question (the public ids of an
organisation's clients, as a subquery) and ``ClientsConfig.ready`` registers the answer
(``register_client_scope``), as ``trajectories/instrument_roles.py`` does.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from waardewerk.accounts.models import User
from waardewerk.accounts.policies import is_functional_admin
from waardewerk.audit.models import AccessEvent

_client_scope: Callable[[int], QuerySet] | None = None


def register_client_scope(client_uuids: Callable[[int], QuerySet]) -> None:
    """Called once by the clients app: ``client_uuids(organisation_id)`` gives the public ids of the
    organisation's clients as a ``values("uuid")`` queryset (used as a subquery, never evaluated here)."""
    global _client_scope
    _client_scope = client_uuids


def may_see_audit_entry(actor) -> bool:
    """The role may use the access log (the menu entry); reading it also needs the second factor."""
    return is_functional_admin(actor)


def can_read_audit_log(actor, *, second_factor_verified: bool) -> bool:
    return may_see_audit_entry(actor) and bool(second_factor_verified)


def readable_events(actor) -> QuerySet[AccessEvent]:
    """The events of the actor's organisation: done by one of its users, or about one of its clients (also
    when done by a client in the portal, an application through the API or a party with a link). None for
    anyone who may not use the access log. Events that name neither (the nightly retention run, an event
    about an erased client done by no user of the organisation) belong to the installation: its operator
    reads them with ``waardewerk audit export`` (docs/security.md)."""
    if not may_see_audit_entry(actor) or not getattr(actor, "organisation_id", None):
        return AccessEvent.objects.none()
    condition = Q(actor_id__in=User.objects.filter(organisation_id=actor.organisation_id).values("pk"))
    if _client_scope is not None:
        condition |= Q(client_uuid__in=_client_scope(actor.organisation_id))
    return AccessEvent.objects.filter(condition)
