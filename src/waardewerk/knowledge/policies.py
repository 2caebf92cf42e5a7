"""Who may read and edit the conversation guide and the knowledge base. See docs/authorization.md.

The guide is content without client data: every signed-in staff member of an organisation reads it (in a
conversation and outside one); only the functional administrator edits it. The guide is one per
installation, like the instruments.

The knowledge base (docs/knowledge.md) holds no client data either. Its entries are of the whole
installation (``organisation`` empty: the starter set, national interventions) or of one organisation (a
local practice method proposed there), which nobody of another organisation can tell exists. Every staff
member reads the published entries; a professional or team lead proposes a local practice method and
revises it while it is in review; the knowledge editor (a content role of its own, not the functional
administrator) reviews proposals, edits and publishes entries, and imports and exports files.
"""

from django.db.models import Q, QuerySet

from waardewerk.accounts.policies import (
    is_case_worker,
    is_functional_admin,
    is_knowledge_editor,
    is_staff_member,
)
from waardewerk.knowledge.models import EntryStatus, KnowledgeEntry

REVIEWABLE = (EntryStatus.PROPOSED,)
REVISABLE = (EntryStatus.PROPOSED, EntryStatus.RETURNED)
READABLE = (EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)


def can_read_guide(actor) -> bool:
    return is_staff_member(actor)


def can_edit_guide(actor) -> bool:
    return is_functional_admin(actor)


# The knowledge base ---------------------------------------------------------------------------------------


def can_read_knowledge_base(actor) -> bool:
    return is_staff_member(actor)


def can_manage_knowledge_base(actor) -> bool:
    """The editor's pages: proposals to review, import and export of files."""
    return is_knowledge_editor(actor)


def can_propose_entry(actor) -> bool:
    return is_case_worker(actor)


def _scope(actor) -> Q:
    return Q(organisation__isnull=True) | Q(organisation_id=actor.organisation_id)


def visible_entries(actor) -> QuerySet[KnowledgeEntry]:
    """The entries the actor may open: the editor every entry of the installation and of their own
    organisation; other staff the published ones, and the ones they proposed themselves."""
    if not is_staff_member(actor):
        return KnowledgeEntry.objects.none()
    entries = KnowledgeEntry.objects.filter(_scope(actor)).exclude(current=None)
    if is_knowledge_editor(actor):
        return entries
    # A withdrawn entry stays readable: plans that chose it link to it.
    return entries.filter(Q(status__in=READABLE) | Q(proposed_by=actor))


def choosable_entries(actor) -> QuerySet[KnowledgeEntry]:
    """The entries a plan choice can pick: published, of the installation or the actor's organisation."""
    if not is_case_worker(actor):
        return KnowledgeEntry.objects.none()
    return KnowledgeEntry.objects.filter(_scope(actor), status=EntryStatus.PUBLISHED).exclude(published=None)


def _in_scope(actor, entry) -> bool:
    return entry.organisation_id is None or entry.organisation_id == actor.organisation_id


def can_view_entry_history(actor, entry) -> bool:
    return (
        is_knowledge_editor(actor)
        and _in_scope(actor, entry)
        or (is_staff_member(actor) and entry.proposed_by_id == actor.pk and _in_scope(actor, entry))
    )


def can_edit_entry(actor, entry) -> bool:
    """The editor edits every entry in scope; the proposer revises their proposal while it is in review."""
    if not is_staff_member(actor) or not _in_scope(actor, entry):
        return False
    if is_knowledge_editor(actor):
        return True
    return is_case_worker(actor) and entry.proposed_by_id == actor.pk and entry.status in REVISABLE


def can_review_entry(actor, entry) -> bool:
    return is_knowledge_editor(actor) and _in_scope(actor, entry) and entry.status in REVIEWABLE


def can_withdraw_entry(actor, entry) -> bool:
    """The editor withdraws a published entry: no longer offered for new plan choices; the choices that
    picked it keep it."""
    return is_knowledge_editor(actor) and _in_scope(actor, entry) and entry.status == EntryStatus.PUBLISHED


# Guiding principles ---------------------------------------------------------------------------------------


def can_read_principles(actor) -> bool:
    return is_staff_member(actor)


def can_edit_principles(actor) -> bool:
    """The knowledge editor keeps the principles, as they keep the knowledge base."""
    return is_knowledge_editor(actor)
