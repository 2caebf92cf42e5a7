"""Log-in with an external identity provider over OpenID Connect (e.g. a DigiD broker), with Authlib.

On when ``WAARDEWERK_OIDC_ISSUER``, ``WAARDEWERK_OIDC_CLIENT_ID`` and ``WAARDEWERK_OIDC_CLIENT_SECRET`` are
set; the portal's log-in page then shows the button. The flow is the authorization code flow with PKCE
(S256), a state and a nonce kept in the session; Authlib reads the provider's discovery document
(``<issuer>/.well-known/openid-configuration``), checks the ID token's signature against the provider's
keys, its issuer, audience, expiry and nonce. The BSN comes from the claim named by
``WAARDEWERK_OIDC_BSN_CLAIM`` (default ``bsn``) and is matched to ``Client.bsn`` through its blind index.
"""

from __future__ import annotations

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from joserfc.errors import JoseError


def _login_errors() -> tuple[type[BaseException], ...]:
    """What a failed or forged log-in raises: the provider's error answer, a bad signature or claim, a
    missing state, a network failure."""
    return (OAuthError, JoseError, requests.RequestException, ValueError, KeyError, TypeError)


LOGIN_ERRORS = _login_errors()

_registry = None
_registry_key = None


def is_configured() -> bool:
    return bool(
        settings.WAARDEWERK_OIDC_ISSUER
        and settings.WAARDEWERK_OIDC_CLIENT_ID
        and settings.WAARDEWERK_OIDC_CLIENT_SECRET
    )


def client():
    """The Authlib client for the configured provider (made again when the settings change)."""
    global _registry, _registry_key
    key = (
        settings.WAARDEWERK_OIDC_ISSUER,
        settings.WAARDEWERK_OIDC_CLIENT_ID,
        settings.WAARDEWERK_OIDC_CLIENT_SECRET,
        settings.WAARDEWERK_OIDC_SCOPES,
    )
    if _registry is None or _registry_key != key:
        registry = OAuth()
        registry.register(
            name="portal",
            client_id=settings.WAARDEWERK_OIDC_CLIENT_ID,
            client_secret=settings.WAARDEWERK_OIDC_CLIENT_SECRET,
            server_metadata_url=f"{settings.WAARDEWERK_OIDC_ISSUER}/.well-known/openid-configuration",
            client_kwargs={"scope": settings.WAARDEWERK_OIDC_SCOPES, "code_challenge_method": "S256"},
        )
        _registry, _registry_key = registry, key
    return _registry.create_client("portal")


def bsn_from(userinfo: dict) -> str:
    """The BSN in the identity's claims. Some brokers prefix it (``s00000000:123456782``): the digits after
    the last colon count."""
    value = str((userinfo or {}).get(settings.WAARDEWERK_OIDC_BSN_CLAIM) or "")
    return value.rsplit(":", 1)[-1].strip()
