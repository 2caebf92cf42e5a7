"""Deploy checks of the settings (``waardewerk check --deploy``; docs/security.md, "Deploy checks").

They run only with ``--deploy`` and report what Django's own checks do not know about: keys that are
published in the repository or generated for development, HTTPS and the two-step verification
requirement, and development-only message backends.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from waardewerk.conf import published
from waardewerk.core import crypto, keyfiles


def key_file_problems(*, variable: str, path: str, error_id: str, warning_id: str, load) -> list:
    """The common part of the key checks: a configured, readable, valid key file that only the app reads."""
    problems = []
    try:
        load()
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), id=error_id))
    if path and Path(path).exists() and not keyfiles.is_private(Path(path)):
        problems.append(
            Warning(
                f"{variable} ({path}) is readable by other users.",
                hint=f"chmod 600 {path}",
                id=warning_id,
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if any(key in published.SECRET_KEYS for key in keys):
        return [
            Error(
                "The secret key is published in the source code (the development or test key): anyone can "
                "forge sessions, portal codes and recovery codes with it.",
                hint="Set WAARDEWERK_SECRET_KEY to a long random value (and remove published keys from "
                "WAARDEWERK_SECRET_KEY_FALLBACKS).",
                id="waardewerk.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_field_keys(app_configs=None, **kwargs):
    if not settings.FIELD_ENCRYPTION_KEYS and not settings.FIELD_ENCRYPTION_KEYS_FILE:
        return [
            Error(
                "No field encryption key is configured"
                + (f": the development key file in {settings.DATA_DIR} is used." if settings.DEBUG else "."),
                hint="Set WAARDEWERK_FIELD_KEYS_FILE (or WAARDEWERK_FIELD_KEYS); docs/security.md, "
                "'Encryption at rest'.",
                id="waardewerk.E002",
            )
        ]
    problems = key_file_problems(
        variable="WAARDEWERK_FIELD_KEYS_FILE",
        path=settings.FIELD_ENCRYPTION_KEYS_FILE,
        error_id="waardewerk.E002",
        warning_id="waardewerk.W003",
        load=crypto.load_keys,
    )
    listed = list(settings.FIELD_ENCRYPTION_KEYS)
    if settings.FIELD_ENCRYPTION_KEYS_FILE and not any(isinstance(p, Error) for p in problems):
        listed = keyfiles.read_key_file(
            Path(settings.FIELD_ENCRYPTION_KEYS_FILE), "WAARDEWERK_FIELD_KEYS_FILE"
        )
    if any(key.strip() in published.FIELD_KEYS for key in listed):
        problems.append(
            Error(
                "A field encryption key is the test key published in the source code.",
                hint="Make a new key, put it first, run `waardewerk rotate_keys`, then remove the test key.",
                id="waardewerk.E002",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_https(app_configs=None, **kwargs):
    if not settings.HTTPS:
        return [
            Error(
                "WAARDEWERK_HTTPS is off: cookies are sent without the Secure flag and there is no HSTS.",
                hint="Serve the app over HTTPS (a reverse proxy that terminates TLS is fine) and set "
                "WAARDEWERK_HTTPS=1.",
                id="waardewerk.E006",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_two_factor(app_configs=None, **kwargs):
    if not settings.WAARDEWERK_REQUIRE_2FA:
        return [
            Error(
                "WAARDEWERK_REQUIRE_2FA is off: staff log in to client files with a password alone.",
                hint="Set WAARDEWERK_REQUIRE_2FA=1 (the default outside debug mode).",
                id="waardewerk.E007",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_message_backends(app_configs=None, **kwargs):
    if settings.WAARDEWERK_SMS_BACKEND == "log":
        return [
            Error(
                "WAARDEWERK_SMS_BACKEND is 'log': text messages with portal codes are written to the log and "
                "not sent.",
                hint="Leave it empty (e-mail only) or configure a gateway ('http').",
                id="waardewerk.E008",
            )
        ]
    return []
