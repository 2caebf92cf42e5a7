"""Forms of the intervision pages: they parse input; the services validate the rules and store."""

from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.intervision import services


class GroupForm(UtrechtFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=services.NAME_MAX)
    schedule = forms.CharField(
        label=_("Schedule"),
        max_length=services.SCHEDULE_MAX,
        required=False,
        help_text=_("For example: every six weeks on Tuesday afternoon."),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = eligible
        self.fields["members"].label_from_instance = lambda u: u.get_full_name() or u.username


class SessionForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"))
    facilitator = forms.ModelChoiceField(label=_("Facilitator"), queryset=None)
    case_owner = forms.ModelChoiceField(label=_("Case owner"), queryset=None, required=False)

    def __init__(self, *args, members, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [("", "—")] + [(m.key, m.title) for m in methods]
        for name in ("facilitator", "case_owner"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda u: u.get_full_name() or u.username


class RecordForm(UtrechtFormMixin, forms.Form):
    """The session record: the core question, one notes field per phase of the method, the choice."""

    base_version = forms.IntegerField(widget=forms.HiddenInput)
    case_owner = forms.ModelChoiceField(label=_("Case owner"), queryset=None, required=False)
    core_question = forms.CharField(
        label=_("Core question"), required=False, max_length=services.QUESTION_MAX, widget=forms.Textarea
    )
    choice = forms.CharField(
        label=_("The case owner's choice"),
        required=False,
        max_length=services.CHOICE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, members, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_owner"].queryset = members
        self.fields["case_owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.phase_fields = []
        for phase in phases:
            name = f"notes_{phase.key}"
            self.fields[name] = forms.CharField(
                label=phase.title,
                required=False,
                max_length=services.NOTE_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=phase.produces,
            )
            self.phase_fields.append((phase, name))

    def notes(self) -> dict[str, str]:
        return {phase.key: self.cleaned_data.get(name, "") for phase, name in self.phase_fields}


class ExperimentForm(UtrechtFormMixin, forms.Form):
    description = forms.CharField(
        label=_("What I will try"),
        max_length=services.EXPERIMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    trajectory = forms.ModelChoiceField(label=_("In which of my trajectories"), queryset=None, required=False)
    until = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args, trajectories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = trajectories
        self.fields["trajectory"].to_field_name = "uuid"


class ReflectionForm(UtrechtFormMixin, forms.Form):
    what_happened = forms.CharField(
        label=_("What happened"), max_length=services.REFLECTION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    learned = forms.CharField(
        label=_("What I learned"),
        max_length=services.REFLECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
