from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IntervisionConfig(AppConfig):
    name = "waardewerk.intervision"
    label = "intervision"
    verbose_name = _("Intervision")

    def ready(self):
        # Work signals for the start page (core.worksignals): the module imports models, which Django allows
        # only once the apps are ready.
        from waardewerk.intervision.worksignals import register_sources

        register_sources()

        # The services import models, which Django allows only once the apps are ready.
        from waardewerk.intervision.services import CHECKPOINTS, METHODS

        post_migrate.connect(METHODS.after_migrate, sender=self, dispatch_uid="intervision.shipped_methods")
        post_migrate.connect(
            CHECKPOINTS.after_migrate, sender=self, dispatch_uid="intervision.shipped_checkpoints"
        )
