"""Reading the timeline: one indexed query per page."""

from django.utils.translation import get_language

from waardewerk.core.fields import raw_value
from waardewerk.timeline.models import STORED_SUMMARY, Kind, TimelineEntry

ACTOR_FIELDS = ("actor__first_name", "actor__last_name", "actor__username")


# The filter's kinds with their labels per language, made once per process (the labels are lazy translations).
_KINDS: dict[str | None, tuple[tuple[str, str], ...]] = {}


def timeline_kinds() -> tuple[tuple[str, str], ...]:
    """The filter: (kind, label) in the order the page shows them, in the active language."""
    language = get_language()
    kinds = _KINDS.get(language)
    if kinds is None:
        kinds = _KINDS[language] = tuple((value, str(label)) for value, label in Kind.choices)
    return kinds


def timeline_entries(trajectory, kind: str = "") -> list[TimelineEntry]:
    """The trajectory's entries, newest first, optionally of one kind. ``trajectory`` was fetched through the
    policies already; this reads ``timeline_traj_at_idx`` (trajectory, occurred_at). The texts come
    encrypted (``stored_summary``) and ``entry.texts`` decrypts them when a page shows the entry; do not
    read ``entry.summary`` of these (deferred: a query per entry)."""
    entries = TimelineEntry.objects.filter(trajectory=trajectory)
    if kind in Kind.values:
        entries = entries.filter(kind=kind)
    return list(
        entries.select_related("actor")
        .only(
            "event",
            "kind",
            "occurred_at",
            "actor_label",
            "data",
            "trajectory_id",
            *ACTOR_FIELDS,
        )
        .annotate(**{STORED_SUMMARY: raw_value("summary")})
        .order_by("-occurred_at", "-id")
    )
