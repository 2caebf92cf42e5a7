"""Forms of the intervision pages: they parse input; the services validate the rules and store."""

from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.intervision import services
from waardewerk.intervision.method import MAX_MINUTES, MAX_PHASES, SPEAKERS
from waardewerk.intervision.models import AttendanceStatus
from waardewerk.intervision.presentation import PARTS, SECTORS
from waardewerk.intervision.pseudonym import as_text
from waardewerk.intervision.review import MAX_CHECKPOINTS, OFF_REASON_MAX, OUTCOMES


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


class AttendanceForm(UtrechtFormMixin, forms.Form):
    """Per member of the group: present, sent apologies or absent."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_fields = []
        for member, status in rows:
            name = f"member_{member.pk}"
            self.fields[name] = forms.ChoiceField(
                label=member.get_full_name() or member.username,
                choices=AttendanceStatus.choices,
                initial=status or AttendanceStatus.PRESENT,
                widget=forms.RadioSelect,
            )
            self.member_fields.append(name)

    def statuses(self) -> dict[int, str]:
        return {int(name.removeprefix("member_")): self.cleaned_data[name] for name in self.member_fields}


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

    focus = forms.ChoiceField(
        label=_("Focus until the next session"),
        required=False,
        help_text=_(
            "The part of the method members apply in their own trajectories until the next session, where "
            "they reflect on it (the learning cycle)."
        ),
    )
    focus_note = forms.CharField(
        label=_("How members apply it"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a guiding principle: which one, in the group's words."),
    )

    def __init__(self, *args, members, phases, presentations, focus_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus"].choices = focus_choices or [("", "—")]
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


# Editing methods and checkpoints (the content editor) -----------------------------------------------------

NOTE_FIELD_MAX = 500
LINES_MAX = 4000


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _texts(nl: str, en: str) -> dict:
    out = {"nl": (nl or "").strip()}
    if (en or "").strip():
        out["en"] = en.strip()
    return out


class ContentNoteMixin(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=NOTE_FIELD_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the version history with your name and the date."),
    )


class MethodForm(UtrechtFormMixin, ContentNoteMixin):
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description_nl = forms.CharField(
        label=_("Description (Dutch)"), max_length=LINES_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        max_length=LINES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sources = forms.CharField(
        label=_("Sources"),
        max_length=LINES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One source per line: where the method comes from."),
    )

    @staticmethod
    def initial_for(version) -> dict:
        d = version.definition
        return {
            "base_version": version.version,
            "title_nl": d["title"].get("nl", ""),
            "title_en": d["title"].get("en", ""),
            "description_nl": d["description"].get("nl", ""),
            "description_en": d["description"].get("en", ""),
            "sources": "\n".join(d["sources"]),
        }

    def head(self) -> dict:
        data = self.cleaned_data
        return {
            "title": _texts(data["title_nl"], data["title_en"]),
            "description": _texts(data["description_nl"], data["description_en"]),
            "sources": _lines(data["sources"]),
        }


class PhaseForm(UtrechtFormMixin, forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens; the notes of a record are kept per key."),
    )
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    # An empty first choice: the empty row for a new phase stays unchanged (and is skipped) until filled in.
    speaker = forms.ChoiceField(label=_("Who speaks"), choices=[("", "—"), *SPEAKERS.items()])
    minutes = forms.IntegerField(label=_("Timebox in minutes"), min_value=1, max_value=MAX_MINUTES)
    rules_nl = forms.CharField(
        label=_("Rules (Dutch)"),
        max_length=LINES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One rule per line."),
    )
    rules_en = forms.CharField(
        label=_("Rules (English)"),
        max_length=LINES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One rule per line, in the same order as the Dutch ones."),
    )
    produces_nl = forms.CharField(label=_("What the phase produces (Dutch)"), max_length=1000)
    produces_en = forms.CharField(
        label=_("What the phase produces (English)"), max_length=1000, required=False
    )

    def clean(self):
        data = super().clean()
        nl, en = _lines(data.get("rules_nl", "")), _lines(data.get("rules_en", ""))
        if en and len(en) != len(nl):
            self.add_error(
                "rules_en", _("Give as many English rules as Dutch ones (%(n)d), or none.") % {"n": len(nl)}
            )
        return data

    @staticmethod
    def initial_for(phase: dict) -> dict:
        rules = phase.get("rules") or []
        return {
            "key": phase["key"],
            "title_nl": phase["title"].get("nl", ""),
            "title_en": phase["title"].get("en", ""),
            "speaker": phase["speaker"],
            "minutes": phase["minutes"],
            "rules_nl": "\n".join(r.get("nl", "") for r in rules),
            "rules_en": "\n".join(r.get("en", "") for r in rules) if all(r.get("en") for r in rules) else "",
            "produces_nl": phase["produces"].get("nl", ""),
            "produces_en": phase["produces"].get("en", ""),
        }

    def phase(self) -> dict:
        data = self.cleaned_data
        nl, en = _lines(data["rules_nl"]), _lines(data["rules_en"])
        return {
            "key": data["key"],
            "title": _texts(data["title_nl"], data["title_en"]),
            "speaker": data["speaker"],
            "minutes": data["minutes"],
            "rules": [_texts(text, en[i] if en else "") for i, text in enumerate(nl)],
            "produces": _texts(data["produces_nl"], data["produces_en"]),
        }


class PhaseFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        kept = self.phases()
        if not kept:
            raise forms.ValidationError(_("Keep at least one phase."))
        keys = [p["key"] for p in kept]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(_("Each phase needs its own key."))

    def phases(self) -> list[dict]:
        """The phases kept, in the order given (the "Order" numbers; rows without one keep their place)."""
        rows = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if (
                not data
                or data.get("DELETE")
                or not form.has_changed()
                and index >= self.initial_form_count()
            ):
                continue
            order = data.get("ORDER")
            rows.append((order if order is not None else index + 1, index, form.phase()))
        return [phase for _order, _index, phase in sorted(rows, key=lambda r: (r[0], r[1]))]


MethodPhaseFormSet = forms.formset_factory(
    PhaseForm,
    formset=PhaseFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=MAX_PHASES,
    absolute_max=MAX_PHASES + 1,
    validate_max=True,
)


class CheckpointForm(UtrechtFormMixin, forms.Form):
    """One checkpoint's wording and whether it is switched off (with the reason)."""

    key = forms.CharField(widget=forms.HiddenInput)
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    explanation_nl = forms.CharField(
        label=_("Explanation (Dutch)"), max_length=LINES_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    explanation_en = forms.CharField(
        label=_("Explanation (English)"),
        max_length=LINES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    off = forms.BooleanField(label=_("Switched off: reviews do not answer this checkpoint"), required=False)
    off_reason = forms.CharField(label=_("Why it is switched off"), max_length=OFF_REASON_MAX, required=False)

    def clean(self):
        data = super().clean()
        if data.get("off") and not (data.get("off_reason") or "").strip():
            self.add_error("off_reason", _("Say why the checkpoint is switched off."))
        return data

    @staticmethod
    def initial_for(checkpoint: dict) -> dict:
        return {
            "key": checkpoint["key"],
            "title_nl": checkpoint["title"].get("nl", ""),
            "title_en": checkpoint["title"].get("en", ""),
            "explanation_nl": checkpoint["explanation"].get("nl", ""),
            "explanation_en": checkpoint["explanation"].get("en", ""),
            "off": bool(checkpoint.get("off")),
            "off_reason": checkpoint.get("off", ""),
        }

    def wording(self) -> dict:
        data = self.cleaned_data
        out = {
            "title": _texts(data["title_nl"], data["title_en"]),
            "explanation": _texts(data["explanation_nl"], data["explanation_en"]),
        }
        if data.get("off"):
            out["off"] = data["off_reason"].strip()
        return out


CheckpointFormSet = forms.formset_factory(
    CheckpointForm, extra=0, max_num=MAX_CHECKPOINTS, absolute_max=MAX_CHECKPOINTS, validate_max=True
)


class CheckpointsForm(UtrechtFormMixin, ContentNoteMixin):
    """The note and base version of a checkpoints edit (the checkpoints are ``CheckpointFormSet``)."""


class ContentImportForm(UtrechtFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (YAML or JSON)"),
        help_text=_("A file exported from this page and changed; it becomes the next version."),
    )
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=NOTE_FIELD_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
