from django import forms

from waardewerk.core.forms import UtrechtFormMixin


class SignalForm(UtrechtFormMixin, forms.Form):
    """Which signal to mark as handled or to open again (hidden fields of the start page's buttons)."""

    kind = forms.CharField(max_length=40)
    key = forms.CharField(max_length=100)
