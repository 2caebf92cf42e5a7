"""Form helpers: NL Design System (Utrecht) classes and accessible error wiring for every widget."""

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.db.models.utils import get_blank_choice_label
from django.forms.utils import ErrorDict, ErrorList
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from waardewerk.core.exceptions import ConcurrentEditError
from waardewerk.core.limits import (
    INTEGER_MAX,
    INTEGER_MIN,
    LINE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    DateRangeValidator,
)

WIDGET_CLASSES = {  # first match wins: CheckboxSelectMultiple is a subclass of RadioSelect
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
}
TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


def posted(request):
    """The data to bind a page's form to: the POST on every POST, also an empty one. (``request.POST or
    None`` leaves an empty POST unbound: no errors shown, a 200 as if nothing was sent, and code that then
    reads ``cleaned_data`` fails.)"""
    return request.POST if request.method == "POST" else None


@dataclass(frozen=True)
class ServiceOutcome:
    """What :func:`call_service` found: ``saved`` with the service's ``result``, or not saved with the
    stale-edit message (``conflict``) or with the errors put on the form; ``error`` is then the service's
    ``ValidationError`` itself, for a page that shows more than its messages (the appointments an
    appointment overlaps)."""

    saved: bool
    result: Any = None
    conflict: str = ""
    error: ValidationError | None = None


def call_service(
    form, call: Callable[[], Any], *, errors: Callable | None = None, conflict_on_form: bool = False
) -> ServiceOutcome:
    """Call a service for a valid form (``call`` takes no arguments) and sort its outcome as every form page
    does: a stale edit (``ConcurrentEditError``) gives the message shown above the form, beside the current
    version; the service's ``ValidationError`` goes onto the form beside the fields it names (``errors``
    may rewrite it first); a refusal (``PermissionDeniedError``) is not caught: it answers 403 with its
    message. The page answers 422 when not saved.

    ``conflict_on_form``: for a page that shows no current version beside the form, a stale edit is one of
    the form's errors like any other (``conflict`` stays empty)."""
    try:
        result = call()
    except ValidationError as exc:
        if isinstance(exc, ConcurrentEditError) and not conflict_on_form:
            return ServiceOutcome(False, conflict=" ".join(exc.messages), error=exc)
        form.add_service_errors(errors(exc) if errors is not None else exc)
        return ServiceOutcome(False, error=exc)
    return ServiceOutcome(True, result)


def valid_filters(form) -> dict:
    """The filters of a search form that are valid. A filter with an error (a search text that is too long,
    an end date before the start date) is left out and the page shows why (``core/_filter_errors.html``),
    instead of dropping every filter without a word."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if name not in form.errors}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _attributes(attrs: dict) -> str:
    """As ``django/forms/widgets/attrs.html``: `` name="value"``, a bare name for True, nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A select of plain choices (no groups) rendered in Python: the same HTML as Django's widget templates
    (``select.html`` with an ``include`` of ``select_option.html`` per option, tested) for a tenth of the
    function calls. For a choice list that changes per page (a plan's goals), so it cannot be cached."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        # As ``Select.get_context``, without a dict per option: the first choice equal to the value is the
        # selected one (a choice list of the organisation's employers has hundreds of options).
        values = self.format_value(value)
        options, has_selected = [], False
        for option_value, label in choices:
            if option_value is None:
                option_value = ""
            selected = not has_selected and str(option_value) in values
            has_selected |= selected
            options.append(  # html.escape as Django's escape, without its wrapper for lazy texts
                f'\n  <option value="{html.escape(str(option_value))}"{" selected" if selected else ""}>'
                f"{html.escape(str(label))}</option>\n"
            )
        attributes = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # noqa: S308 - every name, value and label escaped above
            f'<select name="{escape(name)}"{_attributes(attributes)}>{"".join(options)}\n</select>'
        )


def apply_limits(field: forms.Field) -> None:
    """The limits every field has (``core.limits``), where the field does not set its own: a maximum length
    for text (a textarea gets more room than a line), a range for dates and for whole numbers. Also given to
    the browser (``maxlength``, ``min``/``max``), so a user finds out while typing."""
    hidden = field.widget.is_hidden
    # A UUID field is a CharField that cleans to a UUID: its format bounds it.
    text = isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField)
    if text:
        if field.max_length is None:
            multiline = isinstance(field.widget, forms.Textarea)
            field.max_length = TEXT_MAX_LENGTH if multiline else LINE_MAX_LENGTH
            if not hidden:
                field.widget.attrs.setdefault("maxlength", str(field.max_length))
        if not any(isinstance(v, validators.MaxLengthValidator) for v in field.validators):
            # Also where only the browser was told (Django's log-in form sets max_length after the fact).
            field.validators.append(validators.MaxLengthValidator(field.max_length))
    if isinstance(field, forms.DateField):
        ranges = [v for v in field.validators if isinstance(v, DateRangeValidator)]
        if not ranges:
            ranges = [DateRangeValidator()]
            field.validators.append(ranges[0])
        if isinstance(field.widget, DateInput):
            earliest, latest = ranges[0].bounds()
            field.widget.attrs.setdefault("min", earliest.isoformat())
            field.widget.attrs.setdefault("max", latest.isoformat())
    if isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.max_value = INTEGER_MAX
            field.validators.append(validators.MaxValueValidator(INTEGER_MAX))
        if field.min_value is None:
            field.min_value = INTEGER_MIN
            field.validators.append(validators.MinValueValidator(INTEGER_MIN))


def _is_blank_label(label) -> bool:
    return str(label) in (BLANK_CHOICE_DASH[0][1], str(get_blank_choice_label()))


def dutch_empty_choice(field: forms.Field) -> None:
    """The empty choice of a select in words: "Kies…" where a choice is needed, "Geen (niet verplicht)"
    where the field may stay empty, instead of Django's "---------" or "- Select an option -"."""
    words = _("Choose…") if field.required else _("None (optional)")
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None and _is_blank_label(field.empty_label):
            field.empty_label = words
    elif isinstance(field, forms.ChoiceField):
        choices = list(field.choices)
        if any(value == "" and _is_blank_label(label) for value, label in choices):
            field.choices = [(v, words if (v == "" and _is_blank_label(lab)) else lab) for v, lab in choices]


class UtrechtFormMixin:
    """Adds component classes, and ``aria-invalid``/``aria-describedby`` after validation.

    Required fields get ``aria-required`` instead of the HTML ``required`` attribute: the browser would
    otherwise style every empty required field as invalid before the user typed anything. Optional fields
    say "(optional)" in their label.
    """

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            apply_limits(field)
            dutch_empty_choice(field)
            widget = field.widget
            if field.required and not widget.is_hidden:
                widget.attrs["aria-required"] = "true"
            css = next((c for t, c in WIDGET_CLASSES.items() if isinstance(widget, t)), TEXTBOX)
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            described = []
            if field.help_text:
                described.append(f"{self.prefix + '-' if self.prefix else ''}{name}-help")
            if described:
                widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def _mark_invalid(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                error_id = f"{self[name].auto_id}-error"
                current = attrs.get("aria-describedby", "")
                if error_id not in current:
                    attrs["aria-describedby"] = f"{current} {error_id}".strip()

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put the errors a service raised next to the fields they concern."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)
        self._mark_invalid()


class EmptyForm:
    """An unbound form that is made only when a page reads more of it than that it is empty.

    The trajectory section shows three empty forms whose fields it renders once per process and day
    (``{% cache %}``, docs/performance.md); making the three forms anyway cost each view of it about 1,300
    function calls. A page asks ``is_bound``, ``errors``, ``non_field_errors`` and ``initial`` of it
    without the form being made; anything else (a field, ``form[name]``, iterating, rendering) makes the
    form and answers as it does. ``form_class(**kwargs)`` is the form.
    """

    is_bound = False

    def __init__(self, form_class, **kwargs):
        self._form_class = form_class
        self._kwargs = kwargs
        self._made = None
        self.initial = kwargs.get("initial") or {}

    @property
    def form(self):
        if self._made is None:
            self._made = self._form_class(**self._kwargs)
        return self._made

    @property
    def errors(self):
        return ErrorDict()

    def non_field_errors(self):
        return ErrorList(error_class="nonfield")

    def __getitem__(self, name):
        if name not in self._form_class.base_fields:  # a template asks form[name] before form.name
            raise KeyError(name)
        return self.form[name]

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.form, name)

    def __iter__(self):
        return iter(self.form)

    def __str__(self):
        return str(self.form)

    def __html__(self):
        return self.form.__html__()
