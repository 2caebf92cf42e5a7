"""Who may read the access log: a functional administrator who passed two-factor login in this session."""

from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT
from waardewerk.accounts.models import Role


def can_read_audit_log(request) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.FUNCTIONAL_ADMIN
        and bool(request.session.get(TWO_FACTOR_VERIFIED_AT))
    )


def may_see_audit_entry(user) -> bool:
    """Show the menu entry to administrators; the page itself asks for the second factor."""
    return user.is_authenticated and user.role == Role.FUNCTIONAL_ADMIN
