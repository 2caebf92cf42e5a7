"""Application tokens: shown once, stored as a SHA-256 digest (docs/api.md).

A token is ``ww_<prefix>_<secret>``: the prefix (8 hex characters) names the application in the access
log and on the administrator's page without revealing the token; the secret is 32 random bytes. A SHA-256
digest suffices (no slow password hash): the token is long and random, so it cannot be guessed from a
stolen digest, and a lookup by digest costs one indexed query per request.
"""

import hashlib
import hmac
import secrets

PREFIX = "ww_"


def new_token() -> tuple[str, str, str]:
    """(token, prefix, digest) of a new token."""
    prefix = secrets.token_hex(4)
    token = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The notification's signature: HMAC-SHA256 over ``<timestamp>.<body>`` with the subscription's
    secret, hex. Sent as ``Waardewerk-Signature: t=<timestamp>,v1=<signature>``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes) -> bool:
    """What a receiver does (and the tests): recompute and compare in constant time."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))
