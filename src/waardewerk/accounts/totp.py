"""Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226), with the standard library only.

Authenticator apps use the defaults: a 30-second step, 6 digits and HMAC-SHA-1. Secrets are base32
without padding, as in the ``otpauth://`` URI the apps scan.
"""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, the length RFC 4226 recommends for HMAC-SHA-1


def generate_secret() -> str:
    """A new random secret, base32 without padding (32 characters)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """Decode a base32 secret, tolerating spaces, lower case and missing padding."""
    cleaned = "".join(secret.split()).upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest=hashlib.sha1) -> str:
    """RFC 4226 section 5.3: HMAC over the 8-byte counter, dynamic truncation, modulo 10^digits."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(timestamp: float, *, step: int = STEP_SECONDS) -> int:
    """The RFC 6238 counter T for a Unix time."""
    return int(timestamp // step)


def totp(
    secret: str, timestamp: float, *, step: int = STEP_SECONDS, digits: int = DIGITS, digest=hashlib.sha1
):
    """The code for ``secret`` (base32) at the Unix time ``timestamp``."""
    return hotp(secret_bytes(secret), time_step(timestamp, step=step), digits=digits, digest=digest)


def matching_step(
    secret: str, code: str, timestamp: float, *, after_step: int | None = None, window: int = 1
) -> int | None:
    """The time step whose code equals ``code``, within ``window`` steps either side of now, else None.

    Steps up to and including ``after_step`` (the last step used) are refused, so a code cannot be used
    twice, not even a neighbouring one that is still inside the window.
    """
    code = "".join((code or "").split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = secret_bytes(secret)
    now = time_step(timestamp)
    found = None
    for candidate in range(now - window, now + window + 1):
        # Compare every candidate in constant time and do not stop early.
        if hmac.compare_digest(hotp(key, candidate), code) and found is None:
            found = candidate
    if found is None or (after_step is not None and found <= after_step):
        return None
    return found


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://totp/...`` URI that authenticator apps read from a QR code."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str, size: int = 4) -> str:
    """The secret in groups of four characters, for typing it over by hand."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))
