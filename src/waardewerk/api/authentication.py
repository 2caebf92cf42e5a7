"""The application's token (docs/api.md). Kept apart from the views' module: Django REST framework loads
its authentication and permission classes while its own views module is still being imported."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from waardewerk.accounts.actor import ApplicationActor, application_allows, is_application_actor
from waardewerk.api import tokens
from waardewerk.api.models import Application

LAST_USED_EVERY = dt.timedelta(minutes=10)


class ApplicationTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer ww_...``: the application whose token digest matches, while it is neither
    revoked nor expired. One indexed query per request (and a write of "last used" every ten minutes)."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _sep, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token.startswith(tokens.PREFIX) or len(token) > 200:
            raise exceptions.AuthenticationFailed(_("Send the application's token as 'Bearer <token>'."))
        application = Application.objects.filter(token_digest=tokens.digest(token)).first()
        if application is None or not application.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid, has expired or was revoked."))
        now = timezone.now()
        if application.last_used_at is None or application.last_used_at < now - LAST_USED_EVERY:
            Application.objects.filter(pk=application.pk).update(last_used_at=now)
        actor = ApplicationActor(
            application=application,
            organisation_id=application.organisation_id,
            scopes=frozenset(application.scopes),
        )
        return actor, application

    def authenticate_header(self, request):
        return 'Bearer realm="waardewerk-api"'


class IsApplication(BasePermission):
    def has_permission(self, request, view):
        if not is_application_actor(request.user):
            raise exceptions.NotAuthenticated(_("Send the application's token as 'Bearer <token>'."))
        scope = getattr(view, "required_scope", None)
        if scope and not application_allows(request.user, scope):
            raise exceptions.PermissionDenied(
                _("This application has no scope %(scope)s for this resource.") % {"scope": scope}
            )
        return True
