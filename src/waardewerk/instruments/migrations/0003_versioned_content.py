"""Instrument versions on the shared versioned-content base (core.models.ContentVersion): who made a
version on a page and what changed (both empty for the files loaded so far), and a file loaded without a
name for its loader says so ("unknown") instead of looking like an edit."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def name_unknown_loaders(apps, schema_editor):
    InstrumentVersion = apps.get_model("instruments", "InstrumentVersion")
    InstrumentVersion.objects.filter(loaded_by="").update(loaded_by="unknown")


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0002_immutable"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="instrumentversion",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="changed by",
            ),
        ),
        migrations.AddField(
            model_name="instrumentversion",
            name="note",
            field=models.CharField(blank=True, max_length=500, verbose_name="what changed and why"),
        ),
        migrations.RunPython(name_unknown_loaders, migrations.RunPython.noop),
    ]
