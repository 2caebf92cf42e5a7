from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "waardewerk.portal"
    label = "portal"
    verbose_name = _("Client portal")

    def ready(self):
        # Work signals for the start page (core.worksignals): the module imports models, which Django allows
        # only once the apps are ready.
        from waardewerk.portal.worksignals import register_sources

        register_sources()

        # Text messages sent through the outbox (core.outbox) go through the portal's SMS backend.
        from waardewerk.core import outbox
        from waardewerk.portal.messaging import outbox_sms

        outbox.register(outbox.SMS, outbox_sms)

        # A staff login in a browser that still holds a portal session drops the portal session's keys.
        # The handler's module imports models, which Django allows only once the apps are ready.
        from waardewerk.portal.session import forget_portal_on_staff_login

        user_logged_in.connect(forget_portal_on_staff_login, dispatch_uid="waardewerk.portal.staff_login")
