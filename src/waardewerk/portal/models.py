"""The client portal: portal accounts, invitations with a one-time code, questionnaire requests and the
client's goal proposals. Consent lives with the client (``clients.Consent``).

Nothing secret is stored in the clear: an invitation keeps the SHA-256 digest of its link token (the token
itself is only in the message to the client) and an HMAC of its one-time code; the destination (e-mail
address or phone number) is encrypted at rest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedCharField, EncryptedTextField
from waardewerk.core.formats import day
from waardewerk.core.models import PublicModel


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


class PortalAccount(models.Model):
    """A client's access to the portal: when it was first used, the last log-in, and whether the
    professional ended it. ``session_epoch`` is part of every portal session: raising it ends them all."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="portal_account", verbose_name=_("client")
    )
    activated_at = models.DateTimeField(_("first log-in"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("last log-in"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("access ended at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("access ended by"),
    )
    session_epoch = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")

    def __str__(self):
        return str(self.client)

    @property
    def is_active(self) -> bool:
        return self.activated_at is not None and self.revoked_at is None


class PortalInvitation(PublicModel):
    """A one-time log-in link for a client. Opening it (a POST, so a mail scanner that fetches the link does
    not use it up) sends a one-time code to the same destination; the code completes the log-in."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="portal_invitations",
        verbose_name=_("client"),
    )
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    channel = models.CharField(_("sent by"), max_length=10, choices=Channel.choices)
    destination = EncryptedCharField(_("sent to"), max_length=254)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    expires_at = models.DateTimeField(_("link expires at"))
    used_at = models.DateTimeField(_("link used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    code_digest = models.CharField(_("code digest"), max_length=64, blank=True)
    code_expires_at = models.DateTimeField(_("code expires at"), null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    completed_at = models.DateTimeField(_("logged in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["client", "created_at"], name="portalinvite_client_idx")]

    def __str__(self):
        return f"{self.client} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def status(self) -> str:
        """open (link not used yet), code (waiting for the code), done, revoked, expired, spent."""
        now = timezone.now()
        if self.completed_at:
            return "done"
        if self.revoked_at:
            return "revoked"
        if self.used_at is None:
            return "open" if self.expires_at > now else "expired"
        if self.code_expires_at and self.code_expires_at > now and self.code_digest:
            return "code"
        return "spent"


class QuestionnaireRequest(PublicModel):
    """The professional asks the client to fill in a questionnaire in the portal. The client's answers are
    a measurement of their own (``entered_by_client``), saved as a draft until they finish it."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="questionnaire_requests"
    )
    instrument = models.ForeignKey(
        "instruments.Instrument", on_delete=models.PROTECT, related_name="+", verbose_name=_("questionnaire")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    measurement = models.OneToOneField(
        "instruments.Measurement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_request",
        verbose_name=_("answers"),
    )
    completed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire request")
        verbose_name_plural = _("questionnaire requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "instrument"],
                condition=Q(completed_at__isnull=True, cancelled_at__isnull=True),
                name="questionnairerequest_one_open",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.cancelled_at is None

    def __str__(self):
        return _("Questionnaire request of %(date)s") % {
            "date": day(timezone.localtime(self.created_at).date())
        }


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Waiting for your professional")
    ACCEPTED = "accepted", _("Taken into the plan")
    DECLINED = "declined", _("Not taken into the plan")


class GoalProposal(PublicModel):
    """A goal the client proposes in the portal, or new words for an existing goal (``goal_key``). The
    professional takes it into a new plan version or declines it with a short reason."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="goal_proposals"
    )
    goal_key = models.CharField(_("goal"), max_length=40, blank=True, help_text=_("Empty for a new goal."))
    original_text = EncryptedTextField(_("the goal's words before"), blank=True, max_length=1000)
    text = EncryptedTextField(_("the client's words"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = EncryptedTextField(_("reason"), blank=True, max_length=500)
    plan_version = models.ForeignKey(
        "trajectories.PlanVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("plan version"),
    )

    class Meta:
        verbose_name = _("goal proposal")
        verbose_name_plural = _("goal proposals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["trajectory", "status"], name="goalproposal_traj_idx")]

    @property
    def is_new_goal(self) -> bool:
        return not self.goal_key

    def __str__(self):
        return _("Goal proposal of %(date)s (%(status)s)") % {
            "date": day(timezone.localtime(self.created_at).date()),
            "status": self.get_status_display(),
        }


class Satisfaction(models.IntegerChoices):
    """How satisfied the client is with the trajectory as a whole, in their own evaluation."""

    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


class ClientEvaluation(PublicModel):
    """The client's own evaluation of their trajectory, written in the portal in the evaluation phase (every
    part optional, at least one given). The client changes it until the trajectory is closed; the
    professional reads it beside their own evaluation (docs/portal.md)."""

    trajectory = models.OneToOneField(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="client_own_evaluation"
    )
    went_well = EncryptedTextField(_("what went well"), blank=True, max_length=2000)
    was_hard = EncryptedTextField(_("what was hard"), blank=True, max_length=2000)
    advice = EncryptedTextField(_("what I would tell someone who starts"), blank=True, max_length=2000)
    satisfaction = models.PositiveSmallIntegerField(
        _("how satisfied"), choices=Satisfaction.choices, null=True, blank=True
    )
    changes = models.PositiveSmallIntegerField(_("times changed"), default=0)

    class Meta:
        verbose_name = _("the client's own evaluation")
        verbose_name_plural = _("the clients' own evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="clientevaluation_satisfaction_range",
            ),
        ]

    def __str__(self):
        return f"{self.trajectory_id}"
