"""Organisations, teams and users with their role."""

from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AbstractUser
from django.db import DEFAULT_DB_ALIAS, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.fields import EncryptedCharField
from waardewerk.core.models import PublicModel


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality (Work & Income)")
    REINTEGRATION_COMPANY = "reintegration_company", _("Re-integration company")
    OCCUPATIONAL_HEALTH = "occupational_health", _("Occupational health service")
    BENEFITS_AGENCY = "benefits_agency", _("Benefits agency (UWV)")
    OTHER = "other", _("Other")


class Organisation(PublicModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(PublicModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    """Roles of staff users. Policies decide per role; new roles extend this list and the policies."""

    PROFESSIONAL = "professional", _("Professional")
    TEAM_LEAD = "team_lead", _("Team lead")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")
    KNOWLEDGE_EDITOR = "knowledge_editor", _("Content editor")


class Profession(models.TextChoices):
    EMPLOYMENT_EXPERT = "arbeidsdeskundige", _("Employment expert (arbeidsdeskundige)")
    CLIENT_MANAGER = "klantmanager", _("Client manager (klantmanager)")
    JOB_COACH = "jobcoach", _("Job coach")
    OTHER = "other", _("Other")


class UserManager(auth_models.UserManager):
    """Django's user manager; ``User.objects.get(pk=...)`` reads the user with SQL compiled once per process.

    Every signed-in request loads its user that way (``ModelBackend.get_user``): building and compiling the
    same query of every column on each request cost more Python than the rest of loading the user
    (docs/performance.md). The user is made from the row as the queryset makes it (``Model.from_db``), so
    it is the same instance with the same values. Any other call, and a relation's manager (a team's
    members, an organisation's users: subclasses of this one that add their own filter), goes the ORM's way.
    """

    def get(self, *args, **kwargs):
        pk = kwargs.get("pk")
        if (
            type(self) is UserManager
            and self.model is User  # not a migration's historical model
            and not args
            and len(kwargs) == 1
            and type(pk) is int
            and self.db == DEFAULT_DB_ALIAS
        ):
            rows = _USER_ROW(pk=pk)
            if not rows:
                raise self.model.DoesNotExist(
                    f"{self.model._meta.object_name} matching query does not exist."
                )
            return self.model.from_db(DEFAULT_DB_ALIAS, _user_columns(), rows[0])
        return super().get(*args, **kwargs)


def _user_columns() -> list[str]:
    return [field.attname for field in User._meta.concrete_fields]


# The user's row, every column in the model's order (what ``User.objects.get(pk=...)`` reads).
_USER_ROW = CompiledQuery(
    lambda *, pk: User._base_manager.filter(pk=pk).order_by().values_list(*_user_columns()), rows="tuples"
)


class User(AbstractUser, PublicModel):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=40, choices=Role.choices, default=Role.PROFESSIONAL)
    profession = models.CharField(_("profession"), max_length=40, choices=Profession.choices, blank=True)
    teams = models.ManyToManyField(
        Team, through="TeamMembership", related_name="members", blank=True, verbose_name=_("teams")
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username


class TeamMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} - {self.team}"


class TOTPDevice(models.Model):
    """A user's authenticator app (RFC 6238). Unconfirmed until the user typed one correct code."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("user")
    )
    # Encrypted at rest (docs/security.md): read only to compute codes, never searched.
    secret = EncryptedCharField(_("secret"), max_length=64)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self):
        return f"{self.user}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """One recovery code for logging in without the authenticator app. Stored as an HMAC under the secret
    key with a salt of its own; shown once, usable once (``used_at``)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("user")
    )
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class TwoFactorEnrolment(PublicModel):
    """A one-time link from a functional administrator for setting up an authenticator app: when two-step
    verification is required, the first set-up needs it besides the password. Only the SHA-256 digest of
    the link's token is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="two_factor_enrolments", verbose_name=_("user")
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("set-up link for two-step verification")
        verbose_name_plural = _("set-up links for two-step verification")

    def __str__(self):
        return f"{self.user} {self.expires_at:%Y-%m-%d %H:%M}"


class LoginAttempt(models.Model):
    """One login attempt (password or second-factor code) for a user name, for the lockout."""

    username = models.CharField(_("user name"), max_length=150)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        indexes = [
            models.Index(fields=["username", "at"], name="loginattempt_username_at"),
            models.Index(fields=["at"], name="loginattempt_at"),  # pruning
        ]

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class Throttle(models.Model):
    """A counter for one key in one scope (``accounts.throttle``): a user name, an address, or the two
    together. ``key`` is an HMAC of the name or address, so the table holds neither. Rows are pruned once
    ``expires_at`` has passed."""

    scope = models.CharField(_("scope"), max_length=20)
    key = models.CharField(_("key"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    hits = models.PositiveIntegerField(_("hits"), default=0)
    strikes = models.PositiveIntegerField(_("strikes"), default=0)
    blocked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("throttle")
        verbose_name_plural = _("throttles")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="throttle_unique_key")]
        indexes = [models.Index(fields=["expires_at"], name="throttle_expires_at")]

    def __str__(self):
        return f"{self.scope} {self.key[:8]}"
