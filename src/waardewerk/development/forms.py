"""Forms of the development pages: they parse input; the services validate the rules and store."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core import formats
from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.development import services
from waardewerk.development.models import (
    EVIDENCE_MAX_BYTES,
    REFLECTION_MAX,
    TEXT_MAX,
    ActivityKind,
    GoalStatus,
    Register,
)

HOURS = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 999}


class ActivityForm(UtrechtFormMixin, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *ActivityKind.choices])
    title = forms.CharField(
        label=_("What"),
        max_length=services.TITLE_MAX,
        help_text=_("For example the name of the course or book."),
    )
    provider = forms.CharField(label=_("Provider"), max_length=services.PROVIDER_MAX, required=False)
    pe_id = forms.CharField(
        label=_("PE id"),
        max_length=services.PE_ID_MAX,
        required=False,
        help_text=_("The accreditation number of an accredited course (on the certificate)."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(label=_("Net hours"), **HOURS, help_text=_("Without breaks and travel."))
    points = forms.DecimalField(
        label=_("Points"),
        **HOURS,
        help_text=_("As the register counts them (Registerplein: one per net hour)."),
    )
    registers = forms.MultipleChoiceField(
        label=_("Counts for"),
        choices=Register.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A PDF or an image (PNG or JPEG) of at most %(max)d MB, for example the certificate.")
        % {"max": EVIDENCE_MAX_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    remove_evidence = forms.BooleanField(label=_("Remove the current evidence"), required=False)
    reflection_technical = forms.CharField(
        label=_("Technical-instrumental: what can I do better or differently now?"),
        max_length=REFLECTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reflection_normative = forms.CharField(
        label=_("Normative: which values, rules and interests did this touch?"),
        max_length=REFLECTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reflection_personal = forms.CharField(
        label=_("Personal: what did it ask of me, what did I learn about myself?"),
        max_length=REFLECTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared_with_mentor = forms.BooleanField(label=_("Share with my mentor"), required=False)
    shared_with_lead = forms.BooleanField(label=_("Share with my team lead"), required=False)

    def __init__(self, *args, projected=False, **kwargs):
        super().__init__(*args, **kwargs)
        if projected:
            # A projected intervision session: the session says what, when and how long.
            for name in ("kind", "title", "date", "hours"):
                self.fields[name].required = False
                self.fields[name].disabled = True

    def reflections(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in services.REFLECTIONS}


class GoalForm(UtrechtFormMixin, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Learning goal"), max_length=200)
    description = forms.CharField(
        label=_("What I want to learn and how"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices, initial=GoalStatus.OPEN)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())
    source_activity = forms.ModelChoiceField(
        label=_("From my reflection on an activity"), queryset=None, required=False
    )
    source_experiment = forms.ModelChoiceField(
        label=_("From an intervision experiment"), queryset=None, required=False
    )
    source_evaluation = forms.ModelChoiceField(
        label=_("From the evaluation of a trajectory"), queryset=None, required=False
    )
    source_review = forms.ModelChoiceField(label=_("From a case review"), queryset=None, required=False)
    source_checkpoint = forms.ChoiceField(
        label=_("The checkpoint of that review"),
        required=False,
        help_text=_("A checkpoint that needed attention in the review."),
    )
    shared_with_mentor = forms.BooleanField(label=_("Share with my mentor"), required=False)
    shared_with_lead = forms.BooleanField(label=_("Share with my team lead"), required=False)

    def __init__(self, *args, sources, review_checkpoints=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_activity"].queryset = sources["source_activity"]
        self.fields["source_activity"].label_from_instance = lambda a: f"{formats.day(a.date)} {a.title}"
        self.fields["source_experiment"].queryset = sources["source_experiment"]
        self.fields["source_experiment"].label_from_instance = lambda e: (
            f"{e.session.group.name}, {formats.day(e.session.date)}: {e.description[:80]}"
        )
        self.fields["source_evaluation"].queryset = sources["source_evaluation"]
        self.fields["source_evaluation"].label_from_instance = lambda e: str(e.trajectory.client)
        self.fields["source_review"].queryset = sources["source_review"]
        self.fields["source_review"].label_from_instance = review_label
        self.fields["source_checkpoint"].choices = [("", "—"), *review_checkpoints]
        for name in SOURCES:
            self.fields[name].to_field_name = "uuid"

    def sources(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in SOURCES} | {
            "source_checkpoint": self.cleaned_data.get("source_checkpoint") or ""
        }


SOURCES = ("source_activity", "source_experiment", "source_evaluation", "source_review")


def review_label(review) -> str:
    """A review in the choice of sources, without client data: its date, whose trajectory (own or a
    colleague's presentation) and how many checkpoints needed attention."""
    attention = sum(1 for r in review.result_list if r.get("verdict", r.get("outcome")) == "attention")
    whose = _("a colleague's case") if review.presentation_id else _("my own trajectory")
    return _("Case review of %(date)s, %(whose)s (%(n)d needing attention)") % {
        "date": formats.day(timezone.localtime(review.created_at).date()),
        "whose": whose,
        "n": attention,
    }


class ProgressForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("What I did or noticed"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class MentorshipForm(UtrechtFormMixin, forms.Form):
    mentor = forms.ModelChoiceField(label=_("My mentor"), queryset=None)

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["mentor"].to_field_name = "uuid"
        self.fields["mentor"].label_from_instance = lambda u: u.get_full_name() or u.username


class NotesForm(UtrechtFormMixin, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("Shared notes"),
        max_length=services.NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Your mentor and you both read and write these notes."),
    )


class MeetingForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(
        label=_("What we discussed and agreed"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class ExportForm(UtrechtFormMixin, forms.Form):
    register = forms.ChoiceField(label=_("Register"), choices=[("", "—"), *Register.choices])
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF (to send or keep)")), ("csv", _("CSV (for a spreadsheet)"))],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return data


class RegisterFilterForm(UtrechtFormMixin, forms.Form):
    register = forms.ChoiceField(
        label=_("Register"), choices=[("", _("All registers")), *Register.choices], required=False
    )
