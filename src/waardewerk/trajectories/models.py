"""Trajectories and the methodical cycle."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waardewerk.core.fields import EncryptedCharField, EncryptedTextField
from waardewerk.core.formats import day
from waardewerk.core.models import PublicModel, VersionedModel


class Phase(models.TextChoices):
    """The methodical cycle: a plan-do-check-act loop (DOMAIN.md)."""

    INTAKE = "intake", pgettext_lazy("phase", "Intake")
    PLAN = "plan", pgettext_lazy("phase", "Plan")
    EXECUTION = "execution", pgettext_lazy("phase", "Execution")
    MONITORING = "monitoring", pgettext_lazy("phase", "Monitoring")
    ADJUSTING = "adjusting", pgettext_lazy("phase", "Adjusting")
    EVALUATION = "evaluation", pgettext_lazy("phase", "Evaluation")


PHASE_DESCRIPTIONS = {
    Phase.INTAKE: _("Get to know the client: values, strengths, what helps and what hinders."),
    Phase.PLAN: _("Goals in the client's own words, actions and the grounds for each choice."),
    Phase.EXECUTION: _("Carry out the agreed actions and interventions."),
    Phase.MONITORING: _("Follow progress: actions, re-measurements, short notes."),
    Phase.ADJUSTING: _("Change course where progress asks for it, with the reason."),
    Phase.EVALUATION: _("Outcome, the change on every instrument, the client's and your own reflection."),
}


class Context(models.TextChoices):
    FIRST_TRACK = "first_track", _("1st track (own employer)")
    SECOND_TRACK = "second_track", _("2nd track (other employer)")
    PARTICIPATION_ACT = "participation_act", _("Participation Act")
    UNEMPLOYMENT = "ww", _("Unemployment benefit (WW)")
    DISABILITY = "wia_wga", _("Disability benefit (WIA/WGA)")
    OTHER = "other", _("Other")


class EndReason(models.TextChoices):
    PAID_WORK = "paid_work", _("Paid work found")
    WORK_OWN_EMPLOYER = "work_own_employer", _("Back at work with own employer")
    EDUCATION = "education", _("Started education or training")
    OTHER_SUPPORT = "referred", _("Referred to other support")
    NO_LONGER_ELIGIBLE = "not_eligible", _("No longer eligible")
    MOVED = "moved", _("Moved away")
    CLIENT_STOPPED = "client_stopped", _("Client stopped")
    HEALTH = "health", _("Not feasible at this moment")
    OTHER = "other", _("Other")


class Trajectory(VersionedModel):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("client")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("team"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="responsible_trajectories",
        verbose_name=_("responsible professional"),
    )
    context = models.CharField(_("context"), max_length=30, choices=Context.choices)
    start_date = models.DateField(_("start date"))
    # The free-text notes are encrypted at rest (docs/security.md, "Encryption at rest").
    question = EncryptedTextField(
        _("question or assignment"),
        max_length=5000,
        help_text=_("The client's question for help (hulpvraag) or the assignment (opdracht)."),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.INTAKE)
    phase_since = models.DateTimeField(_("in this phase since"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=30, choices=EndReason.choices, blank=True)
    end_note = EncryptedTextField(_("closing note"), blank=True, max_length=2000)
    measurement_due_on = models.DateField(
        _("next measurement due"),
        null=True,
        blank=True,
        help_text=_("The earliest date a scheduled measurement is due (kept by the instruments app)."),
    )

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["responsible", "end_date", "phase"], name="traj_caseload_idx"),
            models.Index(fields=["team", "end_date", "phase"], name="traj_team_idx"),
            models.Index(fields=["client", "end_date"], name="traj_client_idx"),
        ]
        constraints = [
            # At most one open trajectory per client: the dossier shows "the open trajectory".
            models.UniqueConstraint(
                fields=["client"], condition=Q(end_date__isnull=True), name="traj_one_open_per_client"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | ~Q(end_reason=""), name="traj_closed_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.client} ({self.get_context_display()}, {day(self.start_date)})"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class PhaseChange(PublicModel):
    """One move in the cycle; the first row of a trajectory records its start."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(_("from phase"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("to phase"), max_length=20, choices=Phase.choices)
    reason = EncryptedCharField(_("reason"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["trajectory", "changed_at"], name="phasechange_traj_idx")]

    def __str__(self):
        return _("Phase change to %(phase)s on %(date)s") % {
            "phase": self.get_to_phase_display(),
            "date": day(timezone.localtime(self.changed_at).date()),
        }


class ConversationMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    HOME_VISIT = "home_visit", _("Home visit")
    AT_WORK = "at_work", _("At the workplace")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")


class Participant(models.TextChoices):
    CLIENT = "client", _("Client")
    PROFESSIONAL = "professional", _("Professional")
    EMPLOYER = "employer", _("Employer contact")
    OTHER = "other", _("Others")


class Conversation(PublicModel):
    """A contact moment (gesprek) with the client: who took part, which guide topics were covered, which
    guiding principles it served, notes.
    Agreements made in it become actions (``Action.conversation``)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="conversations")
    date = models.DateField(_("date"))
    mode = models.CharField(_("form"), max_length=20, choices=ConversationMode.choices)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    participants = models.JSONField(_("participants"), default=list, blank=True)
    other_participants = models.CharField(_("other participants"), max_length=200, blank=True)
    topics = models.JSONField(_("guide topics covered"), default=list, blank=True)
    guide_version = models.ForeignKey(
        "knowledge.GuideVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conversation guide version"),
    )
    # The keys of the guiding principles the conversation served, from ``principles_version``.
    principles = models.JSONField(_("guiding principles served"), default=list, blank=True)
    principles_version = models.ForeignKey(
        "knowledge.PrincipleSetVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guiding principles version"),
    )
    summary = EncryptedTextField(_("notes"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["trajectory", "date"], name="conversation_traj_idx")]

    def __str__(self):
        return _("Conversation of %(date)s") % {"date": day(self.date)}


class ActionOwner(models.TextChoices):
    CLIENT = "client", _("Client")
    PROFESSIONAL = "professional", _("Professional")
    EMPLOYER = "employer", _("Employer")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(PublicModel):
    """An agreed action (actie / afspraak) with an owner and a due date."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("description"), max_length=300)
    owner = models.CharField(_("who"), max_length=20, choices=ActionOwner.choices)
    agreed_on = models.DateField(_("agreed on"), default=timezone.localdate)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by_client = models.BooleanField(_("marked done by the client"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("agreed in conversation"),
    )
    goal_key = models.CharField(_("goal"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["trajectory", "status", "due_date"], name="action_traj_status_idx")]

    def __str__(self):
        return self.description


class AssignmentKind(models.TextChoices):
    CO_PROFESSIONAL = "co_professional", _("Co-professional")
    SUBSTITUTE = "substitute", _("Substitute")


class TrajectoryAssignment(PublicModel):
    """A colleague working on a trajectory beside or instead of the responsible professional, for a period."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="trajectory_assignments",
        verbose_name=_("colleague"),
    )
    kind = models.CharField(_("as"), max_length=20, choices=AssignmentKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["user", "starts_on", "ends_on"], name="assignment_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
            )
        ]

    def is_active_on(self, day) -> bool:
        return (
            self.revoked_at is None
            and self.starts_on <= day
            and (self.ends_on is None or self.ends_on >= day)
        )

    def __str__(self):
        return _("%(kind)s from %(date)s") % {"kind": self.get_kind_display(), "date": day(self.starts_on)}


class Handover(PublicModel):
    """The responsible professional changed: who handed over to whom, and why."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    reason = EncryptedCharField(_("reason"), max_length=500)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    handed_over_at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["handed_over_at", "id"]

    def __str__(self):
        return _("Handover of %(date)s") % {"date": day(timezone.localtime(self.handed_over_at).date())}


class EmergencyAccess(PublicModel):
    """Emergency access ("break the glass"): a team lead reads a dossier of their team for a few hours,
    with a stated reason, without being assigned. Read only; shown to the responsible professional and to
    the client, and every read during it is flagged in the access log (docs/authorization.md)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        verbose_name=_("who"),
    )
    reason = EncryptedCharField(_("reason"), max_length=500)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["user", "ends_at"], name="emergency_user_idx"),
            models.Index(fields=["trajectory", "starts_at"], name="emergency_trajectory_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="emergency_access_ends_after_start"
            )
        ]

    def is_active_at(self, moment) -> bool:
        return self.starts_at <= moment < self.ends_at

    def __str__(self):
        return _("Emergency access from %(date)s") % {"date": day(timezone.localtime(self.starts_at).date())}


# The plan, monitoring, adjusting and evaluation -------------------------------------------------------------


class Recognition(models.TextChoices):
    """The levels of the Dutch recognition system for interventions (Movisie, NJi and partners): a
    knowledge-base entry's recognition (``knowledge.models.KnowledgeEntry``), copied into a plan choice that
    picks the entry. "Not assessed" means no recognition is recorded for the entry."""

    NOT_ASSESSED = "not_assessed", _("Not assessed")
    WELL_DESCRIBED = "well_described", _("Well described")
    WELL_FOUNDED = "well_founded", _("Well founded")
    FIRST_INDICATIONS = "first_indications", _("Effective: first indications")
    GOOD_INDICATIONS = "good_indications", _("Effective: good indications")
    STRONG_INDICATIONS = "strong_indications", _("Effective: strong indications")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


class EvidenceLevel(models.TextChoices):
    """The Dutch recognition system for interventions (Movisie / NJi), and 'none' when no reference. A
    choice made before the knowledge base may carry one; a choice of an entry takes the entry's recognition
    (``knowledge.models.Recognition``), and a free choice names a reference instead."""

    NONE = "", _("No reference yet")
    WELL_DESCRIBED = "well_described", _("Well described")
    WELL_FOUNDED = "well_founded", _("Well founded (theory)")
    FIRST_INDICATIONS = "first_indications", _("Effective: first indications")
    GOOD_INDICATIONS = "good_indications", _("Effective: good indications")
    STRONG_INDICATIONS = "strong_indications", _("Effective: strong indications")


class PlanVersion(PublicModel):
    """One version of a trajectory's plan. The plan is never edited in place: each change is a new version
    with its reason, so its history can be read back. ``content`` (encrypted JSON) holds the goals, in the
    client's own words with the work values and determinants they serve, and the choices
    (interventions) with their grounds on the three knowledge sources."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField(_("version"))
    content = EncryptedTextField(_("content"), max_length=500_000)  # JSON: at most 50 goals and 50 choices
    reason = EncryptedTextField(_("reason for the change"), blank=True, max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["trajectory", "number"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "number"], name="planversion_unique_number"),
        ]

    def __str__(self):
        return _("Plan, version %(number)s") % {"number": self.number}


class AgreementMethod(models.TextChoices):
    CONVERSATION = "conversation", _("Agreed in a conversation")
    SIGNED = "signed", _("Signed on paper")
    EMAIL = "email", _("By e-mail")
    PORTAL = "portal", _("In the client portal")
    OTHER = "other", _("Otherwise")


class PlanAgreement(PublicModel):
    """The client's agreement with a version of the plan."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="agreements")
    agreed_on = models.DateField(_("agreed on"))
    method = models.CharField(_("how"), max_length=20, choices=AgreementMethod.choices)
    note = EncryptedTextField(_("note"), blank=True, max_length=500)
    # Empty when the client agreed in the portal themselves (method "portal").
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("plan agreement")
        verbose_name_plural = _("plan agreements")
        ordering = ["agreed_on", "id"]

    @property
    def by_client(self) -> bool:
        """The client agreed in the portal themselves."""
        return self.recorded_by_id is None and self.method == AgreementMethod.PORTAL

    def __str__(self):
        return _("Agreement of %(date)s (%(method)s)") % {
            "date": day(self.agreed_on),
            "method": self.get_method_display(),
        }


class ProgressNote(PublicModel):
    """A short monitoring note between conversations."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="progress_notes")
    date = models.DateField(_("date"))
    text = EncryptedTextField(_("note"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["trajectory", "date"], name="progressnote_traj_idx")]

    def __str__(self):
        return _("Progress note of %(date)s") % {"date": day(self.date)}


class Prompt(models.TextChoices):
    MEASUREMENT = "measurement", _("A measurement")
    CONVERSATION = "conversation", _("A conversation")
    EVENT = "event", _("An event")
    OTHER = "other", _("Something else")


class Adjustment(PublicModel):
    """A change of course (bijsturing), with its reason and what prompted it."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="adjustments")
    date = models.DateField(_("date"))
    prompted_by = models.CharField(_("prompted by"), max_length=20, choices=Prompt.choices)
    measurement = models.ForeignKey(
        "instruments.Measurement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measurement"),
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conversation"),
    )
    event = EncryptedTextField(_("what happened"), blank=True, max_length=2000)
    reason = EncryptedTextField(_("reason"), max_length=2000)
    change = EncryptedTextField(_("the change of course"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["trajectory", "date"], name="adjustment_traj_idx")]

    def __str__(self):
        return _("Change of course of %(date)s") % {"date": day(self.date)}


class ContractType(models.TextChoices):
    NONE = "", _("Not applicable")
    PERMANENT = "permanent", _("Permanent contract")
    TEMPORARY = "temporary", _("Temporary contract")
    ON_CALL = "on_call", _("On-call or zero hours")
    AGENCY = "agency", _("Temporary agency work")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    SHELTERED = "sheltered", _("Sheltered work")
    OTHER = "other", _("Other")


class Evaluation(VersionedModel):
    """The evaluation of a trajectory: the outcome, the client's own evaluation, and the professional's
    reflection (what worked, what would I do differently, which chances did I leave)."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="evaluation")
    work = models.BooleanField(_("work found or kept"), null=True, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    job_title = models.CharField(_("function"), max_length=200, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    contract_type = models.CharField(
        _("contract"), max_length=20, choices=ContractType.choices, blank=True, default=""
    )
    with_support = models.BooleanField(_("with support"), null=True, blank=True)
    support = models.CharField(_("which support"), max_length=300, blank=True)
    # The level on the outcome instrument (the instrument whose definition has ``roles.outcome: level``, such
    # as a participation ladder); the service checks it against that instrument's scale.
    ladder_rung = models.PositiveSmallIntegerField(_("outcome level"), null=True, blank=True)
    client_evaluation = EncryptedTextField(_("the client's own evaluation"), blank=True, max_length=5000)
    what_worked = EncryptedTextField(_("what worked"), blank=True, max_length=5000)
    do_differently = EncryptedTextField(_("what I would do differently"), blank=True, max_length=5000)
    missed_chances = EncryptedTextField(
        _("chances I left (missed opportunities)"), blank=True, max_length=5000
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__lte=80),
                name="evaluation_hours_range",
            ),
        ]

    def __str__(self):
        return str(_("Evaluation"))


class PreferenceCorrection(PublicModel):
    """The client corrects, in the portal, their preference as the agreed plan records it for a choice. The
    plan itself is not changed: the professional sees the correction on the plan page and in the timeline
    and takes it into a new version of the plan."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="preference_corrections"
    )
    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="preference_corrections"
    )
    choice_key = models.CharField(_("choice"), max_length=40)
    previous_text = EncryptedTextField(
        _("the preference as the plan recorded it"), blank=True, max_length=1000
    )
    text = EncryptedTextField(_("the client's words"), max_length=1000)

    class Meta:
        verbose_name = _("preference correction")
        verbose_name_plural = _("preference corrections")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["trajectory", "created_at"], name="prefcorrection_traj_idx")]

    def __str__(self):
        return f"{self.choice_key} ({day(timezone.localtime(self.created_at).date())})"
