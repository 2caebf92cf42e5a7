"""The research export's form: it parses the day; the export itself is ``insights.research``."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.core.limits import EARLIEST_DATE


def check_since(day: dt.date) -> dt.date:
    if day < EARLIEST_DATE or day > timezone.localdate():
        raise ValidationError(_("Give a day between 1 January 1900 and today."), code="since")
    return day


class ResearchExportForm(UtrechtFormMixin, forms.Form):
    since = forms.DateField(
        label=_("Trajectories that ran on or after"),
        widget=DateInput(),
        help_text=_("Trajectories still running, or ended on or after this day."),
    )

    def clean_since(self):
        return check_since(self.cleaned_data["since"])
