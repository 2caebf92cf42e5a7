"""Reading the timeline: one indexed query per page."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.utils.translation import get_language

from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.fields import raw_value
from waardewerk.timeline.models import STORED_SUMMARY, EntryDisplay, Kind, TimelineEntry

ACTOR_FIELDS = ("actor__first_name", "actor__last_name", "actor__username")
COLUMNS = ("id", "event", "kind", "occurred_at", "actor_id", "actor_label", "data", "trajectory_id")


@dataclass(frozen=True)
class Actor:
    """Who made an entry, as far as a page shows them: their name as the user model gives it."""

    first_name: str
    last_name: str
    username: str

    get_full_name = AbstractUser.get_full_name

    def __str__(self):
        return get_user_model().__str__(self)


class ShownEntry(EntryDisplay):
    """A timeline entry as a page reads it (``timeline_entries``): its columns, the stored texts (decrypted
    when shown, ``texts``) and who made it, without a model instance for the entry and one for its actor (a
    trajectory page reads tens of entries; the two instances cost about 100 function calls an entry).
    Read-only."""

    def __init__(self, row: tuple):
        names = self.__dict__
        names.update(zip(COLUMNS, row, strict=False))
        names[STORED_SUMMARY] = row[-1]
        self.actor = Actor(*row[len(COLUMNS) : len(COLUMNS) + 3]) if self.actor_id is not None else None

    @property
    def pk(self):
        return self.id

    def __repr__(self):
        return f"<ShownEntry {self.event} {self.occurred_at:%Y-%m-%d}>"


# The filter's kinds with their labels per language, made once per process (the labels are lazy translations).
_KINDS: dict[str | None, tuple[tuple[str, str], ...]] = {}


def timeline_kinds() -> tuple[tuple[str, str], ...]:
    """The filter: (kind, label) in the order the page shows them, in the active language."""
    language = get_language()
    kinds = _KINDS.get(language)
    if kinds is None:
        kinds = _KINDS[language] = tuple((value, str(label)) for value, label in Kind.choices)
    return kinds


def _entries(of_kind: bool, *, trajectory_id, kind=""):
    entries = TimelineEntry.objects.filter(trajectory_id=trajectory_id)
    if of_kind:
        entries = entries.filter(kind=kind)
    return (
        entries.annotate(**{STORED_SUMMARY: raw_value("summary")})
        .order_by("-occurred_at", "-id")
        .values_list(*COLUMNS, *ACTOR_FIELDS, STORED_SUMMARY)
    )


# Compiled once per process (``core.compiled``): the trajectory and the kind are this request's values.
_ENTRY_ROWS = CompiledQuery(_entries, rows="tuples")


def timeline_entries(trajectory, kind: str = "") -> list[ShownEntry]:
    """The trajectory's entries, newest first, optionally of one kind. ``trajectory`` was fetched through the
    policies already; this reads ``timeline_traj_at_idx`` (trajectory, occurred_at). The texts come
    encrypted (``stored_summary``) and ``entry.texts`` decrypts them when a page shows the entry."""
    if kind in Kind.values:
        rows = _ENTRY_ROWS(True, trajectory_id=trajectory.pk, kind=kind)
    else:
        rows = _ENTRY_ROWS(False, trajectory_id=trajectory.pk)
    return [ShownEntry(row) for row in rows]
