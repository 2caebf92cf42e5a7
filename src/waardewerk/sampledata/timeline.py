"""Timeline entries for the sample data. The demo and the generator write their rows in bulk, not through
the services that append the entries; so the entries are made from those rows with the same functions
(each app's ``projection`` module) that the services and the data migrations use."""

from __future__ import annotations

from types import SimpleNamespace

from django.apps import apps

from waardewerk.instruments import projection as instrument_projection
from waardewerk.portal import projection as portal_projection
from waardewerk.timeline.backfill import write
from waardewerk.trajectories import projection as trajectory_projection


def backfill(trajectory_ids: list[int]) -> int:
    """Write the entries of these trajectories' rows, as the data migrations do; returns how many."""
    entries = [
        *trajectory_projection.backfill(apps, trajectory_ids),
        *instrument_projection.backfill(apps, trajectory_ids),
        *portal_projection.backfill(apps, trajectory_ids),
    ]
    entries.sort(key=lambda entry: entry["occurred_at"])  # stable: ties keep each app's order
    write(entries)
    return len(entries)


class Row(SimpleNamespace):
    """A row the generator writes (a dict of field values), with the attributes a ``projection`` function
    reads from a model instance: its fields, and ``_meta.label_lower`` for the entry's source."""

    @classmethod
    def of(cls, values: dict, meta: SimpleNamespace) -> Row:
        row = cls(**values)
        row._meta = meta
        return row


def meta(model) -> SimpleNamespace:
    return SimpleNamespace(label_lower=model._meta.label_lower)
