from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "waardewerk.clients"
    label = "clients"
    verbose_name = _("Clients")

    def ready(self):
        # What the access log's policy below asks: which events are about an organisation's clients
        # (audit.policies.readable_events). The module imports models, which Django allows only once the
        # apps are ready.
        from waardewerk.audit import policies as audit_policies
        from waardewerk.clients.selectors import access_log_scope

        audit_policies.register_scope(access_log_scope)
