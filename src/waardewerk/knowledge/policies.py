"""Who may read and edit the conversation guide. See docs/authorization.md.

The guide is content without client data: every signed-in staff member of an organisation reads it (in a
conversation and outside one); only the functional administrator edits it. The guide is one per
installation, like the instruments.
"""

from waardewerk.accounts.policies import is_functional_admin, is_staff_member


def can_read_guide(actor) -> bool:
    return is_staff_member(actor)


def can_edit_guide(actor) -> bool:
    return is_functional_admin(actor)
