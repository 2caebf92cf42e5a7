"""Fetching one object for a user, and the rule for refusals (docs/authorization.md, "Refusals").

Every view that names an object in its URL fetches it through :func:`get_for_actor`, with a queryset that a
policy has already scoped to what the actor may do on that page:

- an object outside the actor's scope (another organisation's, a colleague's client, a random id) is a
  **404**, the same answer as for an object that does not exist, so a URL never reveals that it exists;
- an object the actor knows exists (``known``: e.g. a trajectory of a team they lead) but may not use on
  this page is a **403** that says why;
- a service that refuses an action on an object the actor may see raises ``PermissionDeniedError``, which
  is a 403 with its message as well.
"""

import uuid as uuid_lib
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from waardewerk.core.exceptions import PermissionDeniedError


def _key(public_id):
    try:
        return public_id if isinstance(public_id, uuid_lib.UUID) else uuid_lib.UUID(str(public_id))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def get_for_actor(
    queryset: QuerySet | Callable[[uuid_lib.UUID], object | None],
    public_id,
    *,
    known: QuerySet | Callable[[], QuerySet] | None = None,
    refusal="",
):
    """The object with this public id from ``queryset``; 404 when it is not there, or 403 when it is not
    there but in ``known`` (asked only then: no extra query on the way in). ``queryset`` may instead be a
    function that finds the object in the same scope by its UUID, or gives None (a query compiled once,
    ``core.compiled``). ``known`` may be a function that gives the queryset, so that it is not even built on
    the way in (building a policy's queryset is a good part of a page's time: docs/performance.md).
    ``refusal`` is the 403's message, or a function that gives it for the known object."""
    key = _key(public_id)
    obj = queryset(key) if callable(queryset) else queryset.filter(uuid=key).first()
    if obj is not None:
        return obj
    if callable(known):
        known = known()
    found = known.filter(uuid=key).first() if known is not None else None
    if found is None:
        raise Http404
    raise PermissionDeniedError(refusal(found) if callable(refusal) else refusal)


def require(allowed: bool) -> None:
    """Refuse a page with 403 when a policy's answer for a page that names no object is no (an object outside
    the actor's scope is a 404 through ``get_for_actor``)."""
    if not allowed:
        raise PermissionDenied
