"""Forms of the matching pages: they parse input; the services validate the rules and store."""

from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, PlainSelect, UtrechtFormMixin
from waardewerk.core.limits import DateRangeValidator
from waardewerk.matching import functional, occupations
from waardewerk.matching.models import (
    AVAILABILITY_NOTE_MAX,
    EMPLOYER_NOTE_MAX,
    NAME_MAX,
    NOTE_MAX,
    NOTES_MAX,
    REASON_MAX,
    STRENGTHS_MAX,
    SUPPORT_MAX,
    TRAVEL_KM_MAX,
    CompanySize,
    Contract,
    DayPart,
    Decision,
    Track,
    TravelMeans,
    Weekday,
    latest_available_from,
)

SCORES = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]


class EmployerForm(UtrechtFormMixin, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=20,
        help_text=_("The 8 digits of the registration at the Chamber of Commerce (KvK)."),
    )
    sector = forms.CharField(label=_("Sector"), max_length=100, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=[("", "—"), *CompanySize.choices], required=False)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    notes = forms.CharField(
        label=_("Notes of the employer services"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("About the employer, never about clients."),
    )


class ContactForm(UtrechtFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    function = forms.CharField(label=_("Function"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)


class JobForm(UtrechtFormMixin, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Job title"), max_length=NAME_MAX)
    occupation = forms.ChoiceField(
        label=_("Occupation"),
        help_text=_("The occupational group in the CBS classification BRC 2014."),
    )
    hours = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60, required=False)
    contract = forms.ChoiceField(label=_("Contract"), choices=[("", "—"), *Contract.choices], required=False)
    city = forms.CharField(label=_("Place"), max_length=100, required=False)
    requirements = forms.CharField(
        label=_("Requirements"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In words: what the work asks (skills, physical demands, working hours)."),
    )
    is_open = forms.BooleanField(label=_("The job is open"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = [("", "—"), *occupations.choices()]
        # Optional functional demands in words, one field per FML section (``fd_<key>``).
        for section in functional.sections():
            self.fields[f"fd_{section['key']}"] = forms.CharField(
                label=section["name"],
                max_length=functional.DEMAND_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=section["hint"],
            )

    def demand_fields(self):
        return [self[f"fd_{key}"] for key in functional.keys()]

    def job_data(self) -> dict:
        """The cleaned data for the service, the demands gathered under ``functional_demands``."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("fd_")}
        data["functional_demands"] = {
            key: self.cleaned_data.get(f"fd_{key}", "") for key in functional.keys()
        }
        return data


class ProfileForm(UtrechtFormMixin, forms.Form):
    """A value profile: per work value of the matching instrument a score 1-5, or none."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, titles: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in titles.items():
            self.fields[key] = forms.ChoiceField(
                label=title,
                choices=[("", _("not scored")), *SCORES],
                required=False,
                widget=forms.RadioSelect,
            )
        self.keys = list(titles)

    def scores(self) -> dict:
        return {key: int(self.cleaned_data[key]) if self.cleaned_data.get(key) else None for key in self.keys}


class DecisionForm(UtrechtFormMixin, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this job does or does not fit now. The client sees the reason of a proposal."),
        error_messages={"required": _("Give the reason for the decision.")},
    )


class SearchForm(UtrechtFormMixin, forms.Form):
    q = forms.CharField(label=_("Name or KvK number"), max_length=100, required=False)


class PlacementForm(UtrechtFormMixin, forms.Form):
    job = forms.ChoiceField(label=_("Job"))
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    contract = forms.ChoiceField(label=_("Contract"), choices=[("", "—"), *Contract.choices], required=False)
    hours = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60, required=False)
    support = forms.CharField(
        label=_("Support"),
        max_length=SUPPORT_MAX,
        required=False,
        help_text=_("For example: a jobcoach for the first six months."),
    )
    wage_subsidy = forms.BooleanField(label=_("Wage-cost subsidy"), required=False)
    no_risk_policy = forms.BooleanField(label=_("No-risk policy"), required=False)

    def __init__(self, *args, jobs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = [("", "—")] + [
            (str(j.uuid), f"{j.title}, {j.employer.name}") for j in jobs
        ]


YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SATISFACTION = [("", "—"), *SCORES]


class FollowUpForm(UtrechtFormMixin, forms.Form):
    done_on = forms.DateField(label=_("Date of the follow-up"), widget=DateInput())
    still_working = forms.ChoiceField(
        label=_("Does the client still work there?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the client still works there.")},
    )
    hours = forms.IntegerField(label=_("Hours per week now"), min_value=0, max_value=60, required=False)
    client_satisfaction = forms.ChoiceField(
        label=_("Client's satisfaction (1-5)"), choices=SATISFACTION, required=False
    )
    employer_satisfaction = forms.ChoiceField(
        label=_("Employer's satisfaction (1-5)"), choices=SATISFACTION, required=False
    )
    note = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "done_on": data["done_on"],
            "still_working": data["still_working"] == "yes",
            "hours": data["hours"],
            "client_satisfaction": int(data["client_satisfaction"]) if data["client_satisfaction"] else None,
            "employer_satisfaction": int(data["employer_satisfaction"])
            if data["employer_satisfaction"]
            else None,
            "note": data["note"],
        }


# The employer's one-time link (B1 Dutch, phone size) -------------------------------------------------------

EMPLOYER_SCORES = [
    ("1", _("1 · not at all")),
    ("2", _("2 · hardly")),
    ("3", _("3 · somewhat")),
    ("4", _("4 · yes")),
    ("5", _("5 · very much")),
]


class EmployerProfileForm(UtrechtFormMixin, forms.Form):
    """The employer fills in the job's value profile through its link: every work value, and its name."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        help_text=_("So the professional knows who filled this in."),
        error_messages={"required": _("Fill in your name.")},
    )

    def __init__(self, *args, titles: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in titles.items():
            self.fields[key] = forms.ChoiceField(
                label=title,
                choices=EMPLOYER_SCORES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a number from 1 to 5.")},
            )
        self.keys = list(titles)

    def scores(self) -> dict:
        return {key: int(self.cleaned_data[key]) for key in self.keys}


class EmployerAnswerForm(UtrechtFormMixin, forms.Form):
    """The employer's answer about a candidate profile shared with it."""

    response = forms.ChoiceField(
        label=_("Do you want to meet this candidate?"),
        choices=[("interested", _("Yes, I am interested")), ("not_interested", _("No, not now"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    note = forms.CharField(
        label=_("Do you want to say something about it?"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EmployerNoteForm(UtrechtFormMixin, forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    contact = forms.ChoiceField(label=_("With"), required=False)
    text = forms.CharField(
        label=_("Note"),
        max_length=EMPLOYER_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("About the employer, never about clients."),
        error_messages={"required": _("Write the note.")},
    )

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", "—"), *((str(c.uuid), c.name) for c in contacts)]


class TrajectoryEmployerForm(UtrechtFormMixin, forms.Form):
    employer = forms.ChoiceField(label=_("Employer"), required=False, widget=PlainSelect)
    track = forms.ChoiceField(
        label=_("Track"), choices=Track.choices, required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, employers=(), **kwargs):
        """``employers``: the employers to choose from, as objects or as (public id, name) pairs."""
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [
            ("", _("none")),
            *((str(e[0]), e[1]) if isinstance(e, tuple) else (str(e.uuid), e.name) for e in employers),
        ]


CANDIDATE_FIELDS = (
    "hours_per_week",
    "days",
    "day_parts",
    "available_from",
    "travel_km",
    "travel_means",
    "availability_note",
    "strengths",
)


class CandidateProfileForm(UtrechtFormMixin, forms.Form):
    """The client's availability and strengths, as the professional records them with the client (the
    portal's form, ``portal.forms.AvailabilityForm``, asks the same in the client's words)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), min_value=1, max_value=60, required=False)
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=Weekday.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    day_parts = forms.MultipleChoiceField(
        label=_("Parts of the day"),
        choices=DayPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available_from = forms.DateField(
        label=_("Available from"),
        required=False,
        widget=DateInput(),
        validators=[DateRangeValidator(latest=latest_available_from)],
    )
    travel_km = forms.IntegerField(
        label=_("Travels at most (km, one way)"), min_value=0, max_value=TRAVEL_KM_MAX, required=False
    )
    travel_means = forms.MultipleChoiceField(
        label=_("Travels by"),
        choices=TravelMeans.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability_note = forms.CharField(
        label=_("More about availability"),
        max_length=AVAILABILITY_NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: not during school holidays; building up from 12 hours."),
    )
    strengths = forms.CharField(
        label=_("Strengths in the client's own words"),
        max_length=STRENGTHS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Write down what the client says, in their words. This goes to an employer with the candidate "
            "profile: nothing about health."
        ),
    )

    @staticmethod
    def initial_from(profile) -> dict:
        """The form's initial values from the stored profile (None: nothing recorded yet)."""
        if profile is None:
            return {}
        return {
            "base_version": profile.version,
            **{name: getattr(profile, name) for name in CANDIDATE_FIELDS},
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("base_version", None)
        return data
