from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.audit.models import AuditAction
from waardewerk.core.forms import DateInput, UtrechtFormMixin


class AuditFilterForm(UtrechtFormMixin, forms.Form):
    show_optional = False
    # A name (accents and capitals do not matter), a BSN, a date of birth or the id in the address of the
    # client's dossier; the page finds the clients (``pages.audit_views``).
    client = forms.CharField(
        label=_("Client"),
        required=False,
        max_length=100,
        help_text=_("Name, BSN, date of birth (dd-mm-jjjj) or the id in the address of the dossier."),
    )
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions"))] + AuditAction.choices
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    emergency = forms.BooleanField(
        label=_("Emergency access only"),
        required=False,
        help_text=_("Emergency accesses opened by team leads, and every read under them: to review."),
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date cannot be before the start date."))
        return data
