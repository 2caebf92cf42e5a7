"""Secrets of the portal log-in: link tokens and one-time codes.

- A link token comes from ``core.tokens`` (shared with the employer's link): 256 random bits, only its
  SHA-256 digest stored. A token cannot be guessed; an unknown one gives a 404.
- A one-time code is 6 random digits, stored as an HMAC keyed with the secret key and bound to its
  invitation, valid for minutes and for a few attempts only.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

from waardewerk.core.tokens import TOKEN_BYTES, digests_match, new_token, token_digest

__all__ = ["TOKEN_BYTES", "digests_match", "new_token", "token_digest", "new_code", "code_digest"]

CODE_DIGITS = 6


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(code: str, *, salt: str) -> str:
    message = f"waardewerk portal code:{salt}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), message, hashlib.sha256).hexdigest()


def normalise_code(text: str) -> str:
    """What the client typed, without spaces or dashes (codes are often typed as "123 456")."""
    return "".join(ch for ch in (text or "") if ch.isdigit())[: CODE_DIGITS + 1]
