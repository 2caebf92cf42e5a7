"""Link tokens for one-time links without an account (the portal invitation, the employer's link).

A link token is 32 random bytes (256 bits, ``secrets.token_urlsafe``); only its SHA-256 digest is stored, so a
copy of the database holds no usable link. A token cannot be guessed; an unknown one gives a 404. ``find``
looks a token up in a queryset by its digest, the same way for every kind of link.
"""

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
# A token is 43 characters; anything much longer is not a token and is not hashed.
TOKEN_MAX_LENGTH = 100


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def digests_match(a: str, b: str) -> bool:
    """Constant-time comparison of two hex digests."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def find(queryset, token: str, field: str = "token_digest"):
    """The row of ``queryset`` whose ``field`` is the digest of ``token``, or ``None`` (unknown, empty or
    overlong tokens alike)."""
    token = token or ""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    digest = token_digest(token)
    found = queryset.filter(**{field: digest}).first()
    if found is None or not digests_match(getattr(found, field), digest):
        return None
    return found
