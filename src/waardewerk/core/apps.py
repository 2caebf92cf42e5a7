from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waardewerk.core"
    label = "core"

    def ready(self):
        # Load the field encryption keys now, so a missing or malformed key stops the process at start
        # (ImproperlyConfigured) instead of at the first page that reads an encrypted field.
        from waardewerk.core import checks, crypto  # noqa: F401 (registers the deploy checks)

        crypto.get_multifernet()
