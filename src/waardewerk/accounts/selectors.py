import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waardewerk.accounts.models import RecoveryCode, Team, TOTPDevice, User
from waardewerk.core import outbox


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


FAILED_TASKS_SHOWN = 50


def background_tasks(*, days: int = 7) -> dict:
    """The queue of background tasks: how many wait, run, finished and failed in the last ``days`` days, and
    the latest failures (task, when, error class; never arguments or messages). Two queries."""
    since = timezone.now() - dt.timedelta(days=days)
    counts = DBTaskResult.objects.aggregate(
        ready=Count("id", filter=Q(status="READY")),
        running=Count("id", filter=Q(status="RUNNING")),
        successful=Count("id", filter=Q(status="SUCCESSFUL", finished_at__gte=since)),
        failed=Count("id", filter=Q(status="FAILED", finished_at__gte=since)),
    )
    failed = list(
        DBTaskResult.objects.filter(status="FAILED", finished_at__gte=since)
        .order_by("-finished_at")
        .only("task_path", "enqueued_at", "started_at", "finished_at", "exception_class_path", "worker_ids")[
            :FAILED_TASKS_SHOWN
        ]
    )
    return {
        "counts": counts,
        "failed": failed,
        "days": days,
        "shown": FAILED_TASKS_SHOWN,
        "outbox": outbox.summary(days=days),
    }
