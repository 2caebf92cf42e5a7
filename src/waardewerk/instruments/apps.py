from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "waardewerk.instruments"
    label = "instruments"
    verbose_name = _("Instruments")

    def ready(self):
        from waardewerk.instruments.services import load_builtin_after_migrate

        post_migrate.connect(load_builtin_after_migrate, sender=self)
