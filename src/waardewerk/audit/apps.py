from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "waardewerk.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        # Load the checkpoint key now, so a missing or malformed key stops the process at start
        # (ImproperlyConfigured) instead of at the first export; register the deploy check and the
        # receiver of the accounts area's security events.
        from waardewerk.audit import checks, keys, receivers  # noqa: F401

        keys.keys()
