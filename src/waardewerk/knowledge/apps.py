from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "waardewerk.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self):
        from waardewerk.knowledge.services import load_builtin_after_migrate

        post_migrate.connect(load_builtin_after_migrate, sender=self)
