"""Reads of the conversation guide and the knowledge base (one query each)."""

from __future__ import annotations

from dataclasses import dataclass

from waardewerk.core.content import localised
from waardewerk.knowledge import policies
from waardewerk.knowledge.entry import Entry
from waardewerk.knowledge.guide import Guide
from waardewerk.knowledge.models import EntryVersion, GuideVersion, KnowledgeEntry, PrincipleSetVersion
from waardewerk.knowledge.principles import Principles
from waardewerk.knowledge.services import GUIDE, PRINCIPLES
from waardewerk.trajectories.plan import PlanEntry


def current_guide() -> tuple[GuideVersion, Guide] | None:
    """The installation's current guide version and its reader, in one query; None before any load."""
    version = GUIDE.current()
    if version is None:
        return None
    return version, Guide(version.definition)


def current_version_number() -> int | None:
    """The number of the current version (one small query, without the definition)."""
    return GUIDE.current_number()


def guide_versions(key: str | None = None) -> list[GuideVersion]:
    """The history of a guide (the installation's guide when ``key`` is None), newest first, without
    the definitions (one query)."""
    return GUIDE.history(key)


def guide_version(key: str | None, version: int) -> GuideVersion | None:
    """One version with its definition (the installation's guide when ``key`` is None)."""
    return GUIDE.version(key, version)


# The knowledge base -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryFilter:
    """A search of the knowledge base: words, and the work value, determinant, context, recognition and kind
    an entry must have; ``target`` searches the target group's texts."""

    q: str = ""
    value: str = ""
    determinant: str = ""
    target: str = ""
    context: str = ""
    recognition: str = ""
    kind: str = ""
    status: str = ""


def entries(actor, search: EntryFilter = EntryFilter()) -> list[tuple[KnowledgeEntry, Entry]]:
    """The entries the actor may open that match the search, by name, each with its current version read
    in the active language (one query). The lists and texts are JSON in the version, so the words, value,
    determinant, context and target group are matched here; a knowledge base holds hundreds of entries,
    not millions."""
    queryset = policies.visible_entries(actor).select_related("current")
    if search.recognition:
        queryset = queryset.filter(recognition=search.recognition)
    if search.kind:
        queryset = queryset.filter(kind=search.kind)
    if search.status:
        queryset = queryset.filter(status=search.status)
    words = search.q.lower().split()
    target = search.target.lower().strip()
    out = []
    for entry in queryset.order_by("name", "pk"):
        read = Entry(entry.current.definition)
        definition = read.definition
        if search.value and search.value not in definition.get("work_values", []):
            continue
        if search.determinant and search.determinant not in definition.get("determinants", []):
            continue
        if search.context and search.context not in definition.get("contexts", []):
            continue
        if (
            target
            and target
            not in " ".join(
                t for group in definition["target_group"].values() for t in (group or {}).values()
            ).lower()
        ):
            continue
        if words and not all(word in read.searchable for word in words):
            continue
        out.append((entry, read))
    return out


def visible_entry(actor, key: str) -> KnowledgeEntry | None:
    """One entry the actor may open, with its current and published versions and organisation."""
    return (
        policies.visible_entries(actor)
        .select_related("current", "published", "proposed_by", "reviewed_by")
        .filter(key=key)
        .first()
    )


def entry_history(entry: KnowledgeEntry) -> list[EntryVersion]:
    """Every version of an entry, newest first, without the definitions (one query)."""
    return list(
        EntryVersion.objects.filter(entry=entry)
        .select_related("created_by")
        .defer("definition")
        .order_by("-version")
    )


def entry_version(entry: KnowledgeEntry, number: int) -> EntryVersion | None:
    return EntryVersion.objects.filter(entry=entry, version=number).select_related("created_by").first()


def proposals(actor) -> list[KnowledgeEntry]:
    """The proposals awaiting the editor's review, oldest first (one query)."""
    if not policies.can_manage_knowledge_base(actor):
        return []
    return list(
        policies.visible_entries(actor)
        .filter(status__in=policies.REVIEWABLE)
        .select_related("proposed_by", "current")
        .order_by("current__loaded_at", "pk")
    )


def plan_entries(actor) -> dict[str, PlanEntry]:
    """The entries a plan choice can pick, by key, as the plan needs them (one query)."""
    entries = policies.choosable_entries(actor).select_related("published").order_by("name", "pk")
    return {entry.key: as_plan_entry(entry) for entry in entries}


def as_plan_entry(entry: KnowledgeEntry) -> PlanEntry:
    """A published entry (with ``published`` loaded) as a plan choice needs it."""
    definition = entry.published.definition
    return PlanEntry(
        key=entry.key,
        version=entry.published.version,
        recognition=definition["recognition"]["level"],
        references=len(definition.get("references") or []),
        name=localised(definition["name"]),
    )


def chosen_entry_versions(pairs) -> dict[tuple[str, int], Entry]:
    """The entry versions named by plan choices ((key, version) pairs), read in the active language (one
    query): the plan shows the recognition and references of the version that was chosen."""
    pairs = set(pairs)
    if not pairs:
        return {}
    versions = EntryVersion.objects.filter(
        entry__key__in={k for k, _n in pairs}, version__in={n for _k, n in pairs}
    ).select_related("entry")
    return {
        (v.entry.key, v.version): Entry(v.definition) for v in versions if (v.entry.key, v.version) in pairs
    }


# Guiding principles -----------------------------------------------------------------------------------------


def current_principles() -> tuple[PrincipleSetVersion, Principles] | None:
    """The installation's current principles version and its reader, in one query; None before any load."""
    version = PRINCIPLES.current()
    if version is None:
        return None
    return version, Principles(version.definition)


def principle_versions() -> list[PrincipleSetVersion]:
    """The history of the principles, newest first, without the content (one query)."""
    return PRINCIPLES.history()
