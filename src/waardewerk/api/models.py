"""Applications that use the API, their notification subscriptions and the deliveries (docs/api.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedTextField
from waardewerk.core.models import PublicModel


class Application(PublicModel):
    """A connected system of one organisation. Its token is shown once when it is registered; only the
    token's prefix (to find it) and its SHA-256 digest are stored."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    expires_on = models.DateField(_("valid until"))
    token_prefix = models.CharField(_("token prefix"), max_length=16, unique=True)
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_on >= timezone.localdate()


class Event(models.TextChoices):
    PHASE_CHANGED = "trajectory.phase_changed", _("Trajectory phase changed")
    MEASUREMENT_SUBMITTED = "measurement.submitted", _("Measurement submitted")
    PLACEMENT_STARTED = "placement.started", _("Placement started")


# The scope an application needs to read what an event names: without it, it may not subscribe to it.
EVENT_SCOPES = {
    Event.PHASE_CHANGED: "trajectories:read",
    Event.MEASUREMENT_SUBMITTED: "measurements:read",
    Event.PLACEMENT_STARTED: "matching:read",
}


class Subscription(PublicModel):
    """Where an application wants to hear of an event: an HTTPS address, and a secret the payload is
    signed with (HMAC-SHA256)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="subscriptions")
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    url = models.URLField(_("address"), max_length=500)
    secret = EncryptedTextField(_("signing secret"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["event", "id"]

    def __str__(self):
        return f"{self.event} -> {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(PublicModel):
    """One notification to one subscription, with its attempts. The payload names objects by their
    public id only: the receiver reads the data through the API, with its scopes."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="api_delivery_due_idx")]

    def __str__(self):
        return f"{self.event} {self.status}"
