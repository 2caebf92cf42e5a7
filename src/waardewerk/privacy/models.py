"""Legal holds, data-subject requests and the record of what retention and erasure destroyed
(docs/privacy.md)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedTextField
from waardewerk.core.models import PublicModel


class LegalHold(PublicModel):
    """A client's file may not be destroyed while a hold is active (``lifted_at`` empty): a court case, an
    objection or appeal under the Awb, a complaint at the Autoriteit Persoonsgegevens, a fraud
    investigation. Set and lifted by the functional administrator with a reason; both are in the access
    log. Erased with the client once lifted and the term has passed (the erasure record keeps that a hold
    existed, not why)."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("client")
    )
    reason = EncryptedTextField(_("reason"), max_length=1000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = EncryptedTextField(_("reason for lifting"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "lifted_at"], name="legalhold_client_idx")]

    def __str__(self):
        return f"{self.client_id} {self.created_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RequestKind(models.TextChoices):
    """The data subject's rights of the GDPR that this product handles (art. 15-18, 21)."""

    ACCESS = "access", _("Access (inzage, art. 15)")
    RECTIFICATION = "rectification", _("Rectification (correctie, art. 16)")
    ERASURE = "erasure", _("Erasure (verwijdering, art. 17)")
    RESTRICTION = "restriction", _("Restriction (beperking, art. 18)")
    OBJECTION = "objection", _("Objection (bezwaar, art. 21)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    GRANTED = "granted", _("Answered: granted")
    PARTLY = "partly", _("Answered: granted in part")
    REFUSED = "refused", _("Answered: refused")

    @classmethod
    def answered(cls) -> set[str]:
        return {cls.GRANTED, cls.PARTLY, cls.REFUSED}


def one_month_after(day: dt.date) -> dt.date:
    """The GDPR's "within one month of receipt" (art. 12(3)): the same day number in the next month, or the
    last day of that month when it has no such day (31 January -> 28/29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for number in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, number)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class DataSubjectRequest(PublicModel):
    """A request of a client about their own data, from receipt to answer.

    The deadline is one month after receipt, extendable by two months for a complex request with a reason
    (art. 12(3)). The request stays after the client's file is erased (``client`` empty): it is the proof
    that the request was handled (art. 5(2)); its notes are then emptied and only kind, dates, status and
    the answer's outcome remain."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client"),
    )
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("answer due by"))
    extended_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    description = EncryptedTextField(_("what the client asks"), max_length=2000, blank=True)
    handling = EncryptedTextField(_("handling notes"), max_length=4000, blank=True)
    answer = EncryptedTextField(_("answer to the client"), max_length=4000, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["organisation", "status", "deadline"], name="dsr_org_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("received_on")), name="dsr_deadline"),
        ]

    def __str__(self):
        return f"{self.kind} {self.received_on}"

    @property
    def is_answered(self) -> bool:
        return self.status in RequestStatus.answered()


class ErasureCause(models.TextChoices):
    RETENTION = "retention", _("Retention term passed")
    REQUEST = "request", _("Request for erasure")


class ErasureRecord(PublicModel):
    """That a client's file was destroyed, when, why and under which rule: never what it held. Per
    destroyed trajectory the facts that statistics need without a person (organisation, team, context,
    start and end month, end reason) are kept in ``trajectories``; ``counts`` has the number of rows
    destroyed per record type. The access log keeps its rows (they hold public ids, no personal data), so
    its hash chain stays verifiable; its event for the erasure points at this record."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    cause = models.CharField(_("cause"), max_length=20, choices=ErasureCause.choices)
    rule = models.CharField(_("retention rule"), max_length=40, blank=True)
    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="erasures",
        verbose_name=_("request"),
    )
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    counts = models.JSONField(_("rows destroyed per record type"), default=dict)
    trajectories = models.JSONField(_("trajectory facts kept for statistics"), default=list)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.cause} {self.created_at:%Y-%m-%d}"
