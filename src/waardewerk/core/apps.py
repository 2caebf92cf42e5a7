from django.apps import AppConfig

from waardewerk.core import crypto


class CoreConfig(AppConfig):
    name = "waardewerk.core"
    label = "core"

    def ready(self):
        # Load the field encryption keys now, so a missing or malformed key stops the process at start
        # (ImproperlyConfigured) instead of at the first page that reads an encrypted field.
        crypto.get_multifernet()
