"""The topic editor: both languages side by side, one question per line, the version the editor saw."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import UtrechtFormMixin
from waardewerk.instruments.selectors import catalogue
from waardewerk.knowledge.guide import Guide

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
