from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waardewerk.core"
    label = "core"
