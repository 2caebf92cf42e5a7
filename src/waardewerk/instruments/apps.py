from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "waardewerk.instruments"
    label = "instruments"
    verbose_name = _("Instruments")

    def ready(self):
        # Work signals for the start page (core.worksignals): the module imports models, which Django allows
        # only once the apps are ready.
        from waardewerk.instruments.worksignals import register_sources

        register_sources()

        # The services import models, which Django allows only once the apps are ready.
        from waardewerk.instruments.selectors import definitions_by_key
        from waardewerk.instruments.services import INSTRUMENTS, due_on_start
        from waardewerk.trajectories import instrument_roles
        from waardewerk.trajectories.signals import trajectory_started

        post_migrate.connect(INSTRUMENTS.after_migrate, sender=self, dispatch_uid="instruments.shipped")
        # What the trajectory layer below asks of the instruments (trajectories/instrument_roles.py).
        instrument_roles.register(definitions_by_key)
        trajectory_started.connect(due_on_start, dispatch_uid="instruments.due_on_start")
