"""Fill the timeline with the client's portal activity from before it was a projection."""

from django.db import migrations

from waardewerk.portal import projection
from waardewerk.timeline.backfill import clear, fill

EVENTS = [
    "goal_proposed", "goal_accepted", "goal_declined", "consent_given", "consent_withdrawn",
    "questionnaire_requested", "questionnaire_cancelled",
]  # fmt: skip


def forwards(apps, schema_editor):
    fill(apps, projection.backfill)


def backwards(apps, schema_editor):
    clear(apps, EVENTS)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("clients", "0003_bsn_index_and_consent"),
        ("instruments", "0004_timeline_backfill"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
