from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "waardewerk.core"
    label = "core"

    def ready(self):
        # Load the field encryption keys now, so a missing or malformed key stops the process at start
        # (ImproperlyConfigured) instead of at the first page that reads an encrypted field.
        from waardewerk.core import checks, crypto  # noqa: F401 (registers the deploy checks)

        crypto.get_multifernet()

        # The empty choice of every select in words the user reads ("Kies…"), instead of Django's untranslated
        # "- Select an option -" (Django reads this constant each time it builds a blank choice).
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        fields.BLANK_CHOICE_LABEL = _("Choose…")
