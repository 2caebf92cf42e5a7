"""The table of the shared cache (settings.CACHES, the database cache unless REDIS_URL is set).

Runs Django's ``createcachetable`` so that ``migrate`` is the only step a new installation (or a test
database) needs. It creates the table of every database cache in CACHES that does not exist yet and does
nothing when the cache is Redis. After switching from Redis to the database cache on an existing
installation, run ``waardewerk createcachetable`` once.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
