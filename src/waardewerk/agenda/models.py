"""Appointments in a professional's agenda and the secret of their calendar feed (docs/agenda.md)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedCharField
from waardewerk.core.models import VersionedModel


class AppointmentKind(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    MEASUREMENT = "measurement", _("Measurement")
    INTERVISION = "intervision", _("Intervision session")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")


class Appointment(VersionedModel):
    """A planned appointment of one professional (``owner``), with a client when it is linked to a
    trajectory. Moving it raises ``version``; cancelling keeps the row (``cancelled_at``) so the client's
    timeline and the calendar feed can say it was cancelled."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("in the agenda of"),
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("trajectory"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    duration = models.PositiveSmallIntegerField(_("duration (minutes)"))
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices)
    # Free texts may name people or an address: encrypted, and never in the calendar feed.
    title = EncryptedCharField(_("subject"), max_length=200, blank=True)
    place = EncryptedCharField(_("place or link"), max_length=300, blank=True)
    participants = EncryptedCharField(_("other participants"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by")
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["owner", "starts_at"], name="appointment_owner_start_idx"),
            models.Index(fields=["trajectory", "starts_at"], name="appointment_traj_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration__gte=5, duration__lte=600), name="appointment_duration_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.duration)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class CalendarFeed(models.Model):
    """A user's calendar feed (iCalendar): only the SHA-256 digest of the secret in its address is stored.
    Making a new address replaces the row, so the old address stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user}"
