"""Who may see and manage the organisation's structure (teams and users) and reset a second factor."""

from waardewerk.accounts.models import Role


def can_view_organisation(actor) -> bool:
    return bool(actor.is_authenticated and actor.is_active and actor.organisation_id) and (
        actor.role == Role.FUNCTIONAL_ADMIN
    )


def can_reset_two_factor(actor, user) -> bool:
    """A functional administrator resets the second factor of another user of their organisation (their
    own is reset by another administrator, or by the server's operator)."""
    return (
        can_view_organisation(actor) and user.organisation_id == actor.organisation_id and user.pk != actor.pk
    )
