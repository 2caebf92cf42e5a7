"""The trajectory's own index goes: ``timeline_traj_at_idx`` (trajectory, occurred_at) serves every lookup by
trajectory, and one index less makes every write of an entry cheaper (millions of rows).

The index is dropped by name from the catalogue rather than by an AlterField, which on SQLite would copy the
whole table.
"""

from django.db import migrations, models


def _trajectory_indexes(schema_editor, model):
    table = model._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and info["columns"] == ["trajectory_id"] and not (info["primary_key"] or info["unique"])
    ]


def drop(apps, schema_editor):
    model = apps.get_model("timeline", "TimelineEntry")
    for name in _trajectory_indexes(schema_editor, model):
        schema_editor.execute(
            schema_editor.sql_delete_index
            % {"table": schema_editor.quote_name(model._meta.db_table), "name": schema_editor.quote_name(name)}
        )


def create(apps, schema_editor):
    model = apps.get_model("timeline", "TimelineEntry")
    if not _trajectory_indexes(schema_editor, model):
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field("trajectory")]))


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0002_encrypted_text_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="timelineentry",
                    name="trajectory",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="timeline_entries",
                        to="trajectories.trajectory",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        ),
    ]
