"""The demo's own knowledge-base entries: a local practice method proposed by a professional, awaiting the
knowledge editor's review (texts: ``data/knowledge.yaml``). The starter set is loaded with the knowledge
app itself."""

from __future__ import annotations

from waardewerk.knowledge import services
from waardewerk.knowledge.models import EntryVersion, KnowledgeEntry
from waardewerk.sampledata.texts import load


def create_knowledge_data(users: dict) -> dict:
    proposals = 0
    for spec in load("knowledge")["proposals"]:
        services.entry_create(actor=users[spec["proposer"]], fields=spec["fields"], note=spec["note"])
        proposals += 1
    return {"proposed local practice methods": proposals}


def delete_knowledge_data(organisation) -> None:
    """Remove the organisation's own entries with their versions (after its trajectories, whose plan
    choices protect the entries they picked)."""
    entries = KnowledgeEntry.objects.filter(organisation=organisation)
    entries.update(current=None, published=None)
    EntryVersion.objects.filter(entry__in=entries).delete()
    entries.delete()
