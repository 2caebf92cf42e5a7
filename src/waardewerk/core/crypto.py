"""Field encryption keys: Fernet keys kept outside the database (docs/security.md, "Encryption at rest").

The keys come from ``WAARDEWERK_FIELD_KEYS`` (comma-separated) or from the file named by
``WAARDEWERK_FIELD_KEYS_FILE`` (one key per line; blank lines and lines starting with ``#`` are ignored),
newest key first. New values are encrypted with the newest key; a value encrypted with any listed key can
be read. ``waardewerk rotate_keys`` re-encrypts everything with the newest key so that older keys can be
removed.

With neither variable set, a development install (``WAARDEWERK_DEBUG=1``) generates a key file once at
``$WAARDEWERK_DATA_DIR/field-keys`` (mode 0600) so that ``make run`` works out of the box; any other
configuration refuses to start.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from waardewerk.core import keyfiles

__all__ = [
    "DEV_KEY_FILE_NAME",
    "blind_index",
    "blind_indexes",
    "FieldDecryptionError",
    "InvalidToken",
    "decrypt",
    "encrypt",
    "get_multifernet",
    "is_current",
    "load_keys",
    "reset_keys",
    "rotate",
]

DEV_KEY_FILE_NAME = "field-keys"
_SETTINGS = {"FIELD_ENCRYPTION_KEYS", "FIELD_ENCRYPTION_KEYS_FILE", "DEBUG", "DATA_DIR"}

_lock = threading.Lock()


class FieldDecryptionError(Exception):
    """A stored value cannot be decrypted with any configured key (or is not encrypted at all)."""


@dataclass(frozen=True)
class _Key:
    fernet: Fernet
    index_key: bytes  # the blind-index key derived from this field key (``_index_key``)


@dataclass(frozen=True)
class _KeyRing:
    keys: tuple[_Key, ...]  # newest first
    multi: MultiFernet


_cached: _KeyRing | None = None


def _index_key(key: bytes) -> bytes:
    """A key for blind indexes, derived from a field key (HKDF-SHA256), so no extra secret is needed and a
    leaked index key does not reveal the field key. The input is the key's signing half: by the Fernet
    specification a key is 32 url-safe base64-encoded bytes, the first 16 the HMAC signing key."""
    signing_key = base64.urlsafe_b64decode(key)[:16]
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"waardewerk blind index").derive(
        signing_key
    )


def _parse_key_ring(keys: list[str], source: str) -> list[_Key]:
    parsed = []
    for position, key in enumerate(keys, start=1):
        raw = key.strip().encode()
        try:
            parsed.append(_Key(Fernet(raw), _index_key(raw)))
        except (ValueError, TypeError) as exc:
            # Never echo the key itself.
            raise ImproperlyConfigured(
                f"{source}: key {position} is not a valid Fernet key (32 url-safe base64-encoded bytes; "
                "make one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)."
            ) from exc
    if not parsed:
        raise ImproperlyConfigured(f"{source} holds no key.")
    return parsed


def _read_key_file(path: Path) -> list[str]:
    return keyfiles.read_key_file(path, "WAARDEWERK_FIELD_KEYS_FILE")


def _dev_key_file() -> Path:
    """The development key file, created once with a fresh key (only with DEBUG on)."""
    return keyfiles.dev_key_file(
        DEV_KEY_FILE_NAME,
        lambda: Fernet.generate_key().decode(),
        "# Waardewerk field encryption keys, newest first (generated for development).\n"
        "# Without this file the encrypted notes in the database cannot be read.\n",
    )


def load_keys() -> list[Fernet]:
    """The configured keys, newest first; raises ImproperlyConfigured when there are none or one is bad."""
    return [key.fernet for key in _load_key_ring()]


def _load_key_ring() -> list[_Key]:
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or [])
    key_file = getattr(settings, "FIELD_ENCRYPTION_KEYS_FILE", None) or ""
    if keys and key_file:
        raise ImproperlyConfigured("Set WAARDEWERK_FIELD_KEYS or WAARDEWERK_FIELD_KEYS_FILE, not both.")
    if keys:
        return _parse_key_ring(keys, "WAARDEWERK_FIELD_KEYS")
    if key_file:
        path = Path(key_file)
        return _parse_key_ring(_read_key_file(path), f"WAARDEWERK_FIELD_KEYS_FILE ({path})")
    if settings.DEBUG:
        path = _dev_key_file()
        return _parse_key_ring(_read_key_file(path), f"development key file {path}")
    raise ImproperlyConfigured(
        "Field encryption needs a key: set WAARDEWERK_FIELD_KEYS (comma-separated Fernet keys, newest first) "
        "or WAARDEWERK_FIELD_KEYS_FILE (a file with one key per line, newest first). Keep the key outside "
        "the database and its backups; see docs/security.md, 'Encryption at rest'. "
        "(With WAARDEWERK_DEBUG=1 a development key is generated.)"
    )


def _get() -> _KeyRing:
    global _cached
    cached = _cached
    if cached is None:
        with _lock:
            if _cached is None:
                keys = tuple(_load_key_ring())
                _cached = _KeyRing(keys, MultiFernet([key.fernet for key in keys]))
            cached = _cached
    return cached


def get_multifernet() -> MultiFernet:
    """All configured keys: encrypts with the newest, decrypts with any (cached)."""
    return _get().multi


def reset_keys() -> None:
    """Forget the cached keys; the next use reads the settings again (tests, key changes)."""
    global _cached
    with _lock:
        _cached = None


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in _SETTINGS:
        reset_keys()


def encrypt(plaintext: str) -> str:
    """A Fernet token (ASCII text) for ``plaintext``, under the newest key."""
    return get_multifernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of a token made with any configured key; raises ``InvalidToken`` otherwise."""
    try:
        raw = token.encode("ascii")
    except UnicodeEncodeError as exc:  # not a token at all, e.g. plaintext with accents
        raise InvalidToken from exc
    return get_multifernet().decrypt(raw).decode("utf-8")


def is_current(token: str) -> bool:
    """Whether ``token`` is encrypted under the newest key (checks the signature; does not decrypt)."""
    try:
        _get().keys[0].fernet.extract_timestamp(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def rotate(token: str) -> str:
    """``token`` re-encrypted under the newest key; raises ``InvalidToken`` when no key can read it."""
    try:
        raw = token.encode("ascii")
    except UnicodeEncodeError as exc:
        raise InvalidToken from exc
    return get_multifernet().rotate(raw).decode("ascii")


def blind_indexes(value: str) -> list[str]:
    """HMAC-SHA256 digests of ``value`` under every configured key, newest first.

    An encrypted column cannot be searched for a value (every token differs); a *blind index* beside it can:
    the digest under the newest key is stored, and a lookup tries the digest under every key (so it still
    finds rows written before a key rotation). ``rotate_keys`` rewrites the stored digests.
    """
    data = value.encode("utf-8")
    return [hmac.new(key.index_key, data, hashlib.sha256).hexdigest() for key in _get().keys]


def blind_index(value: str) -> str:
    """The digest of ``value`` under the newest key ("" for an empty value)."""
    return blind_indexes(value)[0] if value else ""
