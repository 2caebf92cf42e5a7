from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.accounts.actor import SCOPES
from waardewerk.api.models import Event
from waardewerk.core.forms import DateInput, UtrechtFormMixin


class ApplicationForm(UtrechtFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the application may read or do, within your organisation."),
    )
    expires_on = forms.DateField(label=_("Valid until"), widget=DateInput)


class SubscriptionForm(UtrechtFormMixin, forms.Form):
    event = forms.ChoiceField(label=_("Event"), choices=Event.choices)
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the notification is sent."),
    )
