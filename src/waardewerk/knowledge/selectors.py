"""Reads of the conversation guide (one query each)."""

from __future__ import annotations

from waardewerk.knowledge.guide import Guide
from waardewerk.knowledge.models import ConversationGuide, GuideVersion


def _guide_row() -> ConversationGuide | None:
    return ConversationGuide.objects.select_related("current").exclude(current=None).order_by("pk").first()


def current_guide() -> tuple[GuideVersion, Guide] | None:
    """The installation's current guide version and its reader, in one query; None before any load."""
    row = _guide_row()
    if row is None:
        return None
    version = row.current
    version.guide = row  # known already: no second query for version.guide
    return version, Guide(version.definition)


def current_version_number() -> int | None:
    """The number of the current version (one small query, without the definition)."""
    return (
        ConversationGuide.objects.exclude(current=None)
        .order_by("pk")
        .values_list("current__version", flat=True)
        .first()
    )


def guide_versions(key: str | None = None) -> list[GuideVersion]:
    """The history of a guide (the installation's guide when ``key`` is None), newest first, without
    the definitions (one query)."""
    queryset = GuideVersion.objects.defer("definition").select_related("created_by", "guide")
    if key is None:
        queryset = queryset.filter(
            guide__in=ConversationGuide.objects.exclude(current=None).order_by("pk")[:1]
        )
    else:
        queryset = queryset.filter(guide__key=key)
    return list(queryset.order_by("-version"))


def guide_version(key: str | None, version: int) -> GuideVersion | None:
    """One version with its definition (the installation's guide when ``key`` is None)."""
    queryset = GuideVersion.objects.select_related("created_by", "guide").filter(version=version)
    if key is None:
        queryset = queryset.filter(
            guide__in=ConversationGuide.objects.exclude(current=None).order_by("pk")[:1]
        )
    else:
        queryset = queryset.filter(guide__key=key)
    return queryset.first()
