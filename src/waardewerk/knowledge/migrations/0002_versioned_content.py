"""The guide's versions on the shared versioned-content base (core.models.ContentVersion): the time a
version was stored is ``loaded_at``, as for every kind of content; the stored data stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="guideversion", old_name="created_at", new_name="loaded_at"),
        migrations.AlterField(
            model_name="guideversion",
            name="loaded_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="loaded at"),
        ),
    ]
