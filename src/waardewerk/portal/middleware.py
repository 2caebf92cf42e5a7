"""``PortalSessionMiddleware``: puts the logged-in client on ``request.portal_client`` (or None).

It checks, on every request of a portal session, that the client's portal account still exists, was not
ended by the professional (``session_epoch``), and that the session is within its idle and absolute limits;
otherwise the portal session ends and a portal page sends the client to the portal's log-in page with a
message. A request without portal keys costs nothing.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from waardewerk.accounts.middleware import REFRESH_SECONDS, now_seconds
from waardewerk.clients.models import Client
from waardewerk.portal import session as portal_session

PORTAL_PREFIX = "/portal/"


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
        client = (
            Client.objects.select_related("portal_account", "organisation")
            .filter(uuid=client_id, portal_account__revoked_at__isnull=True)
            .first()
        )
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
