from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "waardewerk.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        # Connects the notifications to the timeline's entries (Django allows a receiver only once the
        # models are loaded).
        from waardewerk.api import receivers  # noqa: F401
