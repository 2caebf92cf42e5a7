"""``PortalSessionMiddleware``: puts the logged-in client on ``request.portal_client`` (or None).

It checks, on every request of a portal session, that the client's portal account still exists, was not
ended by the professional (``session_epoch``), and that the session is within its idle and absolute limits;
otherwise the portal session ends and a portal page sends the client to the portal's log-in page with a
message. A request without portal keys costs nothing.

The client, their portal account and organisation are read with one query compiled once per process
(``core.compiled``), as the session and the user are (docs/performance.md): the instances are made from
the row as ``select_related`` makes them (``Model.from_db``, the relations set on the client).
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.db import DEFAULT_DB_ALIAS
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from waardewerk.accounts.middleware import REFRESH_SECONDS, now_seconds
from waardewerk.accounts.models import Organisation
from waardewerk.clients.models import Client
from waardewerk.core.compiled import CompiledQuery
from waardewerk.portal import session as portal_session
from waardewerk.portal.models import PortalAccount

PORTAL_PREFIX = "/portal/"

_CLIENT = [field.attname for field in Client._meta.concrete_fields]
_ACCOUNT = [field.attname for field in PortalAccount._meta.concrete_fields]
_ORGANISATION = [field.attname for field in Organisation._meta.concrete_fields]

# The client with a portal account that was not ended, and its organisation, in one row (the public id is
# unique: one row or none).
CLIENT_ROW = CompiledQuery(
    lambda *, key: (
        Client.objects.filter(uuid=key, portal_account__revoked_at__isnull=True)
        .order_by()
        .values_list(
            *(field.name for field in Client._meta.concrete_fields),
            *(f"portal_account__{field.name}" for field in PortalAccount._meta.concrete_fields),
            *(f"organisation__{field.name}" for field in Organisation._meta.concrete_fields),
        )[:1]
    ),
    rows="tuples",
)


def portal_client(client_id):
    """The client of a portal session with their portal account and organisation (None when the client or
    the account is gone, or the account was ended): what ``Client.objects.select_related("portal_account",
    "organisation").filter(uuid=client_id, portal_account__revoked_at__isnull=True).first()`` returns."""
    try:
        key = uuid.UUID(client_id)
    except (TypeError, ValueError, AttributeError):  # not a public id: the ORM's way (and its error)
        return _portal_client_by_orm(client_id)
    rows = CLIENT_ROW(key=key)
    if not rows:
        return None
    row = rows[0]
    clients, accounts = len(_CLIENT), len(_CLIENT) + len(_ACCOUNT)
    if row[clients] is None:  # a client without a portal account (the filter's outer join): the ORM's way
        return _portal_client_by_orm(client_id)
    client = Client.from_db(DEFAULT_DB_ALIAS, _CLIENT, row[:clients])
    client.organisation = Organisation.from_db(DEFAULT_DB_ALIAS, _ORGANISATION, row[accounts:])
    client.portal_account = PortalAccount.from_db(DEFAULT_DB_ALIAS, _ACCOUNT, row[clients:accounts])
    return client


def _portal_client_by_orm(client_id):
    return (
        Client.objects.select_related("portal_account", "organisation")
        .filter(uuid=client_id, portal_account__revoked_at__isnull=True)
        .first()
    )


class PortalSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.portal_client = None
        client_id = request.session.get(portal_session.CLIENT)
        if client_id:
            client = self._client(request, client_id)
            if client is None:
                portal_session.portal_logout(request)
                if request.path_info.startswith(PORTAL_PREFIX):
                    return self._expired(request)
            else:
                request.portal_client = client
        return self.get_response(request)

    @staticmethod
    def _client(request, client_id):
        session = request.session
        now = now_seconds()
        login_at = session.get(portal_session.LOGIN_AT, 0)
        last = session.get(portal_session.LAST_ACTIVITY, login_at)
        if (
            now - login_at >= settings.SESSION_COOKIE_AGE
            or now - last >= settings.WAARDEWERK_SESSION_IDLE_SECONDS
        ):
            return None
        client = portal_client(client_id)
        if client is None or client.portal_account.session_epoch != session.get(portal_session.EPOCH):
            return None
        if now - last >= REFRESH_SECONDS:
            session[portal_session.LAST_ACTIVITY] = now
        return client

    @staticmethod
    def _expired(request):
        storage = default_storage(request)
        storage.add(messages.INFO, _("You were logged out. Log in again with a new link."))
        response = redirect("portal:login")
        storage.update(response)
        return response
