"""Form helpers: NL Design System (Utrecht) classes and accessible error wiring for every widget."""

from django import forms
from django.core.exceptions import ValidationError

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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
