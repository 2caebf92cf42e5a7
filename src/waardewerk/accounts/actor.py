"""An application as the one who acts, through the API (docs/api.md).

A connected system (a municipality's case system, a reporting tool) is not a user: the functional
administrator registers it as an application of one organisation with scopes and an expiry, and it calls
the API with a token. In a request it acts as an ``ApplicationActor``; the policies answer for it
separately (``is_application_actor``, ``application_allows``), within its organisation and its scopes, and
the access log records its acts with the application as actor (``audit.services.audit_record``).

It lives here, at the bottom of the policy layer, so that every policy module can recognise it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# What an application may be given. Each read scope opens one kind of data of the organisation; a
# measurement is submitted with ``measurements:write``; a conversation's notes need their own scope.
SCOPES: dict[str, object] = {
    "clients:read": _("Clients: personal data"),
    "trajectories:read": _("Trajectories: phase, context, history, actions, conversations (without notes)"),
    "plans:read": _("Plans"),
    "measurements:read": _("Measurements"),
    "measurements:write": _("Submit measurements"),
    "conversations:notes": _("Conversation notes"),
    "matching:read": _("Employers, jobs and placements"),
}


@dataclass(frozen=True)
class ApplicationActor:
    application: object  # waardewerk.api.models.Application
    organisation_id: int
    scopes: frozenset[str]

    is_authenticated = False
    is_active = True
    is_application_actor = True
    role = "application"
    pk = None

    @property
    def audit_label(self) -> str:
        return f"application {self.application.uuid} ({self.application.name})"

    @property
    def audit_username(self) -> str:
        return f"api:{self.application.token_prefix}"

    def __str__(self) -> str:
        return str(self.application.name)


def is_application_actor(actor) -> bool:
    return bool(getattr(actor, "is_application_actor", False))


def application_allows(actor, scope: str) -> bool:
    """An application with this scope (and only an application: a user or client never has a scope)."""
    return is_application_actor(actor) and scope in actor.scopes
