"""Who may read the access log: a functional administrator who verified a second factor in this session,
and of the log only their own organisation's events.

The policy takes the actor and the facts it needs (``second_factor_verified``), never a request: the view
reads the session and says what it found.

An event names no organisation: it names the user who acted, the client it is about and the object. An
organisation's events are those done by one of its users, about one of its clients, or about one of its
records that outlive a client (an erasure record, a destruction list). Those apps live in the layers above
(docs/architecture.md, "Import rules"), so this module names the question (a condition on the events, for
an organisation) and the apps register their answers in their ``AppConfig.ready`` (``register_scope``:
``ClientsConfig``, ``PrivacyConfig``), as ``trajectories/instrument_roles.py`` does.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from waardewerk.accounts.models import User
from waardewerk.accounts.policies import is_functional_admin
from waardewerk.audit.models import AccessEvent

_scopes: list[Callable[[int], Q]] = []


def register_scope(condition: Callable[[int], Q]) -> None:
    """Called once by an app above: ``condition(organisation_id)`` is a condition on the events that names
    the organisation's events the app knows of (its clients' public ids, its records' public ids), as
    subqueries that are never evaluated here."""
    if condition not in _scopes:
        _scopes.append(condition)


def may_see_audit_entry(actor) -> bool:
    """The role may use the access log (the menu entry); reading it also needs the second factor."""
    return is_functional_admin(actor)


def can_read_audit_log(actor, *, second_factor_verified: bool) -> bool:
    return may_see_audit_entry(actor) and bool(second_factor_verified)


def readable_events(actor) -> QuerySet[AccessEvent]:
    """The events of the actor's organisation: done by one of its users, about one of its clients (also
    when done by a client in the portal, an application through the API or a party with a link), or about
    one of its records that the registered apps name (an anonymisation or erasure, a destruction list). None
    for anyone who may not use the access log. Events that name none of these (the nightly run's totals, a
    portal event about a client since erased or anonymised) belong to the installation: its operator reads
    them with ``waardewerk audit export`` (docs/security.md)."""
    if not may_see_audit_entry(actor) or not getattr(actor, "organisation_id", None):
        return AccessEvent.objects.none()
    condition = Q(actor_id__in=User.objects.filter(organisation_id=actor.organisation_id).values("pk"))
    for scope in _scopes:
        condition |= scope(actor.organisation_id)
    return AccessEvent.objects.filter(condition)
