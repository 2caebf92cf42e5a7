from django.db.models import Count, Prefetch, Q

from waardewerk.accounts.models import Team, User


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
        .prefetch_related("teams")
        .order_by("last_name", "first_name")
    )
    return {"organisation": organisation, "teams": teams, "users": users}
