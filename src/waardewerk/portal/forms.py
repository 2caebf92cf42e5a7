from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.clients.models import ConsentKind
from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.portal.models import Channel, Satisfaction


class CodeForm(UtrechtFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=12,
        help_text=_("6 digits. You find the code in the message we just sent you."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class GoalProposalForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your goal, in your own words"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: In half a year I work 16 hours a week with people."),
    )
    goal_key = forms.CharField(required=False, widget=forms.HiddenInput())


class PreferenceForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField(
        label=_("What do you want? Write it in your own words."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: I want to start with two mornings a week, not three."),
        error_messages={"required": _("Write what you want, in your own words.")},
    )


class JobResponseForm(UtrechtFormMixin, forms.Form):
    """The client's answer to a job the professional proposed (docs/matching.md)."""

    response = forms.ChoiceField(
        label=_("Does this job interest you?"),
        choices=[("interested", _("Yes, I want to know more")), ("not_interested", _("No, not for me"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    note = forms.CharField(
        label=_("Do you want to say something about it?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    share = forms.BooleanField(
        label=_("My professional may send my profile to this employer."),
        required=False,
        help_text=_(
            "Your profile: what you find important in work, your hours and when you can start. Never "
            "anything about your health. You can withdraw this at any time on the Consent page."
        ),
    )


class ConsentGiveForm(forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices)


class InviteForm(UtrechtFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("Send the link by"), choices=Channel.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, sms: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sms:
            self.fields["channel"].choices = [(Channel.EMAIL, Channel.EMAIL.label)]
        self.fields["channel"].initial = Channel.EMAIL


class QuestionnaireRequestForm(UtrechtFormMixin, forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"))

    def __init__(self, *args, instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = list(instruments)


class AcceptProposalForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField(
        label=_("The goal as it goes into the plan"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The client's words. Change them only as agreed with the client."),
    )


class DeclineProposalForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why not (the client reads this)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Short and in plain words."),
    )


class StaffConsentForm(UtrechtFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Consent for"), choices=ConsentKind.choices)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional: the last day the consent counts, for example as the signed form says."),
    )


class ClientEvaluationForm(UtrechtFormMixin, forms.Form):
    """The client's own evaluation: every part optional (the service asks for at least one)."""

    went_well = forms.CharField(
        label=_("What went well?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: what helped you, or what you are proud of."),
    )
    was_hard = forms.CharField(
        label=_("What was hard?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: what did not help, or what you missed."),
    )
    advice = forms.CharField(
        label=_("What would you tell someone who is just starting?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the help you got?"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the answers.")},
    )
