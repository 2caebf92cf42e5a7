import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.agenda.models import AppointmentKind, Channel
from waardewerk.core.forms import DateInput, UtrechtFormMixin


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class TrajectoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.client.sort_name


class _When(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration = forms.IntegerField(label=_("Duration in minutes"), min_value=5, max_value=600, initial=45)
    allow_overlap = forms.BooleanField(label=_("Plan it anyway, despite the overlap"), required=False)

    def starts_at(self) -> dt.datetime | None:
        date, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if date is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(date, time))


class AppointmentForm(_When):
    field_order = [
        "kind",
        "trajectory",
        "date",
        "time",
        "duration",
        "channel",
        "title",
        "place",
        "participants",
    ]

    kind = forms.ChoiceField(label=_("Kind"), choices=AppointmentKind.choices)
    trajectory = TrajectoryChoice(
        label=_("Client"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        empty_label=_("No client"),
        help_text=_("Needed for a conversation or a measurement: one of your open trajectories."),
    )
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices)
    title = forms.CharField(label=_("Subject"), max_length=200, required=False)
    place = forms.CharField(
        label=_("Place or link"),
        max_length=300,
        required=False,
        help_text=_("Not shown in the calendar feed."),
    )
    participants = forms.CharField(label=_("Other participants"), max_length=300, required=False)

    def __init__(self, *args, trajectories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = trajectories

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "trajectory": data.get("trajectory"),
            "starts_at": self.starts_at(),
            "duration": data["duration"],
            "channel": data["channel"],
            "title": data.get("title", ""),
            "place": data.get("place", ""),
            "participants": data.get("participants", ""),
            "allow_overlap": data.get("allow_overlap", False),
        }


class MoveForm(_When):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(),
            "duration": data["duration"],
            "version": data["version"],
            "allow_overlap": data.get("allow_overlap", False),
        }


class DayForm(UtrechtFormMixin, forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput(), required=False)
