"""Shared base models."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core import checks
from django.db import models
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedCharField, EncryptedTextField


class PublicModel(models.Model):
    """A model with a UUID public identifier; integer ids never appear in URLs."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(PublicModel):
    """A model edited in forms: ``version`` detects concurrent edits (optimistic locking)."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


# Versioned content --------------------------------------------------------------------------------------
# Instrument definitions, the conversation guide and the content that follows them (knowledge base,
# intervision methods, guiding principles, review checkpoints) are data files loaded into the database as
# versions. Each kind has two tables built on these bases; the rules live in ``core.content_versions``.


class ContentItem(models.Model):
    """One piece of versioned content (an instrument, the conversation guide): its key and current version.

    A subclass declares ``current``, a nullable ``ForeignKey`` to its version model with
    ``on_delete=PROTECT`` and ``related_name="+"``; the current version is always the highest one.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.key

    @classmethod
    def check(cls, **kwargs):
        errors = super().check(**kwargs)
        if cls._meta.abstract:
            return errors
        field = next((f for f in cls._meta.concrete_fields if f.name == "current"), None)
        model = getattr(getattr(field, "remote_field", None), "model", None)
        if not (isinstance(model, type) and issubclass(model, ContentVersion) and field.null):
            errors.append(
                checks.Error(
                    f"{cls.__name__} needs 'current': a nullable ForeignKey to its ContentVersion model.",
                    obj=cls,
                    id="core.E101",
                )
            )
        return errors


class ContentVersion(models.Model):
    """One version of a piece of content, never changed after it is stored.

    ``definition`` is the checked content as JSON, ``checksum`` its SHA-256 (``core.content.checksum``).
    A version comes from a file (``loaded_by`` says who loaded it: ``waardewerk`` for the shipped files,
    ``command line``; ``source_file`` its name) or from an edit on a page (``loaded_by`` empty,
    ``created_by`` the editor, ``note`` what changed and why).

    A subclass declares a ``ForeignKey`` to its ``ContentItem`` model with ``related_name="versions"``,
    names it in ``item_field``, and adds a unique constraint on (that field, ``version``).
    """

    item_field: ClassVar[str] = ""

    version = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(_("checksum"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.CharField(_("loaded by"), max_length=150, blank=True)
    source_file = models.CharField(_("file"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.CharField(_("what changed and why"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.item.key} v{self.version}"

    @property
    def item(self) -> ContentItem:
        return getattr(self, self.item_field)

    @property
    def is_edit(self) -> bool:
        """Made on a page (by ``created_by``), not loaded from a file."""
        return not self.loaded_by

    @classmethod
    def check(cls, **kwargs):
        errors = super().check(**kwargs)
        if cls._meta.abstract:
            return errors
        field = next((f for f in cls._meta.concrete_fields if f.name == cls.item_field), None)
        model = getattr(getattr(field, "remote_field", None), "model", None)
        if not (
            isinstance(model, type)
            and issubclass(model, ContentItem)
            and field.remote_field.related_name == "versions"
        ):
            errors.append(
                checks.Error(
                    f"{cls.__name__}.item_field must name a ForeignKey to its ContentItem model with "
                    "related_name='versions'.",
                    obj=cls,
                    id="core.E102",
                )
            )
        unique = {
            tuple(sorted(c.fields)) for c in cls._meta.constraints if isinstance(c, models.UniqueConstraint)
        }
        if tuple(sorted((cls.item_field, "version"))) not in unique:
            errors.append(
                checks.Error(
                    f"{cls.__name__} needs a UniqueConstraint on ({cls.item_field!r}, 'version').",
                    obj=cls,
                    id="core.E103",
                )
            )
        return errors


# Files prepared in the background -------------------------------------------------------------------------


class PreparedStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PreparedFile(models.Model):
    """A report or export made by the background worker for one user (``core.prepared``): requested once per
    identical request (``key``), stored encrypted, downloadable by that user only until ``expires_at``.
    ``kind`` names a registered builder; ``params`` are its arguments (public ids and choices, no personal
    data)."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("arguments"), default=dict)
    key = models.CharField(_("request key"), max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("requested by")
    )
    client_uuid = models.UUIDField(_("client"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PreparedStatus.choices, default=PreparedStatus.WAITING
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=60, blank=True)
    content = models.BinaryField(_("content (encrypted)"), blank=True, default=b"")
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    error = models.CharField(_("error class"), max_length=200, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        indexes = [models.Index(fields=["expires_at"], name="prepared_expires_idx")]
        constraints = [
            # One live job per identical request: the same request twice gives the same file.
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status__in=["waiting", "running", "ready"]),
                name="prepared_one_live_per_key",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.status}"


# The outbox: e-mail and text messages sent by the worker ---------------------------------------------------


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Not known whether sent")


class OutboxMessage(models.Model):
    """One e-mail or text message, sent once by the worker (``core.outbox``). ``key`` makes queuing
    idempotent (the same key twice is one message); the status makes sending idempotent (a sent message is
    never sent again, a message whose sending was interrupted is never sent blindly again). Destination and
    text are encrypted at rest."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    channel = models.CharField(_("channel"), max_length=10)
    destination = EncryptedCharField(_("to"), max_length=254)
    subject = EncryptedCharField(_("subject"), max_length=200, blank=True)
    body = EncryptedTextField(_("text"), max_length=10000)
    purpose = models.CharField(_("purpose"), max_length=60)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error class"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_idx")]

    def __str__(self):
        return f"{self.channel} {self.purpose} {self.status}"


class WorkerHeartbeat(models.Model):
    """A background worker's sign of life, every few seconds (``core.worker_health``); a task still marked
    running by a worker that stopped beating is put back in the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return self.worker_id
