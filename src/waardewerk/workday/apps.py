from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdayConfig(AppConfig):
    name = "waardewerk.workday"
    label = "workday"
    verbose_name = _("Working day")
