"""Fill the timeline with the measurements submitted before it was a projection."""

from django.db import migrations

from waardewerk.instruments import projection
from waardewerk.timeline.backfill import clear, fill


def forwards(apps, schema_editor):
    fill(apps, projection.backfill)


def backwards(apps, schema_editor):
    clear(apps, ["measurement"])


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0003_versioned_content"),
        ("trajectories", "0009_timeline_backfill"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
