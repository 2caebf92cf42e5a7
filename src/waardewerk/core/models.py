"""Shared base models."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


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
