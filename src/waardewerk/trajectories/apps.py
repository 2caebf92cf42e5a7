from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "waardewerk.trajectories"
    label = "trajectories"
    verbose_name = _("Trajectories")

    def ready(self):
        # Work signals for the start page (core.worksignals): the module imports models, which Django allows
        # only once the apps are ready.
        from waardewerk.trajectories import consent_signals
        from waardewerk.trajectories.worksignals import register_sources

        register_sources()
        consent_signals.register_sources()
