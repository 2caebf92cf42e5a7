from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "waardewerk.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self):
        # The services import models, which Django allows only once the apps are ready.
        from waardewerk.knowledge.services import ENTRIES, GUIDE, PRINCIPLES, record_plan_choices
        from waardewerk.trajectories.signals import plan_saved

        post_migrate.connect(GUIDE.after_migrate, sender=self, dispatch_uid="knowledge.shipped_guide")
        post_migrate.connect(ENTRIES.after_migrate, sender=self, dispatch_uid="knowledge.shipped_entries")
        post_migrate.connect(
            PRINCIPLES.after_migrate, sender=self, dispatch_uid="knowledge.shipped_principles"
        )
        plan_saved.connect(record_plan_choices, dispatch_uid="knowledge.plan_choices")
