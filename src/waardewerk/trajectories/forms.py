from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.trajectories import policies
from waardewerk.trajectories.models import (
    ActionOwner,
    AgreementMethod,
    AssignmentKind,
    Context,
    ContractType,
    ConversationMode,
    EndReason,
    Participant,
    Phase,
    Prompt,
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
    goal_key = forms.ChoiceField(label=_("For the goal"), required=False, choices=())

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_key"].choices = [("", _("No goal in particular"))] + [
            (goal.key, goal.text[:80]) for goal in goals
        ]


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

    def __init__(self, *args, professionals, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = professionals
        self.fields["starts_on"].initial = timezone.localdate()
        _explain_yourself(self, "user", actor)


class TransferForm(UtrechtFormMixin, forms.Form):
    responsible = forms.ModelChoiceField(label=_("New responsible professional"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, professionals, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = professionals
        _explain_yourself(self, "responsible", actor)


def _explain_yourself(form, field: str, actor) -> None:
    """The staffing forms do not offer the actor themselves (``policies.staffing_candidates``); a request
    that names them anyway gets the reason instead of "not one of the available choices"."""
    if actor is not None and form.data.get(form.add_prefix(field)) == str(actor.pk):
        form.fields[field].error_messages["invalid_choice"] = policies.refusal_to_give_yourself_access()


class EmergencyAccessForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this dossier now?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required. The responsible professional, the client and the functional administrator read it."
        ),
    )


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


# The methodical cycle ----------------------------------------------------------------------------------

AGREEMENT_ROWS = 3


class ConversationRecordForm(UtrechtFormMixin, forms.Form):
    """A conversation with who took part, the guide topics covered, notes and agreements (which become
    actions). The topics are the conversation guide's, offered by the view."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Form"), choices=ConversationMode.choices)
    participants = forms.MultipleChoiceField(
        label=_("Who took part"),
        choices=Participant.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Participant.CLIENT, Participant.PROFESSIONAL],
        required=False,
        help_text=_("Nobody ticked means the client and you."),
    )
    other_participants = forms.CharField(
        label=_("Employer contact or others (names or roles)"), required=False, max_length=200
    )
    topics = forms.MultipleChoiceField(
        label=_("Guide topics covered"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    summary = forms.CharField(
        label=_("Notes"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the client said matters, in their words where you can; what you observed."),
    )

    def __init__(self, *args, topic_choices=(), owner_choices=ActionOwner.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["topics"].choices = list(topic_choices)
        for index in range(AGREEMENT_ROWS):
            self.fields[f"agreement-{index}-description"] = forms.CharField(
                label=_("Agreement %(n)d") % {"n": index + 1}, required=False, max_length=300
            )
            self.fields[f"agreement-{index}-owner"] = forms.ChoiceField(
                label=_("Who"), required=False, choices=owner_choices
            )
            self.fields[f"agreement-{index}-due_date"] = forms.DateField(
                label=_("Due date"), required=False, widget=DateInput()
            )

    def agreement_rows(self):
        return [
            (
                self[f"agreement-{i}-description"],
                self[f"agreement-{i}-owner"],
                self[f"agreement-{i}-due_date"],
            )
            for i in range(AGREEMENT_ROWS)
        ]

    def agreements(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "description": data.get(f"agreement-{i}-description", ""),
                "owner": data.get(f"agreement-{i}-owner", ""),
                "due_date": data.get(f"agreement-{i}-due_date"),
            }
            for i in range(AGREEMENT_ROWS)
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "mode": data["mode"],
            "participants": data["participants"],
            "other_participants": data.get("other_participants", ""),
            "topics": data.get("topics", []),
            "summary": data["summary"],
            "agreements": self.agreements(),
        }


class PlanAgreementForm(UtrechtFormMixin, forms.Form):
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=AgreementMethod.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example what the client wanted to add or change."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


class ProgressNoteForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("Progress note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class AdjustmentForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    prompted_by = forms.ChoiceField(
        label=_("What prompted it"), choices=Prompt.choices, widget=forms.RadioSelect
    )
    measurement = forms.ModelChoiceField(label=_("Which measurement"), queryset=None, required=False)
    conversation = forms.ModelChoiceField(label=_("Which conversation"), queryset=None, required=False)
    event = forms.CharField(
        label=_("What happened"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Why change course"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    change = forms.CharField(
        label=_("The change of course"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you and the client will do differently from now on. Change the plan too if needed."
        ),
    )

    def __init__(self, *args, measurements, conversations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["measurement"].queryset = measurements
        self.fields["conversation"].queryset = conversations


class EvaluationForm(UtrechtFormMixin, forms.Form):
    YES_NO = [("", _("Not known yet")), ("yes", _("Yes")), ("no", _("No"))]

    work = forms.ChoiceField(label=_("Does the client have (paid) work?"), choices=YES_NO, required=False)
    employer = forms.CharField(label=_("Employer"), required=False, max_length=200)
    job_title = forms.CharField(label=_("Function"), required=False, max_length=200)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False, min_value=1, max_value=80)
    contract_type = forms.ChoiceField(label=_("Contract"), choices=ContractType.choices, required=False)
    with_support = forms.ChoiceField(label=_("With support at work?"), choices=YES_NO, required=False)
    support = forms.CharField(
        label=_("Which support"),
        required=False,
        max_length=300,
        help_text=_("For example a jobcoach, wage cost subsidy or an adapted workplace."),
    )
    ladder_rung = forms.TypedChoiceField(
        label=_("Participation ladder rung now"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not known yet"))] + [(str(n), str(n)) for n in range(1, 7)],
    )
    client_evaluation = forms.CharField(
        label=_("The client's own evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the client's words: what did this trajectory bring, what was missing?"),
    )
    what_worked = forms.CharField(
        label=_("What worked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    do_differently = forms.CharField(
        label=_("What would I do differently"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    missed_chances = forms.CharField(
        label=_("Which chances did I leave"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Look back precisely: values, strengths, people or options that were not used."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("work", "with_support"):
            data[name] = {"yes": True, "no": False}.get(data.get(name) or "", None)
        return data
