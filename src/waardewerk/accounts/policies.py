"""Who may see and manage the organisation's structure (teams and users)."""

from waardewerk.accounts.models import Role


def can_view_organisation(actor) -> bool:
    return bool(actor.is_authenticated and actor.is_active and actor.organisation_id) and (
        actor.role == Role.FUNCTIONAL_ADMIN
    )
