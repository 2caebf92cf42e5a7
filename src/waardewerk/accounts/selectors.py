from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from waardewerk.accounts.models import RecoveryCode, Team, TOTPDevice, User


def organisation_overview(*, actor) -> dict:
    """Teams with their members and the size of their open caseload; no dossier contents."""
    organisation = actor.organisation
    members = User.objects.filter(is_active=True).order_by("last_name", "first_name")
    teams = (
        Team.objects.filter(organisation=organisation)
        .annotate(open_trajectories=Count("trajectories", filter=Q(trajectories__end_date__isnull=True)))
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name")
    )
    users = (
        User.objects.filter(organisation=organisation)
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False))
        )
        .prefetch_related("teams")
        .order_by("last_name", "first_name")
    )
    return {"organisation": organisation, "teams": teams, "users": users}


def totp_device_for(*, user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user).first()


def has_confirmed_totp_device(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def two_factor_required(*, user) -> bool:
    """Whether this user's login needs a second factor: always when the organisation requires it,
    otherwise when the user turned it on."""
    return bool(settings.WAARDEWERK_REQUIRE_2FA) or has_confirmed_totp_device(user=user)


def recovery_codes_left(*, user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
