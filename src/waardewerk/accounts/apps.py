from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "waardewerk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Every login (the login page, Client.force_login, any later login path) starts the session clocks.
        # The handler's module imports models, which Django allows only once the apps are ready.
        from waardewerk.accounts.middleware import session_start

        user_logged_in.connect(session_start, dispatch_uid="waardewerk.accounts.session_start")
