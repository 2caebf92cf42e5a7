from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "waardewerk.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # Work signals for the start page (core.worksignals): the module imports models, which Django allows
        # only once the apps are ready.
        from waardewerk.matching.worksignals import register_sources

        register_sources()
