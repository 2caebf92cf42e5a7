"""The measurement form: a small header form (date, respondent, framing) and the questions, built from
the instrument's definition. The questions are not a Django form: the definition decides their number,
scales and texts, and a draft must keep partial answers, so they are read and checked by
``Definition.check_answers`` and rendered as accessible radio groups (fieldset + legend per question)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.instruments.definition import Definition, localised
from waardewerk.instruments.models import Respondent

ITEM_PREFIX = "item-"
NOTE_PREFIX = "note-"


class MeasurementHeaderForm(UtrechtFormMixin, forms.Form):
    taken_on = forms.DateField(label=_("Date of the measurement"), widget=DateInput())
    respondent = forms.ChoiceField(
        label=_("Whose answers are these?"),
        choices=Respondent.choices,
        help_text=_("The client's own answers, or the professional's rating."),
    )
    framing = forms.ChoiceField(label=_("Framing of the questions"), choices=())

    def __init__(self, *args, definition: Definition, fixed_respondent: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate()
        respondents = definition.data["respondents"]
        self.fields["respondent"].choices = [(r, Respondent(r).label) for r in respondents]
        if fixed_respondent or len(respondents) == 1:
            self.fields["respondent"].widget = forms.HiddenInput()
        framings = definition.data["framings"]
        if framings:
            self.fields["framing"].choices = [(f["key"], localised(f["label"])) for f in framings]
        else:
            del self.fields["framing"]


class CorrectionForm(UtrechtFormMixin, forms.Form):
    taken_on = forms.DateField(label=_("Date of the measurement"), widget=DateInput())
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was wrong? The original stays visible with this reason."),
    )


class ScheduleForm(UtrechtFormMixin, forms.Form):
    active = forms.BooleanField(label=_("Remind when a measurement is due"), required=False)
    interval_days = forms.IntegerField(label=_("Re-measure every (days)"), min_value=1, max_value=730)
    first_within_days = forms.IntegerField(
        label=_("First measurement within (days after the start)"), min_value=0, max_value=365
    )


@dataclass
class Option:
    value: int
    label: str
    description: str
    checked: bool


@dataclass
class ItemRow:
    id: str
    html_id: str
    text: str
    help: str
    kind: str  # "ordinal" or "number"
    options: list[Option]
    value: str
    minimum: int | None
    maximum: int | None
    required: bool
    note: bool
    note_value: str
    errors: list[str] = field(default_factory=list)


@dataclass
class GroupRows:
    key: str
    title: str
    description: str
    items: list[ItemRow]


def answers_from_post(definition: Definition, data) -> tuple[dict, dict]:
    answers = {}
    notes = {}
    for item_id, item in definition.items.items():
        raw = data.get(ITEM_PREFIX + item_id, "")
        if raw not in ("", None):
            answers[item_id] = raw
        if item["note"]:
            notes[item_id] = data.get(NOTE_PREFIX + item_id, "")
    unknown = [
        k[len(ITEM_PREFIX) :]
        for k in data
        if k.startswith(ITEM_PREFIX) and k[len(ITEM_PREFIX) :] not in definition.items
    ]
    for item_id in unknown:
        answers[item_id] = data.get(ITEM_PREFIX + item_id)
    return answers, notes


def item_rows(
    definition: Definition, framing: str, answers: dict, notes: dict, errors: dict[str, list[str]]
) -> list[GroupRows]:
    """The questions grouped as the definition groups them, with the given answers filled in."""
    groups: dict[str, GroupRows] = {}
    order: list[str] = []
    for item_id, item in definition.items.items():
        if not definition.asked_in(item_id, framing):
            continue
        scale = definition.answer_scale(item_id, framing)
        current = answers.get(item_id)
        current = "" if current is None else str(current)
        row = ItemRow(
            id=item_id,
            html_id="q-" + item_id.replace(".", "-"),
            text=definition.item_text(item_id, framing),
            help=definition.item_help(item_id, framing),
            kind=scale["type"],
            options=[
                Option(
                    entry["value"],
                    localised(entry["label"]),
                    localised(entry.get("description")),
                    str(entry["value"]) == current,
                )
                for entry in scale["values"]
            ],
            value=current,
            minimum=scale.get("min"),
            maximum=scale.get("max"),
            required=item["required"],
            note=item["note"],
            note_value=notes.get(item_id, ""),
            errors=errors.get(item_id, []),
        )
        key = item["group"] or ""
        if key not in groups:
            group = definition.groups.get(key, {})
            groups[key] = GroupRows(
                key, localised(group.get("title")), localised(group.get("description")), []
            )
            order.append(key)
        groups[key].items.append(row)
    return [groups[key] for key in order]
