"""Who may read the access log: a functional administrator who verified a second factor in this session.

The policy takes the actor and the facts it needs (``second_factor_verified``), never a request: the view
reads the session and says what it found.
"""

from waardewerk.accounts.policies import is_functional_admin


def may_see_audit_entry(actor) -> bool:
    """The role may use the access log (the menu entry); reading it also needs the second factor."""
    return is_functional_admin(actor)


def can_read_audit_log(actor, *, second_factor_verified: bool) -> bool:
    return may_see_audit_entry(actor) and bool(second_factor_verified)
