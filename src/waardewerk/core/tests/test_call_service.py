"""``core.forms.call_service``: how a form page sorts the outcome of its service call."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.core.forms import UtrechtFormMixin, call_service


class NoteForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField()


def _form():
    form = NoteForm({"text": "Een notitie"})
    assert form.is_valid()
    return form


def _raise(exc):
    def call():
        raise exc

    return call


def test_saved_with_the_result():
    form = _form()
    outcome = call_service(form, lambda: 42)
    assert (outcome.saved, outcome.result, outcome.conflict, outcome.error) == (True, 42, "", None)
    assert not form.errors


def test_a_field_error_goes_beside_its_field():
    form = _form()
    exc = ValidationError({"text": "Te kort.", "other": "Elders."})
    outcome = call_service(form, _raise(exc))
    assert not outcome.saved and outcome.error is exc and outcome.conflict == ""
    assert form.errors["text"] == ["Te kort."]
    assert form.non_field_errors() == ["Elders."]
    assert form.fields["text"].widget.attrs["aria-invalid"] == "true"


def test_errors_may_rewrite_the_service_error_first():
    form = _form()
    outcome = call_service(
        form,
        _raise(ValidationError("Origineel.")),
        errors=lambda exc: ValidationError({"text": "Herschreven."}),
    )
    assert not outcome.saved
    assert form.errors == {"text": ["Herschreven."]}


def test_a_stale_edit_is_the_conflict_message_not_a_form_error():
    form = _form()
    outcome = call_service(form, _raise(ConcurrentEditError("Iemand anders sloeg dit intussen op.")))
    assert not outcome.saved
    assert outcome.conflict == "Iemand anders sloeg dit intussen op."
    assert isinstance(outcome.error, ConcurrentEditError)
    assert not form.errors


def test_a_stale_edit_on_the_form_where_the_page_shows_no_current_version():
    form = _form()
    outcome = call_service(
        form, _raise(ConcurrentEditError("Iemand anders sloeg dit intussen op.")), conflict_on_form=True
    )
    assert not outcome.saved and outcome.conflict == ""
    assert form.non_field_errors() == ["Iemand anders sloeg dit intussen op."]


def test_the_service_error_itself_for_pages_that_show_more():
    class Overlap(ValidationError):
        def __init__(self, conflicts):
            self.conflicts = conflicts
            super().__init__("Dit overlapt.")

    form = _form()
    outcome = call_service(form, _raise(Overlap(["a", "b"])))
    assert outcome.error.conflicts == ["a", "b"]
    assert form.non_field_errors() == ["Dit overlapt."]


def test_a_refusal_is_not_caught():
    with pytest.raises(PermissionDeniedError):
        call_service(_form(), _raise(PermissionDeniedError("Dat mag u niet.")))
