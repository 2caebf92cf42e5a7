"""Who may see the practice-based evidence and export research data. See docs/practice-evidence.md and
docs/authorization.md.

- "What worked here" shows figures about groups of trajectories of the actor's own organisation, suppressed
  below *k* and never per professional: every staff member of the organisation reads them, for the entries
  they may see in the knowledge base (``knowledge.policies.visible_entries``; an entry outside it is the 404
  of an entry that does not exist). No client reads them.
- The research export holds pseudonymised data of the clients who consented to research: only the
  knowledge editor of the organisation makes it (a content role, separate from the functional
  administrator and from the professionals who know the clients).
"""

from django.db.models import QuerySet

from waardewerk.accounts.policies import is_knowledge_editor, is_staff_member
from waardewerk.knowledge.models import KnowledgeEntry
from waardewerk.knowledge.policies import visible_entries


def can_read_evidence(actor) -> bool:
    return is_staff_member(actor)


def evidence_entries(actor) -> QuerySet[KnowledgeEntry]:
    """The entries whose figures the actor may open."""
    if not can_read_evidence(actor):
        return KnowledgeEntry.objects.none()
    return visible_entries(actor)


def can_export_research(actor) -> bool:
    return is_knowledge_editor(actor)
