"""Instrument definitions (versioned content) and the measurements taken with them.

A definition is loaded from a data file (see docs/instrument-format.md) into an ``InstrumentVersion``
(versioned content: ``core.models.ContentItem``/``ContentVersion``, the rules in ``core.content_versions``);
a measurement points at the version it was taken with, so a newer version never changes it. A submitted
measurement is never changed (a database trigger refuses it, see ``guards.py``): a correction is a new
measurement that names the one it corrects and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waardewerk.core.content import localised
from waardewerk.core.fields import EncryptedTextField
from waardewerk.core.formats import day
from waardewerk.core.models import ContentItem, ContentVersion, PublicModel
from waardewerk.trajectories.models import Phase


class Instrument(ContentItem):
    current = models.ForeignKey(
        "InstrumentVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["key"]


class InstrumentVersion(ContentVersion):
    item_field = "instrument"

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument__key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="instrumentversion_unique"),
        ]


class InstrumentSchedule(models.Model):
    """An organisation's re-measurement schedule for an instrument (overrides the definition's)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="schedules")
    active = models.BooleanField(_("remind"), default=True)
    interval_days = models.PositiveIntegerField(_("re-measure every (days)"))
    first_within_days = models.PositiveIntegerField(_("first measurement within (days)"))
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("measurement schedule")
        verbose_name_plural = _("measurement schedules")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "instrument"], name="schedule_unique"),
            models.CheckConstraint(condition=Q(interval_days__gte=1), name="schedule_interval_positive"),
        ]

    def __str__(self):
        return _("%(instrument)s: every %(days)s days") % {
            "instrument": localised(self.instrument.current.definition.get("title"))
            if self.instrument.current_id
            else "",
            "days": self.interval_days,
        }


class Respondent(models.TextChoices):
    CLIENT = "client", _("Client")
    PROFESSIONAL = "professional", _("Professional")


class MeasurementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Measurement(PublicModel):
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="measurements"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="measurements")
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="measurements"
    )
    respondent = models.CharField(_("respondent"), max_length=20, choices=Respondent.choices)
    framing = models.CharField(_("framing"), max_length=40, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    taken_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeasurementStatus.choices, default=MeasurementStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True, max_length=100_000)  # JSON: a note per item
    score = models.JSONField(_("score"), default=dict, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_by_client = models.BooleanField(_("filled in by the client"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # CASCADE: measurements are only ever deleted with their whole trajectory (erasure of a client).
    corrects = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    correction_reason = EncryptedTextField(_("reason for the correction"), blank=True, max_length=500)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["taken_on", "submitted_at", "id"]
        indexes = [
            models.Index(
                fields=["trajectory", "instrument", "status", "taken_on"], name="measurement_traj_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="measurement_submitted_has_time",
            ),
        ]

    def __str__(self):
        """The instrument's title (from the definition the measurement was taken with), its date and who
        answered: "Lijst ... van 12 aug. 2026 (cliënt)". Select ``instrument_version`` with it."""
        return _("%(instrument)s of %(date)s (%(respondent)s)") % {
            "instrument": localised(self.instrument_version.definition.get("title")),
            "date": day(self.taken_on),
            "respondent": self.get_respondent_display().lower(),
        }

    @property
    def is_draft(self) -> bool:
        return self.status == MeasurementStatus.DRAFT
