"""Reads of the conversation guide (one query each)."""

from __future__ import annotations

from waardewerk.knowledge.guide import Guide
from waardewerk.knowledge.models import GuideVersion
from waardewerk.knowledge.services import GUIDE


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
