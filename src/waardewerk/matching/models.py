"""Employers, jobs, their value profiles and the professional's proposals of a job to a client
(docs/matching.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.fields import EncryptedTextField
from waardewerk.core.models import PublicModel, VersionedModel
from waardewerk.matching.validators import validate_kvk

NAME_MAX = 200
NOTES_MAX = 5000
REASON_MAX = 1000


class CompanySize(models.TextChoices):
    MICRO = "micro", _("fewer than 10 employees")
    SMALL = "small", _("10 to 49 employees")
    MEDIUM = "medium", _("50 to 249 employees")
    LARGE = "large", _("250 employees or more")


class Employer(VersionedModel):
    """An employer the organisation's employer services work with. Not client data: every case worker of the
    organisation sees it. ``profile`` is the employer's value profile: per work value of the instrument with
    ``roles.matching: work_values``, how far work here enables it (1-5); a job's own score comes first."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    kvk_number = models.CharField(_("KvK number"), max_length=8, validators=[validate_kvk])
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=CompanySize.choices, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    notes = models.TextField(_("notes of the employer services"), max_length=NOTES_MAX, blank=True)
    profile = models.JSONField(_("value profile"), default=dict, blank=True)
    profile_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    profile_on = models.DateField(_("value profile filled in on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kvk_number"], name="employer_kvk_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="employer_org_name_idx")]

    def __str__(self):
        return self.name


class ContactPerson(PublicModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    function = models.CharField(_("function"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Contract(models.TextChoices):
    PERMANENT = "permanent", _("permanent contract")
    TEMPORARY = "temporary", _("temporary contract")
    ON_CALL = "on_call", _("on-call contract")
    TRIAL = "trial", _("work trial")
    TRAINEESHIP = "traineeship", _("work-based learning")


class Job(VersionedModel):
    """A vacancy or function at an employer. ``occupation`` is a group code of the shipped occupation
    classification (``matching.occupations``). ``profile``: per work value how far this job enables it
    (1-5); a value the job leaves out takes the employer's score."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="jobs")
    title = models.CharField(_("job title"), max_length=NAME_MAX)
    occupation = models.CharField(_("occupation"), max_length=4)
    hours = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    contract = models.CharField(_("contract"), max_length=20, choices=Contract.choices, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    requirements = models.TextField(_("requirements"), max_length=NOTES_MAX, blank=True)
    # Optional functional demands in words, per section of ``matching.functional`` (the FML's six sections).
    functional_demands = models.JSONField(_("functional demands"), default=dict, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    profile = models.JSONField(_("value profile"), default=dict, blank=True)
    profile_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    profile_on = models.DateField(_("value profile filled in on"), null=True, blank=True)
    # Filled in by the employer through its one-time link: the name the employer gave (no account).
    profile_by_employer = models.CharField(
        _("value profile filled in by (employer)"), max_length=NAME_MAX, blank=True
    )
    # The scores the fit reads, per work value: the job's own, else its employer's (``fit.merged_profile``).
    # Derived, kept by every service that changes the job's or its employer's profile, so the fit list ranks
    # the open jobs in the database (docs/matching.md).
    fit_profile = models.JSONField(_("value profile for the fit"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["employer", "is_open"], name="job_employer_open_idx")]

    def __str__(self):
        return self.title


class Decision(models.TextChoices):
    PROPOSE = "propose", _("propose to the client")
    NOT_NOW = "not_now", _("not now")
    REJECTED = "rejected", _("not suitable")


class ClientResponse(models.TextChoices):
    INTERESTED = "interested", _("interested")
    NOT_INTERESTED = "not_interested", _("not interested")


class Proposal(VersionedModel):
    """The professional's decision on one job for one trajectory, with the reason and the fit as it was
    when decided (``fit``: per work value the status, never the client's answers); when the decision is to
    propose, the client's response in the portal; and when the profile went to the employer (only with
    the client's consent for that employer)."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="job_proposals"
    )
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="proposals")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = EncryptedTextField(_("reason"), max_length=REASON_MAX)
    fit = models.JSONField(_("fit when decided"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))
    response = models.CharField(
        _("client's response"), max_length=20, choices=ClientResponse.choices, blank=True
    )
    response_note = EncryptedTextField(_("client's comment"), max_length=REASON_MAX, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    shared_at = models.DateTimeField(_("shared with the employer at"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The employer's answer about the shared candidate profile, through its one-time link.
    employer_response = models.CharField(
        _("employer's response"), max_length=20, choices=ClientResponse.choices, blank=True
    )
    employer_note = EncryptedTextField(_("employer's comment"), max_length=REASON_MAX, blank=True)
    employer_responded_at = models.DateTimeField(_("employer responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job proposal")
        verbose_name_plural = _("job proposals")
        ordering = ["-decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "job"], name="proposal_one_per_job"),
            models.CheckConstraint(
                condition=models.Q(response="") | models.Q(decision="propose"),
                name="proposal_response_only_when_proposed",
            ),
        ]
        indexes = [models.Index(fields=["job", "decision"], name="proposal_job_decision_idx")]

    def __str__(self):
        return f"{self.job} ({self.decision})"


FOLLOW_UP_MONTHS = (1, 3, 6, 12)
SUPPORT_MAX = 200
NOTE_MAX = 1000


class Placement(VersionedModel):
    """A client started work in a job: when, on what contract, how many hours, with what support and which
    agreements (wage-cost subsidy, no-risk policy). Follow-ups at 1, 3, 6 and 12 months are made with it."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="placements"
    )
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="placements")
    start_date = models.DateField(_("start date"))
    contract = models.CharField(_("contract"), max_length=20, choices=Contract.choices, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    support = models.CharField(_("support"), max_length=SUPPORT_MAX, blank=True)
    wage_subsidy = models.BooleanField(_("wage-cost subsidy"), default=False)
    no_risk_policy = models.BooleanField(_("no-risk policy"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["trajectory", "start_date"], name="placement_traj_start_idx")]

    def __str__(self):
        return f"{self.job} ({self.start_date})"


class FollowUp(PublicModel):
    """A follow-up moment of a placement (1, 3, 6 or 12 months after the start): still working, the hours,
    the client's and the employer's satisfaction (1-5), a note."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    month = models.PositiveSmallIntegerField(_("month"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    still_working = models.BooleanField(_("still working"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    client_satisfaction = models.PositiveSmallIntegerField(_("client's satisfaction"), null=True, blank=True)
    employer_satisfaction = models.PositiveSmallIntegerField(
        _("employer's satisfaction"), null=True, blank=True
    )
    note = EncryptedTextField(_("note"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["placement", "month"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="followup_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(done_on__isnull=True) | models.Q(still_working__isnull=False),
                name="followup_done_says_still_working",
            ),
        ]
        indexes = [models.Index(fields=["due_on", "done_on"], name="followup_due_idx")]

    def __str__(self):
        return f"{self.placement} +{self.month}"


LINK_DAYS = 14


class LinkPurpose(models.TextChoices):
    PROFILE = "profile", _("fill in the job's value profile")
    CANDIDATE = "candidate", _("see a candidate profile and answer")


class EmployerLink(PublicModel):
    """A one-time link for an employer, without an account: for one job, to fill in its value profile
    (``profile``), or to see a candidate profile shared with the employer and answer (``candidate``, with its
    proposal). Only the SHA-256 digest of the token is stored (``core.tokens``); the link expires and works
    once: the employer's answer uses it up. Every view and answer is in the access log, with the link as the
    actor."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="links")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="employer_links"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=LinkPurpose.choices)
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    expires_at = models.DateTimeField(_("link expires at"))
    used_at = models.DateTimeField(_("link used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("employer's link")
        verbose_name_plural = _("employer's links")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["job", "created_at"], name="employerlink_job_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose="profile", proposal__isnull=True)
                | models.Q(purpose="candidate", proposal__isnull=False),
                name="employerlink_proposal_for_candidate",
            )
        ]

    def __str__(self):
        return f"{self.job} ({self.purpose})"

    @property
    def status(self) -> str:
        """open, used, revoked or expired."""
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        return "open" if self.expires_at > timezone.now() else "expired"


EMPLOYER_NOTE_MAX = 2000


class EmployerNote(PublicModel):
    """A note of the employer services (werkgeversdienstverlening) about an employer: what was discussed, with
    whom at the employer (a contact person, optional) and when; written by a case worker. About the employer,
    never about clients."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="service_notes")
    on = models.DateField(_("date"))
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("with"),
    )
    text = models.TextField(_("note"), max_length=EMPLOYER_NOTE_MAX)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("note of the employer services")
        verbose_name_plural = _("notes of the employer services")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["employer", "on"], name="employernote_employer_idx")]

    def __str__(self):
        return f"{self.employer} {self.on}"


class Track(models.TextChoices):
    FIRST = "first", _("1st track: back to work with the own employer")
    SECOND = "second", _("2nd track: work with another employer")


class TrajectoryEmployer(PublicModel):
    """The employer a trajectory works towards, and on which track: the 1st track (spoor 1, the client's own
    employer) or the 2nd track (spoor 2, another employer). Optional, one per trajectory; kept in matching
    because trajectories know nothing of employers."""

    trajectory = models.OneToOneField(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="employer_track"
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="trajectories")
    track = models.CharField(_("track"), max_length=10, choices=Track.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("employer of a trajectory")
        verbose_name_plural = _("employers of trajectories")
        indexes = [models.Index(fields=["employer", "track"], name="trajemployer_employer_idx")]

    def __str__(self):
        return f"{self.trajectory} {self.employer} ({self.track})"


# The candidate's own part of the candidate profile (docs/matching.md, "Availability and strengths") -------

AVAILABILITY_NOTE_MAX = 1000
STRENGTHS_MAX = 2000
TRAVEL_KM_MAX = 200
AVAILABLE_FROM_YEARS = 2  # how far ahead "available from" may lie


def latest_available_from(today=None):
    """The latest "available from" date: ``AVAILABLE_FROM_YEARS`` from today."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + AVAILABLE_FROM_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + AVAILABLE_FROM_YEARS, day=28)


class Weekday(models.TextChoices):
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")
    SATURDAY = "sat", _("Saturday")
    SUNDAY = "sun", _("Sunday")


class DayPart(models.TextChoices):
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")


class TravelMeans(models.TextChoices):
    ON_FOOT = "on_foot", _("on foot")
    BICYCLE = "bicycle", _("bicycle")
    SCOOTER = "scooter", _("scooter or moped")
    PUBLIC_TRANSPORT = "public_transport", _("bus or train")
    CAR = "car", _("car")


class Writer(models.TextChoices):
    CLIENT = "client", _("the client")
    PROFESSIONAL = "professional", _("the professional, with the client")


class CandidateProfile(VersionedModel):
    """The client's availability and strengths in their own words: the part of the candidate profile that
    only the client can give. One per client (it is about the person, not about one trajectory); written
    by the client in the portal or by the professional with the client. ``days``, ``day_parts`` and
    ``travel_means`` hold choice values (``Weekday``, ``DayPart``, ``TravelMeans``) in their order. Shown to
    an employer only as part of the candidate profile, under its consent rules. Never health data: the
    forms say so beside the free texts."""

    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="candidate_profile"
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    days = models.JSONField(_("days"), default=list, blank=True)
    day_parts = models.JSONField(_("parts of the day"), default=list, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    travel_km = models.PositiveSmallIntegerField(_("travel distance (km)"), null=True, blank=True)
    travel_means = models.JSONField(_("travels by"), default=list, blank=True)
    availability_note = EncryptedTextField(
        _("about availability"), max_length=AVAILABILITY_NOTE_MAX, blank=True
    )
    strengths = EncryptedTextField(
        _("strengths in the client's own words"), max_length=STRENGTHS_MAX, blank=True
    )
    written_by = models.CharField(_("written by"), max_length=20, choices=Writer.choices)
    written_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("availability and strengths")
        verbose_name_plural = _("availability and strengths")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__isnull=True)
                | models.Q(hours_per_week__gte=1, hours_per_week__lte=60),
                name="candidate_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(travel_km__isnull=True)
                | models.Q(travel_km__gte=0, travel_km__lte=TRAVEL_KM_MAX),
                name="candidate_travel_km_range",
            ),
        ]

    def __str__(self):
        return str(_("availability and strengths"))

    def labels(self, values, choices) -> list[str]:
        names = dict(choices)
        return [str(names[value]) for value in values if value in names]

    @property
    def day_labels(self) -> list[str]:
        return self.labels(self.days, Weekday.choices)

    @property
    def day_part_labels(self) -> list[str]:
        return self.labels(self.day_parts, DayPart.choices)

    @property
    def travel_means_labels(self) -> list[str]:
        return self.labels(self.travel_means, TravelMeans.choices)
