"""Fetching one object for a user.

Every detail view fetches its object through :func:`get_for_actor`, which takes a queryset that a policy
has already scoped to what the actor may see. "Does not exist" and "not yours" give the same 404, so a URL
never reveals whether an object exists.
"""

import uuid as uuid_lib

from django.db.models import QuerySet
from django.http import Http404


def get_for_actor(queryset: QuerySet, public_id):
    try:
        key = public_id if isinstance(public_id, uuid_lib.UUID) else uuid_lib.UUID(str(public_id))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    obj = queryset.filter(uuid=key).first()
    if obj is None:
        raise Http404
    return obj
