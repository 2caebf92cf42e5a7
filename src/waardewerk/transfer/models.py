"""Exports of an organisation's whole data and imports waiting for confirmation (docs/export.md,
docs/import.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedTextField
from waardewerk.core.models import PublicModel


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class OrganisationExport(PublicModel):
    """One export of the organisation's whole data. The zip file is stored encrypted with the field keys
    outside the database (``WAARDEWERK_DATA_DIR/exports``) and removed after ``expires_at``."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    counts = models.JSONField(_("rows per entity"), default=dict, blank=True)

    class Meta:
        verbose_name = _("organisation export")
        verbose_name_plural = _("organisation exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organisation} {self.created_at:%Y-%m-%d %H:%M}"


class ImportKind(models.TextChoices):
    CLIENTS = "clients", _("Clients")
    TRAJECTORIES = "trajectories", _("Trajectories")


class PendingImport(PublicModel):
    """An uploaded file between its preview and the confirmation: encrypted, and deleted on confirmation or
    after ``expires_at`` (an hour), so the file is never uploaded twice."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    filename = EncryptedTextField(_("file name"), max_length=400)
    content = EncryptedTextField(_("file (base64)"), max_length=7_000_000)
    expires_at = models.DateTimeField(_("valid until"))

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
