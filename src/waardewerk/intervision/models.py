"""Intervision: methods and review checkpoints (versioned content), groups, sessions, the experiments agreed
in them, case presentations and case reviews.

A method file (docs/intervision.md) is loaded into a ``MethodVersion``; a session points at the version it
was held with, so a newer method never changes what was recorded. What members write in a session (the core
question, the notes per phase, the case owner's choice, experiments and reflections) is encrypted at rest.
"""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedTextField
from waardewerk.core.models import ContentItem, ContentVersion, PublicModel, VersionedModel


class IntervisionMethod(ContentItem):
    """One intervision method; ``current`` is its highest version."""

    # The installation's content (from files) has no organisation; an organisation's own versions (edits on
    # a page by its content editor, imports of a file there) are a separate item with the same key.
    key = models.SlugField(_("key"), max_length=60)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    current = models.ForeignKey(
        "MethodVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("intervision method")
        verbose_name_plural = _("intervision methods")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(organisation=None), name="method_unique_key"
            ),
            models.UniqueConstraint(
                fields=["organisation", "key"],
                condition=models.Q(organisation__isnull=False),
                name="method_unique_org_key",
            ),
        ]


class MethodVersion(ContentVersion):
    item_field = "method"

    method = models.ForeignKey(IntervisionMethod, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("intervision method version")
        verbose_name_plural = _("intervision method versions")
        ordering = ["method", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["method", "version"], name="methodversion_unique"),
        ]


class IntervisionGroup(PublicModel):
    """An intervision group (OT-groep) of one organisation; its members are professionals and team leads."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="intervision_groups",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="intervision_groups", blank=True, verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("intervision group")
        verbose_name_plural = _("intervision groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="intervisiongroup_unique_name")
        ]

    def __str__(self):
        return self.name


class FocusKind(models.TextChoices):
    """What part of the method an OT-groep chose to apply until the next session (the learning cycle)."""

    GUIDE_TOPIC = "guide_topic", _("A topic of the conversation guide")
    INSTRUMENT = "instrument", _("An instrument")
    PRINCIPLE = "principle", _("A guiding principle")


class IntervisionSession(VersionedModel):
    """One meeting of a group, held with one version of a method. ``version`` detects concurrent edits of
    the record; ``phase_notes`` is a JSON object (phase key -> notes), encrypted as a whole."""

    group = models.ForeignKey(
        IntervisionGroup, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("group")
    )
    date = models.DateField(_("date"))
    method_version = models.ForeignKey(
        MethodVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("method")
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )
    case_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case owner"),
    )
    core_question = EncryptedTextField(_("core question"), blank=True, max_length=1000)
    # At most 20 phases of at most 2000 characters each, as JSON with the phase keys.
    phase_notes = EncryptedTextField(_("notes per phase"), blank=True, max_length=50000)
    choice = EncryptedTextField(_("the case owner's choice"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    # The learning cycle's focus: the part of the method members apply in their own trajectories until the
    # next session, where they reflect on it. ``focus_key`` names the guide topic or instrument,
    # ``focus_label`` its title as chosen (a later guide or instrument version does not change it).
    focus_kind = models.CharField(_("focus"), max_length=20, choices=FocusKind.choices, blank=True)
    focus_key = models.CharField(_("focus key"), max_length=60, blank=True)
    focus_label = models.CharField(_("focus title"), max_length=200, blank=True)
    focus_note = models.CharField(_("how members apply it"), max_length=500, blank=True)
    # The case of the session, when it is a case presentation of the group (shown while it is shared).
    presentation = models.ForeignKey(
        "CasePresentation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("case presentation"),
    )

    class Meta:
        verbose_name = _("intervision session")
        verbose_name_plural = _("intervision sessions")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["group", "date"], name="intervisionsession_group_date")]

    def __str__(self):
        return f"{self.group} {self.date}"

    @property
    def notes(self) -> dict[str, str]:
        try:
            value = json.loads(self.phase_notes or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Sent apologies")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """Who attended a session, recorded by its facilitator: present, sent apologies, or absent without a
    word. A session without these rows has no recorded attendance (it counts for nobody: the development
    log and the quality figure count only members recorded present)."""

    session = models.ForeignKey(
        IntervisionSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_unique_member"),
        ]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_status")]

    def __str__(self):
        return f"{self.session_id} {self.member_id} {self.status}"


class Experiment(PublicModel):
    """What a member will try after a session, optionally in one of their own trajectories, until when; the
    reflection on it is recorded by its owner at a later session of the same group."""

    session = models.ForeignKey(
        IntervisionSession, on_delete=models.CASCADE, related_name="experiments", verbose_name=_("session")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    description = EncryptedTextField(_("what I will try"), max_length=1000)
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trajectory"),
    )
    until = models.DateField(_("until"))
    reflection_session = models.ForeignKey(
        IntervisionSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reflections",
        verbose_name=_("reflected on in"),
    )
    what_happened = EncryptedTextField(_("what happened"), blank=True, max_length=2000)
    learned = EncryptedTextField(_("what I learned"), blank=True, max_length=2000)
    reflected_at = models.DateTimeField(_("reflected at"), null=True, blank=True)
    # The owner linked the reflection to the evaluation of the trajectory ("what I would do differently"):
    # the evaluation page of that trajectory shows it.
    evaluation_linked_at = models.DateTimeField(_("linked to the evaluation at"), null=True, blank=True)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["until", "created_at"]

    def __str__(self):
        return str(self.uuid)


class CheckpointSet(ContentItem):
    """A set of review checkpoints (the method's quality criteria that the data can answer)."""

    # The installation's content (from files) has no organisation; an organisation's own versions (edits on
    # a page by its content editor, imports of a file there) are a separate item with the same key.
    key = models.SlugField(_("key"), max_length=60)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    current = models.ForeignKey(
        "CheckpointSetVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("review checkpoint set")
        verbose_name_plural = _("review checkpoint sets")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(organisation=None), name="checkpointset_unique_key"
            ),
            models.UniqueConstraint(
                fields=["organisation", "key"],
                condition=models.Q(organisation__isnull=False),
                name="checkpointset_unique_org_key",
            ),
        ]


class CheckpointSetVersion(ContentVersion):
    item_field = "checkpoint_set"

    checkpoint_set = models.ForeignKey(CheckpointSet, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("review checkpoint set version")
        verbose_name_plural = _("review checkpoint set versions")
        ordering = ["checkpoint_set", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint_set", "version"], name="checkpointsetversion_unique"),
        ]


class PresentationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, only you see it")
    SHARED = "shared", _("Shared with the group")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CasePresentation(VersionedModel):
    """A case owner's presentation of one of their own trajectories to a group, pseudonymised.

    Made only while the client's intervision consent is active, and tied to that grant (``consent``): once
    it is withdrawn the group no longer sees the presentation, also when the client gives consent again
    later. ``snapshot`` is what the owner confirmed (JSON, encrypted): members read only that, never the
    dossier. ``extra_terms`` are words the owner asked to hide besides those the record knows."""

    group = models.ForeignKey(
        IntervisionGroup, on_delete=models.PROTECT, related_name="presentations", verbose_name=_("group")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("case owner")
    )
    # CASCADE: a trajectory is only deleted with its client (erasure); the presentation goes with it.
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="+", verbose_name=_("trajectory")
    )
    consent = models.ForeignKey(
        "clients.Consent", on_delete=models.CASCADE, related_name="+", verbose_name=_("consent")
    )
    title = EncryptedTextField(_("title"), max_length=200)
    parts = models.JSONField(_("parts"), default=list, blank=True)
    sector = models.CharField(_("sector of the employer"), max_length=2, blank=True)
    extra_terms = EncryptedTextField(_("other words to hide"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=PresentationStatus.choices, default=PresentationStatus.DRAFT
    )
    snapshot = EncryptedTextField(_("what the group sees"), blank=True, max_length=500_000)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case presentation")
        verbose_name_plural = _("case presentations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["group", "status"], name="presentation_group_status")]

    def __str__(self):
        return str(self.uuid)

    @property
    def content(self) -> dict:
        try:
            value = json.loads(self.snapshot or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


class CaseReview(VersionedModel):
    """A review of one trajectory against the method's checkpoints: by the professional themselves, or by a
    peer through a case presentation (``presentation``). ``results`` (JSON, encrypted) holds per checkpoint
    what the data showed (outcome, finding, evidence) and the reviewer's verdict and words. Shared with a
    group (``group``), its members read it while the client's intervision consent is active."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="+", verbose_name=_("trajectory")
    )
    presentation = models.ForeignKey(
        CasePresentation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("case presentation"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    checkpoints = models.ForeignKey(
        CheckpointSetVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("checkpoints")
    )
    results = EncryptedTextField(_("results"), max_length=500_000)
    group = models.ForeignKey(
        IntervisionGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("shared with group"),
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case review")
        verbose_name_plural = _("case reviews")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.uuid)

    @property
    def result_list(self) -> list[dict]:
        try:
            value = json.loads(self.results or "[]")
        except ValueError:
            return []
        return value if isinstance(value, list) else []
