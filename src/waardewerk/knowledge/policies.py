"""Who may read and edit the conversation guide. See docs/authorization.md.

The guide is content without client data: every signed-in staff member of an organisation reads it (in a
conversation and outside one); only the functional administrator edits it. The guide is one per
installation, like the instruments.
"""

from waardewerk.accounts.models import Role


def can_read_guide(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active and actor.organisation_id)


def can_edit_guide(actor) -> bool:
    return can_read_guide(actor) and actor.role == Role.FUNCTIONAL_ADMIN
