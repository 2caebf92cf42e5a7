from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "waardewerk.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        # Connects the notifications to the timeline's entries (Django allows a receiver only once the
        # models are loaded), and adds its part to the demo (api/demo.py).
        from waardewerk.api import demo, receivers  # noqa: F401
