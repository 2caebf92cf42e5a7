from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.clients.models import ConsentKind
from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.matching.forms import CandidateProfileForm
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
            "Your profile: what you find important in work, when you can work, how far you want to travel "
            "and what you are good at, in your own words. Never anything about your health. You can "
            "withdraw this at any time on the Consent page."
        ),
    )


class AvailabilityForm(CandidateProfileForm):
    """The client's availability and strengths in their own words (docs/matching.md): the professional's
    form, asked in the client's words (B1, "u")."""

    WORDS = {
        "hours_per_week": (_("How many hours a week do you want to work?"), ""),
        "days": (_("On which days can you work?"), ""),
        "day_parts": (_("At what time of the day can you work?"), ""),
        "available_from": (
            _("From what date can you start?"),
            _("Do you not know yet? Then leave it empty."),
        ),
        "travel_km": (
            _("How far do you want to travel to your work? In kilometres, one way."),
            "",
        ),
        "travel_means": (_("How do you get to your work?"), ""),
        "availability_note": (
            _("Do you want to say more about when you can work?"),
            _("For example: not in the school holidays. Or: first 12 hours, later more."),
        ),
        "strengths": (
            _("What are you good at?"),
            _(
                "Write it in your own words. For example: what others say you do well. Do not write anything "
                "about your health here. An employer only sees this when you say yes to it."
            ),
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, help_text) in self.WORDS.items():
            field = self.fields[name]
            field.label, field.help_text = label, help_text
            if help_text:
                field.widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-help"
            else:
                field.widget.attrs.pop("aria-describedby", None)
        self.fields["hours_per_week"].error_messages |= {
            "invalid": _("Write a number of hours, for example 16."),
            "min_value": _("Write a number of hours from 1 to 60."),
            "max_value": _("Write a number of hours from 1 to 60."),
        }
        self.fields["travel_km"].error_messages |= {
            "invalid": _("Write a number of kilometres, for example 10."),
            "min_value": _("Write a number of kilometres from 0 to 200."),
            "max_value": _("Write a number of kilometres from 0 to 200."),
        }
        self.fields["available_from"].error_messages |= {
            "invalid": _("Write a date, for example 1-3-2027."),
        }


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
