"""Plan choices of knowledge-base entries in generated data, so that "what worked here" (the insights app)
has figures to show at scale: about half of the generated choices pick a published entry of the
installation that fits the trajectory's context, and each such choice gets its ``PlanChoiceEntry`` row, as
the plan service writes it (the generator writes rows directly, past the services).

The picks come from a random generator of their own per trajectory (seeded from the run's seed and the
trajectory), so the rest of the generated data is what it was before; plans that already name an entry
are left as they are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from waardewerk.knowledge.models import EntryStatus, KnowledgeEntry
from waardewerk.trajectories.plan import PlanContent

SHARE = 0.5  # of the generated choices that pick an entry


@dataclass(frozen=True)
class Entry:
    pk: int
    key: str
    version_id: int
    version: int
    recognition: str
    references: int
    contexts: frozenset


def published_entries() -> list[Entry]:
    """The installation's published entries (the starter set), in key order."""
    found = []
    rows = (
        KnowledgeEntry.objects.filter(organisation=None, status=EntryStatus.PUBLISHED)
        .exclude(published=None)
        .select_related("published")
        .order_by("key")
    )
    for entry in rows:
        definition = entry.published.definition
        found.append(
            Entry(
                entry.pk,
                entry.key,
                entry.published_id,
                entry.published.version,
                entry.recognition,
                len(definition.get("references") or []),
                frozenset(definition.get("contexts") or []),
            )
        )
    return found


def choose_entries(seed: int, trajectory_id: int, context: str, content: PlanContent, entries: list[Entry]):
    """Let some of the plan's choices pick an entry that fits the context (in place)."""
    if not entries or any(choice.entry for choice in content.choices):
        return
    rng = random.Random(f"{seed}:{trajectory_id}:entries")
    fitting = [e for e in entries if not e.contexts or context in e.contexts] or entries
    for choice in content.choices:
        if rng.random() < SHARE:
            entry = rng.choice(fitting)
            choice.entry = entry.key
            choice.entry_version = entry.version
            choice.recognition = entry.recognition
            choice.entry_references = entry.references
            choice.evidence_level = ""


def choice_rows(content: PlanContent, entries: list[Entry]) -> list[tuple[str, Entry]]:
    """(choice key, entry) for every choice of the content that names one of the entries."""
    by_key = {entry.key: entry for entry in entries}
    return [(c.key, by_key[c.entry]) for c in content.choices if c.entry in by_key]
