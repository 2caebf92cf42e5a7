from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "waardewerk.privacy"
    label = "privacy"
    verbose_name = _("Privacy: retention, legal holds and data-subject requests")

    def ready(self):
        from waardewerk.privacy import tasks  # noqa: F401  (registers the task module with the app)

        post_migrate.connect(tasks.schedule_after_migrate, sender=self, dispatch_uid="privacy_schedule")

        # What the portal below asks: the organisation's own retention terms (core.retention.days_for).
        from waardewerk.core import retention
        from waardewerk.privacy.services import own_days

        retention.register_organisation_terms(own_days)

        # What the access log's policy below asks: which events are about the organisation's erasures and
        # destruction lists (audit.policies.readable_events).
        from waardewerk.audit import policies as audit_policies
        from waardewerk.privacy.services import access_log_scope

        audit_policies.register_scope(access_log_scope)
