"""Secrets of the portal log-in: link tokens and one-time codes.

- A link token is 32 random bytes (256 bits, ``secrets.token_urlsafe``); only its SHA-256 digest is stored,
  so a copy of the database holds no usable link. A token cannot be guessed; an unknown one gives a 404.
- A one-time code is 6 random digits, stored as an HMAC keyed with the secret key and bound to its
  invitation, valid for minutes and for a few attempts only.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_BYTES = 32
CODE_DIGITS = 6


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def digests_match(a: str, b: str) -> bool:
    """Constant-time comparison of two hex digests."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(code: str, *, salt: str) -> str:
    message = f"waardewerk portal code:{salt}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()


def normalise_code(text: str) -> str:
    """What the client typed, without spaces or dashes (codes are often typed as "123 456")."""
    return "".join(ch for ch in (text or "") if ch.isdigit())[: CODE_DIGITS + 1]
