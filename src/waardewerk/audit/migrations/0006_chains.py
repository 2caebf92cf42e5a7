"""The access log becomes several chains side by side (docs/security.md, "Audit trail").

The rows written so far are chain 0, unchanged: their hashes leave the chain out when it is 0, so they
verify as before, and chain 0 simply continues. Checkpoints get the heads of every chain; those written
before keep their signature (it covers chain 0). New rows take their id from the table's sequence instead
of "the last row + 1": on PostgreSQL the sequence is moved past the ids written so far. SQLite copies the
table to add a column, which drops its triggers: they are installed again.
"""

from django.db import migrations, models

from waardewerk.audit import guards


def after(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('audit_accessevent', 'id'), "
                "COALESCE((SELECT MAX(id) FROM audit_accessevent), 0) + 1, false)"
            )
    guards.install(connection)


def before_back(apps, schema_editor):
    guards.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_emergency_access")]

    operations = [
        migrations.AddField(
            model_name="accessevent",
            name="chain",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="chain"),
        ),
        migrations.AddField(
            model_name="auditcheckpoint",
            name="heads",
            field=models.JSONField(blank=True, default=dict, verbose_name="heads of the chains"),
        ),
        migrations.AddIndex(
            model_name="accessevent",
            index=models.Index(fields=["chain", "id"], name="audit_chain_idx"),
        ),
        migrations.AddConstraint(
            model_name="accessevent",
            constraint=models.UniqueConstraint(fields=("chain", "prev_hash"), name="audit_chain_link_unique"),
        ),
        migrations.RunPython(after, before_back),
    ]
