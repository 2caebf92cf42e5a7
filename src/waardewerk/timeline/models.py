"""The timeline projection: one row per event in a trajectory's history."""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedTextField


class Kind(models.TextChoices):
    """The timeline filter: each event belongs to one kind."""

    CONVERSATION = "conversation", _("Conversations")
    MEASUREMENT = "measurement", _("Measurements")
    PLAN = "plan", _("Plan")
    ACTION = "action", _("Actions")
    ADJUSTMENT = "adjustment", _("Adjustments")
    NOTE = "note", _("Progress notes")
    PHASE = "phase", _("Phases")
    EVALUATION = "evaluation", _("Evaluation")
    PORTAL = "portal", _("Client portal")
    MATCHING = "matching", _("Jobs and placements")


# Every event, with its kind. Each has a part in ``pages.timeline_entries.PARTS`` that writes it.
EVENTS: dict[str, str] = {
    "started": Kind.PHASE,
    "phase": Kind.PHASE,
    "handover": Kind.PHASE,
    "assignment": Kind.PHASE,
    "assignment_ended": Kind.PHASE,
    "closed": Kind.PHASE,
    "conversation": Kind.CONVERSATION,
    "appointment_planned": Kind.CONVERSATION,
    "appointment_moved": Kind.CONVERSATION,
    "appointment_cancelled": Kind.CONVERSATION,
    "action": Kind.ACTION,
    "action_done": Kind.ACTION,
    "action_cancelled": Kind.ACTION,
    "action_reopened": Kind.ACTION,
    "measurement": Kind.MEASUREMENT,
    "plan_version": Kind.PLAN,
    "plan_agreed": Kind.PLAN,
    "note": Kind.NOTE,
    "adjustment": Kind.ADJUSTMENT,
    "evaluation": Kind.EVALUATION,
    "action_done_by_client": Kind.PORTAL,
    "goal_proposed": Kind.PORTAL,
    "goal_accepted": Kind.PORTAL,
    "goal_declined": Kind.PORTAL,
    "preference_corrected": Kind.PORTAL,
    "client_evaluation": Kind.PORTAL,
    "consent_given": Kind.PORTAL,
    "consent_withdrawn": Kind.PORTAL,
    "questionnaire_requested": Kind.PORTAL,
    "questionnaire_cancelled": Kind.PORTAL,
    "job_decided": Kind.MATCHING,
    "job_answered": Kind.MATCHING,
    "placement": Kind.MATCHING,
    "follow_up": Kind.MATCHING,
    "candidate_profile": Kind.MATCHING,
}

# The annotation with ``summary`` as stored (encrypted), for ``TimelineEntry.texts``.
STORED_SUMMARY = "stored_summary"

# Who acted when it was not a user: the client in the portal.
CLIENT = "client"


class EntryDisplay:
    """What a page shows of an entry besides its columns: shared by the model and by the rows a page reads
    (``timeline.selectors.ShownEntry``)."""

    @cached_property
    def texts(self) -> dict[str, str]:
        """The entry's free texts by name (``summary`` decrypted and decoded). An entry read by
        ``timeline.selectors`` holds the stored token (``stored_summary``) instead of ``summary`` and
        decrypts it here, on first use: a page decrypts the texts of the entries it shows only."""
        if "summary" in self.__dict__ or STORED_SUMMARY not in self.__dict__:
            summary = self.summary
        else:
            summary = _SUMMARY.decrypt_raw(self.__dict__[STORED_SUMMARY])
        return json.loads(summary) if summary else {}

    @cached_property
    def day(self):
        return timezone.localtime(self.occurred_at).date()

    @property
    def style(self) -> str:
        """For the page's styling: the kind, except for a change of staffing or the closing."""
        return (
            "staffing"
            if self.event.startswith("assignment")
            else (self.event if self.event in ("handover", "closed") else self.kind)
        )

    @property
    def by_client(self) -> bool:
        return self.actor_label == CLIENT


class TimelineEntry(EntryDisplay, models.Model):
    """An event in a trajectory's history, written by the service that made the change (same transaction).

    ``data`` holds what the line needs besides free text: choice values, numbers, dates, the names of
    colleagues, an instrument's title per language; never the client's words. Free text (a conversation's
    notes, a reason, a goal in the client's words) is in ``summary``, encrypted like its source.
    ``source_type`` and ``source_id`` name the object the entry was made for."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.CASCADE,
        related_name="timeline_entries",
        db_index=False,  # timeline_traj_at_idx (trajectory, occurred_at) serves it
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event = models.CharField(_("event"), max_length=40)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by (not a user)"), max_length=20, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # JSON of the source's texts (at most 5,000 characters each, escaped): room enough, never a megabyte.
    summary = EncryptedTextField(_("texts"), blank=True, max_length=50_000)
    source_type = models.CharField(_("source type"), max_length=40, blank=True)
    source_id = models.UUIDField(_("source id"), null=True, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["trajectory", "occurred_at"], name="timeline_traj_at_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="timeline_known_kind"),
        ]

    def __str__(self):
        return f"{self.event} {self.occurred_at:%Y-%m-%d}"


_SUMMARY = TimelineEntry._meta.get_field("summary")
