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
    action = models.CharField(_("action"), max_length=20, default="destroy")
    destruction_list = models.ForeignKey(
        "privacy.DestructionList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("destruction list"),
    )
    counts = models.JSONField(_("rows destroyed per record type"), default=dict)
    trajectories = models.JSONField(_("trajectory facts kept for statistics"), default=list)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.cause} {self.created_at:%Y-%m-%d}"


class RetentionAction(models.TextChoices):
    DESTROY = "destroy", _("Destroy")
    ANONYMISE = "anonymise", _("Anonymise (keep the statistics)")
    NONE = "none", _("None (maintenance step)")


class RetentionTerm(PublicModel):
    """An organisation's own term and action for one retention rule (``core.retention``). Append-only: each
    change is a new row with who, when and why, so the rows are the history; the newest row per rule is in
    force. Without a row the installation's setting applies."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    rule = models.CharField(_("retention rule"), max_length=40)
    days = models.PositiveIntegerField(_("term (days)"))
    action = models.CharField(_("action"), max_length=20, choices=RetentionAction.choices)
    reason = models.CharField(_("reason for the change"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )

    class Meta:
        verbose_name = _("retention term")
        verbose_name_plural = _("retention terms")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "rule", "-created_at"], name="retterm_org_rule_idx")]

    def __str__(self):
        return f"{self.rule} {self.days}"


class DestructionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed: waiting for approval")
    APPROVED = "approved", _("Approved: being carried out")
    DONE = "done", _("Carried out")
    REJECTED = "rejected", _("Rejected")
    STALE = "stale", _("Out of date: the data changed")

    @classmethod
    def open(cls) -> set[str]:
        return {cls.PROPOSED, cls.APPROVED}


class DestructionList(PublicModel):
    """The client files of an organisation whose retention term has passed, proposed by the daily run.
    Nothing on it is destroyed or anonymised before two different people approved it: the functional
    administrator and a team lead of the organisation (docs/privacy.md, "Two-person approval"). Either can
    reject it with a reason. When the data of an item changed after the proposal (a legal hold, a
    trajectory reopened, the term changed) the list is out of date and the next run proposes a new one."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DestructionStatus.choices, default=DestructionStatus.PROPOSED
    )
    admin_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by the functional administrator"),
    )
    admin_approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by the team lead"),
    )
    second_approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rejected by"),
    )
    rejection_reason = EncryptedTextField(_("reason for the rejection"), max_length=1000, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    stale_reason = models.CharField(_("why out of date"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="destrlist_org_status_idx")]

    def __str__(self):
        return f"{self.organisation_id} {self.created_at:%Y-%m-%d} {self.status}"


class DestructionItem(models.Model):
    """One client file on a destruction list: what the proposal saw (the end of the last trajectory, the
    action), and once carried out the erasure record that it was done. The client's public id stays when the
    file is destroyed: the access log names it too, and it says nothing about the person."""

    destruction_list = models.ForeignKey(
        DestructionList, on_delete=models.CASCADE, related_name="items", verbose_name=_("destruction list")
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client"),
    )
    client_uuid = models.UUIDField(_("client's public id"))
    last_end = models.DateField(_("last trajectory ended"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=RetentionAction.choices)
    erasure = models.ForeignKey(
        ErasureRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done"),
    )
    refused = models.CharField(_("not carried out, because"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("destruction list item")
        verbose_name_plural = _("destruction list items")
        ordering = ["last_end", "id"]

    def __str__(self):
        return f"{self.client_uuid} {self.action}"


class AnonymisedFile(models.Model):
    """Marks a client row whose file was anonymised: its personal data and free texts are overwritten, the
    rows the figures count stay (privacy.anonymise). It is never proposed again."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="+", verbose_name=_("client")
    )
    anonymised_at = models.DateTimeField(_("anonymised at"))

    class Meta:
        verbose_name = _("anonymised file")
        verbose_name_plural = _("anonymised files")

    def __str__(self):
        return f"{self.client_id} {self.anonymised_at:%Y-%m-%d}"
