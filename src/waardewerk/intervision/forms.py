"""Forms of the intervision pages: they parse input; the services validate the rules and store."""

from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.intervision import services
from waardewerk.intervision.presentation import PARTS, SECTORS
from waardewerk.intervision.pseudonym import as_text
from waardewerk.intervision.review import OUTCOMES


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
    presentation = forms.ModelChoiceField(
        label=_("Case presentation"),
        queryset=None,
        required=False,
        help_text=_("A presentation shared with the group, as the case of this session."),
    )
    core_question = forms.CharField(
        label=_("Core question"), required=False, max_length=services.QUESTION_MAX, widget=forms.Textarea
    )
    choice = forms.CharField(
        label=_("The case owner's choice"),
        required=False,
        max_length=services.CHOICE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, members, phases, presentations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presentation"].queryset = presentations
        self.fields["presentation"].to_field_name = "uuid"
        self.fields["presentation"].label_from_instance = lambda p: as_text(p.content.get("title") or [])
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
    link_to_evaluation = forms.BooleanField(
        label=_("Show this reflection with the evaluation of the trajectory (what I would do differently)"),
        required=False,
    )

    def __init__(self, *args, can_link=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_link:
            del self.fields["link_to_evaluation"]


class PresentationForm(UtrechtFormMixin, forms.Form):
    """A case presentation: which trajectory (new only), the title, the parts, the sector, words to hide."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    trajectory = forms.ModelChoiceField(label=_("Trajectory"), queryset=None, required=False)
    title = forms.CharField(
        label=_("Title"),
        max_length=services.TITLE_MAX,
        help_text=_("A short title without names, for example: back to work after a long absence."),
    )
    parts = forms.MultipleChoiceField(
        label=_("What the group sees"),
        choices=list(PARTS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The question, the age band, the context and the phase are always part of it."),
    )
    sector = forms.ChoiceField(
        label=_("Sector of the employer"),
        required=False,
        choices=[("", "—")] + list(SECTORS.items()),
        help_text=_("Shown instead of the employer's name."),
    )
    extra_terms = forms.CharField(
        label=_("Other words to hide"),
        required=False,
        max_length=services.EXTRA_TERMS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas: names or places the record does not know, such as a marked word."),
    )

    def __init__(self, *args, trajectories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if trajectories is None:
            del self.fields["trajectory"]
        else:
            self.fields["trajectory"].queryset = trajectories
            self.fields["trajectory"].to_field_name = "uuid"
            self.fields["trajectory"].required = True


class ConfirmForm(UtrechtFormMixin, forms.Form):
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReviewStartForm(UtrechtFormMixin, forms.Form):
    trajectory = forms.ModelChoiceField(label=_("Which of my trajectories"), queryset=None)

    def __init__(self, *args, trajectories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].queryset = trajectories
        self.fields["trajectory"].to_field_name = "uuid"


class ReviewForm(UtrechtFormMixin, forms.Form):
    """Per checkpoint the reviewer's verdict and words; where the review is shared."""

    base_version = forms.IntegerField(widget=forms.HiddenInput)
    share_with = forms.ModelChoiceField(
        label=_("Share with"), queryset=None, required=False, empty_label=_("Nobody: only for me")
    )

    def __init__(self, *args, checkpoints, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_with"].queryset = groups
        self.fields["share_with"].to_field_name = "uuid"
        self.checkpoint_fields = []
        for checkpoint in checkpoints:
            verdict, words = f"verdict_{checkpoint.key}", f"words_{checkpoint.key}"
            self.fields[verdict] = forms.ChoiceField(
                label=_("Verdict"), choices=[(k, v) for k, v in OUTCOMES.items()]
            )
            self.fields[words] = forms.CharField(
                label=_("Your words"),
                required=False,
                max_length=services.WORDS_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.checkpoint_fields.append((checkpoint, verdict, words))

    def verdicts(self) -> dict:
        return {c.key: self.cleaned_data.get(v) for c, v, _w in self.checkpoint_fields}

    def words(self) -> dict:
        return {c.key: self.cleaned_data.get(w, "") for c, _v, w in self.checkpoint_fields}
