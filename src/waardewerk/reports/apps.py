from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "waardewerk.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from waardewerk.reports import background

        background.register_builders()
