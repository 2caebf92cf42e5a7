"""The hash's uniqueness as a constraint instead of ``unique=True``: on PostgreSQL the field option added a
second index on the column (``varchar_pattern_ops``, for LIKE searches that nothing does), which every
append had to update. SQLite copies the table to change the column, which drops its triggers: they are
installed again.
"""

from django.db import migrations, models

from waardewerk.audit import guards


def reinstall_guards(apps, schema_editor):
    guards.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_chains")]

    operations = [
        migrations.AlterField(
            model_name="accessevent",
            name="hash",
            field=models.CharField(max_length=64),
        ),
        migrations.AddConstraint(
            model_name="accessevent",
            constraint=models.UniqueConstraint(fields=("hash",), name="audit_hash_unique"),
        ),
        migrations.RunPython(reinstall_guards, reinstall_guards),
    ]
