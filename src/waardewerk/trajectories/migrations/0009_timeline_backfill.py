"""Fill the timeline with the trajectories' history from before it was a projection."""

from django.db import migrations

from waardewerk.timeline.backfill import clear, fill
from waardewerk.trajectories import projection

EVENTS = [
    "started", "phase", "handover", "assignment", "assignment_ended", "closed", "conversation", "action",
    "action_done", "action_done_by_client", "plan_version", "plan_agreed", "note", "adjustment", "evaluation",
]  # fmt: skip


def forwards(apps, schema_editor):
    fill(apps, projection.backfill)


def backwards(apps, schema_editor):
    clear(apps, EVENTS)


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0008_evaluation_outcome_level_from_instrument"),
        ("timeline", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
