"""Clients (cliënten / werkzoekenden / werknemers)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waardewerk.clients.validators import mask_bsn
from waardewerk.core.fields import EncryptedCharField
from waardewerk.core.models import VersionedModel


class Client(VersionedModel):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("organisation"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    infix = models.CharField(
        _("infix"), max_length=30, blank=True, help_text=_("For example: van, de, van der.")
    )
    last_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Encrypted at rest (docs/security.md); names stay plain because the caseload searches them.
    bsn = EncryptedCharField(_("BSN"), max_length=9, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["organisation", "last_name", "first_name"], name="client_org_name_idx")
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    @property
    def sort_name(self) -> str:
        """Dutch lists sort on the last name, with the infix after the first name: "Bakker, Jan de"."""
        given = " ".join(part for part in (self.first_name, self.infix) if part)
        return f"{self.last_name}, {given}"

    @property
    def age(self) -> int:
        from django.utils import timezone

        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def bsn_masked(self) -> str:
        return mask_bsn(self.bsn)
