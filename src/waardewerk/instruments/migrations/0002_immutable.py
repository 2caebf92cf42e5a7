"""The database itself refuses changes to submitted measurements (see waardewerk.instruments.guards)."""

from django.db import migrations

from waardewerk.instruments import guards


def forward(apps, schema_editor):
    guards.install(schema_editor.connection)


def backward(apps, schema_editor):
    guards.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
