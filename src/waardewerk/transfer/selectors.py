"""Reads of the import and export pages, scoped by ``policies``."""

from waardewerk.transfer import policies


def exports(actor, limit: int = 20):
    """The organisation's latest exports with who asked for them (one query)."""
    return list(policies.visible_exports(actor).select_related("requested_by")[:limit])
