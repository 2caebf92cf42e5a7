from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.trajectories.models import (
    ActionOwner,
    AssignmentKind,
    Context,
    ConversationMode,
    EndReason,
    Phase,
)


class TrajectoryStartForm(UtrechtFormMixin, forms.Form):
    context = forms.ChoiceField(label=_("Context"), choices=[("", _("Choose…"))] + Context.choices)
    responsible = forms.ModelChoiceField(label=_("Responsible professional"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    question = forms.CharField(
        label=_("Question or assignment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the client's words where you can: what does the client want to achieve?"),
    )

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = professionals
        self.fields["start_date"].initial = timezone.localdate()


class PhaseChangeForm(UtrechtFormMixin, forms.Form):
    to_phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Briefly: why this step now?"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(UtrechtFormMixin, forms.Form):
    end_reason = forms.ChoiceField(label=_("End reason"), choices=[("", _("Choose…"))] + EndReason.choices)
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is 'Other'."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConversationForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Form"), choices=ConversationMode.choices)
    summary = forms.CharField(label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ActionForm(UtrechtFormMixin, forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ChoiceField(label=_("Who"), choices=ActionOwner.choices)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())


class CaseloadFilterForm(UtrechtFormMixin, forms.Form):
    show_optional = False  # every filter is optional; the label needs no "(optional)"
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases"))] + Phase.choices
    )
    context = forms.ChoiceField(
        label=_("Context"), required=False, choices=[("", _("All contexts"))] + Context.choices
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("next_action", _("Next action")),
            ("last_contact", _("Last contact")),
            ("phase", _("Phase")),
            ("start", _("Start date (newest first)")),
            ("measurement", _("Next measurement")),
        ],
    )
    measurement = forms.ChoiceField(
        label=_("Measurements"),
        required=False,
        choices=[("", _("All")), ("overdue", _("Measurement overdue"))],
    )


class AssignmentForm(UtrechtFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Colleague"), queryset=None)
    kind = forms.ChoiceField(label=_("As"), choices=AssignmentKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for an assignment without an end date."),
    )

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = professionals
        self.fields["starts_on"].initial = timezone.localdate()


class TransferForm(UtrechtFormMixin, forms.Form):
    responsible = forms.ModelChoiceField(label=_("New responsible professional"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = professionals


class TeamFilterForm(UtrechtFormMixin, forms.Form):
    show_optional = False
    professional = forms.ModelChoiceField(
        label=_("Professional"), required=False, queryset=None, empty_label=_("All professionals")
    )
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases"))] + Phase.choices
    )
    context = forms.ChoiceField(
        label=_("Context"), required=False, choices=[("", _("All contexts"))] + Context.choices
    )

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals
