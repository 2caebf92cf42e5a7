"""The portal's messages to a client (``Message``) and the transports the outbox sends them with
(``core.outbox``: the worker sends, retries with backoff and never twice; ``portal.services._queue``).

- **E-mail** goes through Django's mail backend (``EMAIL_BACKEND``): the console in development, SMTP in
  production (``WAARDEWERK_EMAIL_*``), the in-memory outbox in tests.
- **SMS** goes through the backend named by ``WAARDEWERK_SMS_BACKEND``:

  - ``""`` (the production default): no SMS. The professional can only invite by e-mail.
  - ``"log"`` (the development default): the message is written to the log, clearly marked as **not
    sent**. It never pretends to deliver anything.
  - ``"http"``: a JSON-over-HTTPS gateway (``HttpSmsBackend``): ``POST WAARDEWERK_SMS_HTTP_URL`` with
    ``Authorization: Bearer WAARDEWERK_SMS_HTTP_TOKEN`` and ``{"to", "from", "body"}``; any 2xx answer counts
    as accepted. Most SMS providers offer such an API or a small adapter in front of theirs.
  - the dotted path of a class with ``send(destination: str, text: str) -> None`` that raises
    ``MessagingError`` when the message is not accepted.

A failure raises ``MessagingError``; the outbox keeps the message for its next attempt.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from waardewerk.portal.models import Channel

logger = logging.getLogger(__name__)


class MessagingError(Exception):
    """The message could not be handed over for delivery."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str  # plain text; an SMS uses ``sms`` when set, else the body
    sms: str = ""


class LogSmsBackend:
    """Development only: writes the text message to the log instead of sending it."""

    def send(self, destination: str, text: str) -> None:
        # The number is masked: it is encrypted at rest (PortalInvitation.destination); the text is what a
        # developer needs to follow the link.
        logger.warning(
            "DEVELOPMENT ONLY - SMS NOT SENT (WAARDEWERK_SMS_BACKEND=log) to %s: %s",
            mask(Channel.SMS, destination),
            text,
        )


class HttpSmsBackend:
    """A JSON-over-HTTPS SMS gateway (see the module docstring)."""

    def __init__(self, url: str | None = None, token: str | None = None, sender: str | None = None):
        self.url = url if url is not None else settings.WAARDEWERK_SMS_HTTP_URL
        self.token = token if token is not None else settings.WAARDEWERK_SMS_HTTP_TOKEN
        self.sender = sender if sender is not None else settings.WAARDEWERK_SMS_SENDER
        if not self.url.startswith("https://"):
            raise MessagingError("WAARDEWERK_SMS_HTTP_URL must be an https:// address.")

    def send(self, destination: str, text: str) -> None:
        body = json.dumps({"to": destination, "from": self.sender, "body": text}).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 (https only, checked above)
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status = response.status
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise MessagingError(f"The SMS gateway did not accept the message: {exc}") from exc
        if not 200 <= status < 300:
            raise MessagingError(f"The SMS gateway answered {status}.")


BUILTIN_SMS = {"log": LogSmsBackend, "http": HttpSmsBackend}


def sms_backend():
    """The configured SMS backend, or None when text messages are off."""
    name = (settings.WAARDEWERK_SMS_BACKEND or "").strip()
    if not name:
        return None
    backend = BUILTIN_SMS.get(name) or import_string(name)
    return backend()


def sms_available() -> bool:
    return bool((settings.WAARDEWERK_SMS_BACKEND or "").strip())


def mask(channel: str, destination: str) -> str:
    """The destination as the client may see it on screen: j…@example.org, 06-……78."""
    if channel == Channel.EMAIL and "@" in destination:
        local, domain = destination.split("@", 1)
        return f"{local[:1]}…@{domain}"
    digits = "".join(ch for ch in destination if ch.isdigit())
    return f"…{digits[-2:]}" if digits else "…"


def outbox_sms(message) -> None:
    """The outbox's transport for text messages (core.outbox): the configured SMS backend."""
    backend = sms_backend()
    if backend is None:
        raise MessagingError("Text messages are not configured (WAARDEWERK_SMS_BACKEND).")
    backend.send(message.destination, message.body)
