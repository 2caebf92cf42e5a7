"""The topic editor: both languages side by side, one question per line, the version the editor saw."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import UtrechtFormMixin
from waardewerk.instruments.selectors import catalogue
from waardewerk.knowledge.guide import Guide
from waardewerk.knowledge.models import EntryKind, Recognition
from waardewerk.trajectories.models import Context

CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"


KNOWLEDGE_SOURCE_LABELS = {
    "client": _("Knowledge of the client"),
    "expertise": _("Professional expertise"),
    "research": _("Research"),
}


class TopicForm(UtrechtFormMixin, forms.Form):
    title_nl = forms.CharField(
        label=_("Title (Dutch)"),
        max_length=200,
        error_messages={"required": _("Give the topic a Dutch title.")},
    )
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=200,
        required=False,
        help_text=_("Empty: the Dutch title is shown."),
    )
    why_nl = forms.CharField(
        label=_("Why this topic matters (Dutch)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say (in Dutch) why this topic matters.")},
    )
    why_en = forms.CharField(
        label=_("Why this topic matters (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    questions_nl = forms.CharField(
        label=_("Questions (Dutch)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One question per line."),
        error_messages={"required": _("Write at least one question (one per line).")},
    )
    questions_en = forms.CharField(
        label=_("Questions (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The translation of each question on the same line as the Dutch one; "
            "an empty line shows the Dutch question."
        ),
    )
    audiences = forms.MultipleChoiceField(
        label=_("For whom"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Professionals see the topic in conversations with these clients."),
        error_messages={"required": _("Choose at least one audience.")},
    )
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Instruments that help with this topic; they are linked from the guide."),
    )
    knowledge_source = forms.ChoiceField(
        label=_("Kind of knowledge"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Where the topic mainly draws on: the client's own knowledge, professional expertise or research."
        ),
    )
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the version history, so colleagues understand the change."),
        error_messages={"required": _("Say what you changed and why; it is shown in the version history.")},
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, guide: Guide, instruments: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audiences"].choices = guide.audiences()
        self.fields["instruments"].choices = instruments
        self.fields["knowledge_source"].choices = [("", _("Not specified")), *KNOWLEDGE_SOURCE_LABELS.items()]
        for name in ("audiences", "instruments"):
            # A group of checkboxes: the fieldset carries the description; each box its component class.
            attrs = self.fields[name].widget.attrs
            attrs["class"] = CHECKBOX
            attrs.pop("aria-required", None)
            attrs.pop("aria-describedby", None)
        self.fields["knowledge_source"].widget.attrs.pop("aria-describedby", None)

    @staticmethod
    def initial_for(topic: dict, base_version: int, guide: Guide) -> dict:
        """The form's initial values from a stored topic (both languages)."""
        questions = topic.get("questions") or []
        return {
            "title_nl": topic["title"].get("nl", ""),
            "title_en": topic["title"].get("en", ""),
            "why_nl": (topic.get("why") or {}).get("nl", ""),
            "why_en": (topic.get("why") or {}).get("en", ""),
            "questions_nl": "\n".join(q.get("nl", "") for q in questions),
            "questions_en": "\n".join(q.get("en", "") for q in questions).rstrip("\n"),
            "audiences": topic.get("audiences") or guide.audience_keys,
            "instruments": topic.get("instruments") or [],
            "knowledge_source": topic.get("knowledge_source") or "",
            "base_version": base_version,
        }

    def service_arguments(self) -> dict:
        """What the services take, from the posted data (also when a field is invalid: nothing is lost)."""
        data = self.data
        return {
            "title_nl": data.get("title_nl", ""),
            "title_en": data.get("title_en", ""),
            "why_nl": data.get("why_nl", ""),
            "why_en": data.get("why_en", ""),
            "questions_nl": data.get("questions_nl", "").splitlines(),
            "questions_en": data.get("questions_en", "").splitlines(),
            "audiences": data.getlist("audiences"),
            "instruments": data.getlist("instruments"),
            "knowledge_source": data.get("knowledge_source", ""),
            "note": data.get("note", ""),
        }


class NoteForm(UtrechtFormMixin, forms.Form):
    """Removing a topic: why, and the version the administrator saw."""

    note = forms.CharField(
        label=_("Why is the topic removed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the version history. Conversations already recorded keep the topic."),
        error_messages={"required": _("Say what you changed and why; it is shown in the version history.")},
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput)


def instrument_choices(current: list[str] | None = None) -> list[tuple[str, str]]:
    """(key, title) of the loaded instruments, plus keys the topic names that are not loaded (one query)."""

    choices = [(instrument.key, definition.title) for instrument, definition in catalogue()]
    known = {key for key, _label in choices}
    return choices + [(key, key) for key in current or [] if key not in known]


def source_label(key: str) -> str:
    return str(KNOWLEDGE_SOURCE_LABELS.get(key, ""))


# The knowledge base -----------------------------------------------------------------------------------------

TEXT = forms.Textarea(attrs={"rows": 3})
ENTRY_TEXT_MAX = 5000


def _text_field(label, required=False, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=ENTRY_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class EntryForm(UtrechtFormMixin, forms.Form):
    """An entry's fields in the active language (the other language is kept). The knowledge editor also
    sets the kind and the recognition; a professional's proposal is a local practice method, not
    assessed."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Give the entry a name.")}
    )
    owner = forms.CharField(label=_("Owner or licence holder"), required=False, max_length=500)
    summary = _text_field(_("Summary"), required=True)
    target_final = _text_field(_("Target group (final)"), required=True, rows=2)
    target_intermediate = _text_field(
        _("Intermediate target group"),
        rows=2,
        help_text=_("Who carries it out, when that is a group of its own."),
    )
    goal = _text_field(_("Goal"), required=True, rows=2)
    approach = _text_field(_("Approach"), required=True, rows=4)
    working_elements = _text_field(_("Working elements"))
    materials = _text_field(_("Materials"), rows=2)
    training = _text_field(_("Training"), rows=2)
    costs = _text_field(_("Costs"), rows=2)
    work_values = forms.MultipleChoiceField(
        label=_("Work values it aims at"), required=False, widget=forms.CheckboxSelectMultiple
    )
    determinants = forms.MultipleChoiceField(
        label=_("Determinants it aims at"), required=False, widget=forms.CheckboxSelectMultiple
    )
    contexts = forms.MultipleChoiceField(
        label=_("Contexts it fits"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Context.choices,
    )
    contraindications = _text_field(_("Contraindications"))
    references = forms.CharField(
        label=_("References"),
        required=False,
        max_length=ENTRY_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: the citation, then a vertical bar and its DOI or web address when it has one. "
            "Cite only sources that say what the entry claims."
        ),
    )
    note = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=500,
        help_text=_("Shown in the version history."),
    )

    # The editor's fields; removed for a professional's proposal.
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices)
    level = forms.ChoiceField(label=_("Recognition"), choices=Recognition.choices)
    body = forms.CharField(label=_("Assessing body"), required=False, max_length=200)
    date = forms.DateField(
        label=_("Assessment date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = _text_field(_("Reason (when not recognised)"), rows=2)
    unverified = _text_field(
        _("Not verified"),
        rows=2,
        help_text=_("Which facts of this entry were not checked against the source."),
    )
    own = forms.BooleanField(label=_("Only for our organisation"), required=False)

    EDITOR_FIELDS = ("kind", "level", "body", "date", "valid_until", "reason", "unverified", "own")

    def __init__(self, *args, values=None, determinants=None, editor=False, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["work_values"].choices = list((values or {}).items())
        self.fields["determinants"].choices = list((determinants or {}).items())
        for name in self.EDITOR_FIELDS:
            if not editor or (name == "own" and not new):
                del self.fields[name]

    def clean_references(self):
        return parse_references(self.cleaned_data.get("references") or "", self)

    @classmethod
    def initial_for(cls, definition: dict, version: int, language: str) -> dict:
        def text(value):
            return (value or {}).get(language) or (value or {}).get("nl", "")

        target = definition.get("target_group") or {}
        conditions = definition.get("conditions") or {}
        recognition = definition.get("recognition") or {}
        return {
            "base_version": version,
            "name": text(definition.get("name")),
            "owner": definition.get("owner", ""),
            "target_final": text(target.get("final")),
            "target_intermediate": text(target.get("intermediate")),
            **{
                name: text(definition.get(name))
                for name in (
                    "summary",
                    "goal",
                    "approach",
                    "working_elements",
                    "contraindications",
                    "unverified",
                )
            },
            **{name: text(conditions.get(name)) for name in ("materials", "training", "costs")},
            "work_values": definition.get("work_values", []),
            "determinants": definition.get("determinants", []),
            "contexts": definition.get("contexts", []),
            "references": "\n".join(
                " | ".join(filter(None, [r["citation"], r.get("doi") or r.get("url") or ""]))
                for r in definition.get("references", [])
            ),
            "kind": definition.get("kind"),
            "level": recognition.get("level"),
            "body": recognition.get("body", ""),
            "date": recognition.get("date") or None,
            "valid_until": recognition.get("valid_until") or None,
            "reason": text(recognition.get("reason")),
        }

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("date", "valid_until"):
            if data.get(name):
                data[name] = data[name].isoformat()
        data.pop("note", None)
        data.pop("base_version", None)
        return data


def parse_references(text: str, form=None) -> list[dict]:
    """``citation | DOI or web address`` per line into references; a line whose second part is neither is
    an error on the form."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        citation, _sep, link = (
            (part.strip() for part in line.rpartition("|")) if "|" in line else (line, "", "")
        )
        reference = {"citation": citation, "doi": "", "url": ""}
        if link.lower().startswith("https://doi.org/"):
            link = link[len("https://doi.org/") :]
        if link.startswith("10."):
            reference["doi"] = link
        elif link.startswith(("http://", "https://")):
            reference["url"] = link
        elif link:
            raise forms.ValidationError(
                _("Line %(n)d: after the bar comes a DOI (10.…) or a web address (https://…).")
                % {"n": number}
            )
        out.append(reference)
    return out


class EntrySearchForm(forms.Form):
    """The filters of the knowledge base's list (GET); an unknown value is ignored with a message."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    value = forms.ChoiceField(label=_("Work value"), required=False)
    determinant = forms.ChoiceField(label=_("Determinant"), required=False)
    target = forms.CharField(label=_("Target group"), required=False, max_length=200)
    context = forms.ChoiceField(
        label=_("Context"), required=False, choices=[("", _("All contexts"))] + Context.choices
    )
    recognition = forms.ChoiceField(
        label=_("Recognition"), required=False, choices=[("", _("Any recognition"))] + Recognition.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + EntryKind.choices
    )

    def __init__(self, *args, values=None, determinants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [("", _("All work values"))] + list((values or {}).items())
        self.fields["determinant"].choices = [("", _("All determinants"))] + list(
            (determinants or {}).items()
        )
        for field in self.fields.values():
            css = (
                "utrecht-select utrecht-select--html-select"
                if isinstance(field, forms.ChoiceField)
                else "utrecht-textbox utrecht-textbox--html-input"
            )
            field.widget.attrs["class"] = css


class ReviewForm(UtrechtFormMixin, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    decision = forms.ChoiceField(
        label=_("Your decision"),
        widget=forms.RadioSelect,
        choices=[("publish", _("Publish it")), ("return", _("Return it to the proposer with remarks"))],
        error_messages={"required": _("Choose to publish the proposal or to return it.")},
    )
    remarks = forms.CharField(
        label=_("Remarks for the proposer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the entry withdrawn?"),
        max_length=500,
        error_messages={"required": _("Say why the entry is withdrawn; it is shown on the entry.")},
        help_text=_("Plans that chose it keep it; it is no longer offered for new choices."),
    )


class ImportForm(UtrechtFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (YAML or JSON)"),
        error_messages={"required": _("Choose a file to load.")},
        help_text=_("One entry, or a list of entries as the export makes it."),
    )


class PrincipleForm(UtrechtFormMixin, forms.Form):
    """A guiding principle, changed or added by the knowledge editor (a new version of the list)."""

    title_nl = forms.CharField(
        label=_("Title (Dutch)"),
        max_length=200,
        error_messages={"required": _("Give the principle a Dutch title.")},
    )
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=200,
        required=False,
        help_text=_("Empty: the Dutch title is shown."),
    )
    explanation_nl = forms.CharField(
        label=_("Explanation (Dutch)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain the principle (in Dutch).")},
    )
    explanation_en = forms.CharField(
        label=_("Explanation (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    in_practice_nl = forms.CharField(
        label=_("In practice (Dutch)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: one example of what it looks like in a conversation."),
    )
    in_practice_en = forms.CharField(
        label=_("In practice (English)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sources = forms.CharField(
        label=_("Sources"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One source per line: the citation, optionally followed by | and a DOI or a web address."
        ),
        error_messages={"required": _("Name at least one source, one per line.")},
    )
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in the version history, so colleagues understand the change."),
        error_messages={"required": _("Say what you changed and why; it is shown in the version history.")},
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(principle: dict | None, base_version: int) -> dict:
        principle = principle or {}

        def text(name, lang):
            return (principle.get(name) or {}).get(lang, "")

        sources = []
        for source in principle.get("sources", []):
            link = source.get("doi") or source.get("url") or ""
            sources.append(f"{source['citation']} | {link}" if link else source["citation"])
        return {
            **{
                f"{n}_{lang}": text(n, lang)
                for n in ("title", "explanation", "in_practice")
                for lang in ("nl", "en")
            },
            "sources": "\n".join(sources),
            "base_version": base_version,
        }

    def service_arguments(self) -> dict:
        """What the service takes, from the posted data (also when a field is invalid: nothing is lost)."""
        data = self.data
        names = [f"{n}_{lang}" for n in ("title", "explanation", "in_practice") for lang in ("nl", "en")]
        return {name: data.get(name, "") for name in [*names, "sources", "note"]}
