"""Clients (cliënten / werkzoekenden / werknemers)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.clients.validators import mask_bsn
from waardewerk.core.fields import BlindIndexField, EncryptedCharField, FoldedTextField
from waardewerk.core.models import PublicModel, VersionedModel

# What anonymising a file (privacy.anonymise, docs/privacy.md "Anonymise") leaves of the client's name: no
# first name, which every registered client has (the field is required), and this mark as the last name.
ANONYMISED_NAME = "[geanonimiseerd]"


def anonymised(prefix: str = "") -> models.Q:
    """The condition "this client's file was anonymised", on the client row or through a relation
    (``prefix`` such as ``"client__"``). Lists of clients leave those out: the row stays only for the
    figures (docs/privacy.md, "Anonymised files in lists")."""
    return models.Q(**{f"{prefix}first_name": "", f"{prefix}last_name": ANONYMISED_NAME})


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
    # A blind index of the BSN (HMAC under a key derived from the field key), so a log-in with an identity
    # provider can find the client by BSN without decrypting every row (core.crypto.blind_indexes).
    bsn_index = BlindIndexField(_("BSN index"), source="bsn", db_index=True)
    # The name folded for searching ("Öztürk" is stored as "ozturk", core.text.fold): the search box and the
    # duplicate check compare it on both databases; PostgreSQL indexes it with trigrams (docs/search.md).
    search_name = FoldedTextField(_("name for searching"), sources=("first_name", "infix", "last_name"))
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
            models.Index(fields=["organisation", "last_name", "first_name"], name="client_org_name_idx"),
            models.Index(fields=["organisation", "date_of_birth"], name="client_org_birth_idx"),
        ]
        constraints = [
            # One client per BSN in an organisation, also when two registrations race past the duplicate
            # rule's check (clients.duplicates; the service turns the violation into the rule's message).
            models.UniqueConstraint(
                fields=["organisation", "bsn_index"],
                condition=~models.Q(bsn_index=""),
                name="client_org_bsn_unique",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    @property
    def is_anonymised(self) -> bool:
        return not self.first_name and self.last_name == ANONYMISED_NAME

    @property
    def sort_name(self) -> str:
        """Dutch lists sort on the last name, with the infix after the first name: "Bakker, Jan de"."""
        given = " ".join(part for part in (self.first_name, self.infix) if part)
        return f"{self.last_name}, {given}"

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def bsn_masked(self) -> str:
        return mask_bsn(self.bsn)


class ConsentKind(models.TextChoices):
    """What a client can consent to (docs/portal.md, "Consent")."""

    EMPLOYER = "employer", _("Sharing with my employer")
    INTERVISION = "intervision", _("My case in intervision, without my name")
    RESEARCH = "research", _("Use in research, without my name")


class ConsentVia(models.TextChoices):
    PORTAL = "portal", _("in the client portal")
    PROFESSIONAL = "professional", _("recorded by the professional")


class Consent(PublicModel):
    """One grant of consent, from ``given_at`` until ``withdrawn_at`` (open: still given).

    A withdrawal sets ``withdrawn_at`` and keeps the row; giving consent again is a new row, so the history
    of every consent can be read back. At most one open grant per client and kind.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent for"), max_length=20, choices=ConsentKind.choices)
    # A consent for one party only (an employer of the matching app, by its public id, with its name as it
    # was when the consent was given); empty: the consent of ``kind`` in general (the client's own employer).
    party = models.UUIDField(_("party"), null=True, blank=True)
    party_name = models.CharField(_("party name"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("given at"))
    # Optional: the last day the consent counts ("geldig tot"), e.g. as the signed form says. The start page
    # signals a consent that ends within 30 days (trajectories.consent_signals).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    given_via = models.CharField(_("given"), max_length=20, choices=ConsentVia.choices)
    given_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_via = models.CharField(_("withdrawn"), max_length=20, choices=ConsentVia.choices, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["client", "kind", "given_at", "id"]
        indexes = [
            models.Index(fields=["client", "kind", "given_at"], name="consent_client_kind_idx"),
            models.Index(
                fields=["valid_until"],
                condition=models.Q(withdrawn_at__isnull=True, valid_until__isnull=False),
                name="consent_open_valid_until_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind"],
                condition=models.Q(withdrawn_at__isnull=True, party__isnull=True),
                name="consent_one_open_per_kind",
            ),
            models.UniqueConstraint(
                fields=["client", "kind", "party"],
                condition=models.Q(withdrawn_at__isnull=True, party__isnull=False),
                name="consent_one_open_per_party",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.client} {self.kind}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and not self.has_ended

    @property
    def has_ended(self) -> bool:
        """Past its end date (``valid_until``) without a withdrawal."""
        return self.valid_until is not None and self.valid_until < timezone.localdate()
