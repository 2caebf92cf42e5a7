from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "waardewerk.insights"
    label = "insights"
    verbose_name = _("Practice-based evidence")

    def ready(self):
        # Registers the check of the suppression threshold, and refuses to start with a threshold below the
        # floor (ImproperlyConfigured), as the core app does with a missing key.
        from waardewerk.insights import checks, suppression

        checks.register_checks()
        suppression.min_cell_size()
