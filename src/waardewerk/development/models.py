"""The professional's own development: a private log of activities (with evidence and a reflection),
learning goals with their progress, and mentor relations for coaching newcomers.

Everything here belongs to one professional and is private by default: an activity or a goal is seen by
its owner only, unless the owner shares it with their mentor or their team lead (``shared_with_mentor``,
``shared_with_lead``). What the mentor and the mentee write in a mentor relation is visible to both. The
rules live in ``policies.py``; docs/development.md explains them, and the registers an activity counts for.
Free text (reflections, goals, progress, meeting notes) and evidence files are encrypted at rest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedCharField, EncryptedTextField
from waardewerk.core.models import PublicModel, VersionedModel

# Evidence: at most 5 MB, stored as base64 text in an encrypted field (so the field keys and
# ``waardewerk rotate_keys`` cover it like every other encrypted value).
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_MAX_CHARS = (EVIDENCE_MAX_BYTES + 2) // 3 * 4
REFLECTION_MAX = 2000
TEXT_MAX = 2000


class Register(models.TextChoices):
    """The registers an activity can count for (docs/development.md, "Registers")."""

    REGISTERPLEIN = "registerplein", _("Registerplein (social professionals)")
    SKJ = "skj", _("SKJ (youth care)")
    NOLOC = "noloc", _("Noloc (career professionals, job coaches)")
    NVS = "nvs", _("NVS register (job coaches)")
    OTHER = "other", _("Other register")


class ActivityKind(models.TextChoices):
    COURSE = "course", _("Accredited course")
    INTERVISION = "intervision", _("Intervision")
    SUPERVISION = "supervision", _("Supervision")
    COACHING = "coaching", _("Coaching")
    CONSULTATION = "consultation", _("Collegial consultation")
    LITERATURE = "literature", _("Literature")
    OTHER = "other", _("Other")


class Activity(VersionedModel):
    """One activity in a professional's development log. An intervision session the professional attended
    is projected here (``source_session``) by ``services.intervision_sync``, once per session."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="development_activities",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    pe_id = models.CharField(_("PE id"), max_length=60, blank=True)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("net hours"), max_digits=5, decimal_places=2)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    # Reflection along SKJ's three dimensions (docs/development.md, "Reflection").
    reflection_technical = EncryptedTextField(
        _("technical-instrumental"), blank=True, max_length=REFLECTION_MAX
    )
    reflection_normative = EncryptedTextField(_("normative"), blank=True, max_length=REFLECTION_MAX)
    reflection_personal = EncryptedTextField(_("personal"), blank=True, max_length=REFLECTION_MAX)
    shared_with_mentor = models.BooleanField(_("shared with my mentor"), default=False)
    shared_with_lead = models.BooleanField(_("shared with my team lead"), default=False)
    source_session = models.ForeignKey(
        "intervision.IntervisionSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intervision session"),
    )
    # A projected session the professional did not attend: kept (so the projection does not add it
    # again) but counted nowhere.
    dismissed = models.BooleanField(_("not attended"), default=False)

    class Meta:
        verbose_name = _("development activity")
        verbose_name_plural = _("development activities")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["owner", "date"], name="devactivity_owner_date")]
        constraints = [
            models.UniqueConstraint(fields=["owner", "source_session"], name="devactivity_one_per_session"),
            models.CheckConstraint(condition=Q(hours__gte=0) & Q(hours__lte=999), name="devactivity_hours"),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=999), name="devactivity_points"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def has_reflection(self) -> bool:
        return bool(self.reflection_technical or self.reflection_normative or self.reflection_personal)


class ActivityRegister(models.Model):
    """A register an activity counts for (one row per register, so an export per register is a query on
    every database)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registers")
    register = models.CharField(_("register"), max_length=20, choices=Register.choices)

    class Meta:
        verbose_name = _("register of an activity")
        verbose_name_plural = _("registers of activities")
        constraints = [
            models.UniqueConstraint(fields=["activity", "register"], name="devactivityregister_unique")
        ]

    def __str__(self):
        return self.register


class Evidence(PublicModel):
    """The evidence of an activity (a certificate, a confirmation): a PDF or an image, encrypted at rest.
    Its type is checked by its first bytes, not by its name (``services.sniff_evidence``)."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="evidence")
    filename = EncryptedCharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    content = EncryptedTextField(_("content"), max_length=EVIDENCE_MAX_CHARS)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return str(self.uuid)


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    WORKING = "working", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class LearningGoal(VersionedModel):
    """A learning goal of a professional, linked to the reflections it came from: an activity in the log,
    an intervision experiment (its reflection), a trajectory evaluation (its "what I would do
    differently") and a case review (with the checkpoint that needed attention), each optional."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_goals",
        verbose_name=_("owner"),
    )
    title = EncryptedCharField(_("goal"), max_length=200)
    description = EncryptedTextField(_("what I want to learn and how"), blank=True, max_length=TEXT_MAX)
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    source_activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("from the reflection on"),
    )
    source_experiment = models.ForeignKey(
        "intervision.Experiment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the intervision experiment"),
    )
    source_evaluation = models.ForeignKey(
        "trajectories.Evaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the evaluation of"),
    )
    source_review = models.ForeignKey(
        "intervision.CaseReview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the case review"),
    )
    # The key of the review's checkpoint the goal works on (one that needed attention), or empty.
    source_checkpoint = models.CharField(_("checkpoint of the review"), max_length=60, blank=True)
    shared_with_mentor = models.BooleanField(_("shared with my mentor"), default=False)
    shared_with_lead = models.BooleanField(_("shared with my team lead"), default=False)

    class Meta:
        verbose_name = _("learning goal")
        verbose_name_plural = _("learning goals")
        ordering = ["status", "target_date", "created_at"]

    def __str__(self):
        return str(self.uuid)


class GoalProgress(PublicModel):
    """A step on a learning goal: what the professional did or noticed, on a date."""

    goal = models.ForeignKey(LearningGoal, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField(_("date"))
    note = EncryptedTextField(_("progress"), max_length=TEXT_MAX)

    class Meta:
        verbose_name = _("progress on a learning goal")
        verbose_name_plural = _("progress on learning goals")
        ordering = ["date", "created_at"]

    def __str__(self):
        return str(self.uuid)


class Mentorship(VersionedModel):
    """A mentor coaching a newcomer (the mentee) of the same organisation. The shared notes are visible to
    and written by both (``version`` detects concurrent edits); it ends when either ends it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("mentee")
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    notes = EncryptedTextField(_("shared notes"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("mentor relation")
        verbose_name_plural = _("mentor relations")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee"], condition=Q(ended_on=None), name="mentorship_one_open"
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="mentorship_not_self"),
        ]

    def __str__(self):
        return str(self.uuid)


class MentorMeeting(PublicModel):
    """A meeting of mentor and mentee: when, and what they discussed and agreed (visible to both)."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    summary = EncryptedTextField(_("what we discussed and agreed"), max_length=TEXT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )

    class Meta:
        verbose_name = _("mentor meeting")
        verbose_name_plural = _("mentor meetings")
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return str(self.uuid)
