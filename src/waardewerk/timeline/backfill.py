"""Filling the timeline from rows that existed before it: used by the data migrations of the apps whose
changes appear in it (each with its own ``projection.backfill``) and by the demo data."""

from waardewerk.timeline.models import TimelineEntry

CHUNK = 2000


def write(entries, model=TimelineEntry) -> None:
    """Bulk-write entries (``timeline_entry`` values); ``model``: a migration's historical TimelineEntry."""
    model.objects.bulk_create((model(**entry) for entry in entries), batch_size=1000)


def fill(apps, build, trajectory_ids=None) -> int:
    """``build(apps, ids)`` for every trajectory (or those given), 2,000 trajectories at a time so memory
    stays flat on a large database; returns the number of entries written."""
    model = apps.get_model("timeline", "TimelineEntry")
    if trajectory_ids is None:
        trajectories = apps.get_model("trajectories", "Trajectory").objects.order_by("pk")
        trajectory_ids = list(trajectories.values_list("pk", flat=True))
    written = 0
    for start in range(0, len(trajectory_ids), CHUNK):
        entries = build(apps, trajectory_ids[start : start + CHUNK])
        write(entries, model)
        written += len(entries)
    return written


def clear(apps, events) -> None:
    """Undo a backfill: remove the entries of these events."""
    apps.get_model("timeline", "TimelineEntry").objects.filter(event__in=events).delete()
