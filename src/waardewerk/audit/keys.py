"""The key that signs the access log's checkpoints (HMAC-SHA256), kept outside the database.

``WAARDEWERK_AUDIT_KEY`` (one key, or several comma-separated, newest first) or
``WAARDEWERK_AUDIT_KEY_FILE`` (one key per line, newest first). New checkpoints are signed with the newest
key; checkpoints signed with an older listed key can still be checked. Each key is a random string of at
least 32 characters. With neither set, debug mode generates ``$WAARDEWERK_DATA_DIR/audit-key`` once;
otherwise the app refuses to start.

A separate key rather than one derived from the field keys: whoever checks the log (an auditor, a SIEM)
can hold it without being able to decrypt client data, and the two are rotated independently.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from waardewerk.core import keyfiles

DEV_KEY_FILE_NAME = "audit-key"
MIN_LENGTH = 32
_SETTINGS = {"WAARDEWERK_AUDIT_KEYS", "WAARDEWERK_AUDIT_KEY_FILE", "DEBUG", "DATA_DIR"}
_lock = threading.Lock()
_cached: list[AuditKey] | None = None


@dataclass(frozen=True)
class AuditKey:
    secret: bytes

    @property
    def key_id(self) -> str:
        """A public fingerprint that tells which key signed a checkpoint (it reveals nothing of the key)."""
        return hashlib.sha256(b"waardewerk audit key id\x00" + self.secret).hexdigest()[:16]


def _parse(keys: list[str], source: str) -> list[AuditKey]:
    parsed = []
    for position, key in enumerate(keys, start=1):
        if len(key.strip()) < MIN_LENGTH:
            raise ImproperlyConfigured(
                f"{source}: key {position} is shorter than {MIN_LENGTH} characters; make one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
            )
        parsed.append(AuditKey(key.strip().encode("utf-8")))
    if not parsed:
        raise ImproperlyConfigured(f"{source} holds no key.")
    return parsed


def configured_source() -> str:
    """Where the keys come from: "variable", "file" or "" (none configured)."""
    if getattr(settings, "WAARDEWERK_AUDIT_KEYS", None):
        return "variable"
    if getattr(settings, "WAARDEWERK_AUDIT_KEY_FILE", ""):
        return "file"
    return ""


def load_keys() -> list[AuditKey]:
    """The configured keys, newest first; raises ImproperlyConfigured when there is none or one is bad."""
    keys = list(getattr(settings, "WAARDEWERK_AUDIT_KEYS", None) or [])
    key_file = getattr(settings, "WAARDEWERK_AUDIT_KEY_FILE", "") or ""
    if keys and key_file:
        raise ImproperlyConfigured("Set WAARDEWERK_AUDIT_KEY or WAARDEWERK_AUDIT_KEY_FILE, not both.")
    if keys:
        return _parse(keys, "WAARDEWERK_AUDIT_KEY")
    if key_file:
        path = Path(key_file)
        return _parse(
            keyfiles.read_key_file(path, "WAARDEWERK_AUDIT_KEY_FILE"), f"WAARDEWERK_AUDIT_KEY_FILE ({path})"
        )
    if settings.DEBUG:
        path = keyfiles.dev_key_file(
            DEV_KEY_FILE_NAME,
            lambda: secrets.token_urlsafe(32),
            "# Waardewerk access log checkpoint key, newest first (generated for development).\n",
        )
        return _parse(
            keyfiles.read_key_file(path, "development audit key file"), f"development key file {path}"
        )
    raise ImproperlyConfigured(
        "The access log's checkpoints need a key: set WAARDEWERK_AUDIT_KEY (a random string of at least 32 "
        "characters) or WAARDEWERK_AUDIT_KEY_FILE (a file with one key per line, newest first). Keep it "
        "outside the database; see docs/security.md, 'Audit trail'. (With WAARDEWERK_DEBUG=1 a development "
        "key is generated.)"
    )


def keys() -> list[AuditKey]:
    global _cached
    cached = _cached
    if cached is None:
        with _lock:
            if _cached is None:
                _cached = load_keys()
            cached = _cached
    return cached


def reset_keys() -> None:
    global _cached
    with _lock:
        _cached = None


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting in _SETTINGS:
        reset_keys()
