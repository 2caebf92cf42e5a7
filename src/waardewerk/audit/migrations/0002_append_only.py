"""The database itself refuses updates and deletes of access-log rows (see waardewerk.audit.guards)."""

from django.db import migrations

from waardewerk.audit import guards


def forward(apps, schema_editor):
    guards.install(schema_editor.connection, tables=["audit_accessevent"])


def backward(apps, schema_editor):
    guards.remove(schema_editor.connection, tables=["audit_accessevent"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
