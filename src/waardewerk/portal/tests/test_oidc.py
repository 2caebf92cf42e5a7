"""Log-in with an external identity provider (OpenID Connect), against a provider mocked at the HTTP level:
discovery, keys and token endpoint answer from this test, no network. The ID token is really signed (RS256)
and Authlib checks signature, issuer, audience, expiry and nonce."""

import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.factories import TrajectoryFactory
from tests.portal_helpers import portal_account

pytestmark = pytest.mark.django_db
ISSUER = "https://idp.example.test"
BSN = "111222333"


@pytest.fixture
def provider(settings, monkeypatch):
    settings.WAARDEWERK_OIDC_ISSUER = ISSUER
    settings.WAARDEWERK_OIDC_CLIENT_ID = "waardewerk"
    settings.WAARDEWERK_OIDC_CLIENT_SECRET = "s3cret"
    settings.WAARDEWERK_OIDC_BSN_CLAIM = "bsn"
    key = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
    state = {"claims": {}, "requests": [], "key": key}

    def respond(url, payload, status=200):
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(payload).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = url
        return response

    def send(session, prepared, **kwargs):
        state["requests"].append((prepared.method, prepared.url))
        if prepared.url == f"{ISSUER}/.well-known/openid-configuration":
            return respond(
                prepared.url,
                {
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                    "jwks_uri": f"{ISSUER}/jwks",
                    "id_token_signing_alg_values_supported": ["RS256"],
                },
            )
        if prepared.url == f"{ISSUER}/jwks":
            return respond(prepared.url, {"keys": [key.as_dict(private=False)]})
        if prepared.url == f"{ISSUER}/token" and prepared.method == "POST":
            now = int(time.time())
            claims = {
                "iss": ISSUER,
                "aud": "waardewerk",
                "sub": "pairwise-123",
                "iat": now,
                "exp": now + 300,
                "nonce": state["nonce"],
                **state["claims"],
            }
            token = jwt.encode({"alg": "RS256", "kid": "key-1"}, claims, state.get("signing_key", key))
            return respond(prepared.url, {"access_token": "at", "token_type": "Bearer", "id_token": token})
        raise AssertionError(f"unexpected request {prepared.method} {prepared.url}")

    monkeypatch.setattr(requests.Session, "send", send)
    from waardewerk.portal import oidc

    monkeypatch.setattr(oidc, "_registry", None)
    return state


@pytest.fixture
def invited(professional):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, client__bsn=BSN
    )
    portal_account(trajectory.client, active=False)
    return trajectory.client


def _start(client, provider):
    response = client.get(reverse("portal:oidc_start"))
    assert response.status_code == 302 and response["Location"].startswith(f"{ISSUER}/authorize?")
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == ["waardewerk"]
    provider["nonce"] = query["nonce"][0]
    return query["state"][0]


def test_the_button_shows_only_when_configured(client, settings):
    settings.WAARDEWERK_OIDC_ISSUER = ""
    assert reverse("portal:oidc_start") not in client.get(reverse("portal:login")).content.decode()
    assert client.get(reverse("portal:oidc_start")).status_code == 404
    settings.WAARDEWERK_OIDC_ISSUER = ISSUER
    settings.WAARDEWERK_OIDC_CLIENT_ID = "x"
    settings.WAARDEWERK_OIDC_CLIENT_SECRET = "y"
    assert reverse("portal:oidc_start") in client.get(reverse("portal:login")).content.decode()


def test_log_in_with_the_bsn_claim(client, provider, invited):
    provider["claims"] = {"bsn": f"s00000000:{BSN}"}
    state = _start(client, provider)
    response = client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": state})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    assert ("POST", f"{ISSUER}/token") in provider["requests"]


def test_an_unknown_bsn_or_no_invitation_is_refused(client, provider, invited):
    provider["claims"] = {"bsn": "123456782"}
    state = _start(client, provider)
    response = client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": state})
    assert response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:home")).status_code == 302


def test_an_ended_account_is_refused(client, provider, invited):
    from django.utils import timezone

    invited.portal_account.revoked_at = timezone.now()
    invited.portal_account.save()
    provider["claims"] = {"bsn": BSN}
    state = _start(client, provider)
    client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": state})
    assert client.get(reverse("portal:home")).status_code == 302


def test_a_token_signed_by_another_key_is_refused(client, provider, invited):
    provider["claims"] = {"bsn": BSN}
    provider["signing_key"] = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
    state = _start(client, provider)
    response = client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": state})
    assert response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:home")).status_code == 302


def test_a_wrong_state_is_refused(client, provider, invited):
    provider["claims"] = {"bsn": BSN}
    _start(client, provider)
    response = client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": "forged"})
    assert response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:home")).status_code == 302


def test_the_bsn_lookup_survives_a_key_rotation(settings, invited):
    """The blind index is looked up under every configured key, newest first."""
    from cryptography.fernet import Fernet

    from waardewerk.clients.models import Client
    from waardewerk.core import crypto

    old = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]
    crypto.reset_keys()
    assert Client.objects.filter(bsn_index__in=crypto.blind_indexes(BSN)).get() == invited
    from django.core.management import call_command

    call_command("rotate_keys", stdout=open("/dev/null", "w"))
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    crypto.reset_keys()
    assert Client.objects.filter(bsn_index__in=crypto.blind_indexes(BSN)).get() == invited


def test_an_expired_token_is_refused(client, provider, invited):
    provider["claims"] = {"bsn": BSN, "exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}
    state = _start(client, provider)
    response = client.get(reverse("portal:oidc_callback"), {"code": "abc", "state": state})
    assert response["Location"] == reverse("portal:login")
    assert client.get(reverse("portal:home")).status_code == 302
