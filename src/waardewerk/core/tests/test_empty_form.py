"""``core.forms.EmptyForm``: an empty form that is made only when a page renders more than its emptiness,
and then renders as the form itself."""

import pytest
from django.template import Context, Template

from waardewerk.core.forms import EmptyForm
from waardewerk.trajectories.forms import ActionForm, PhaseChangeForm, ProgressNoteForm
from waardewerk.trajectories.plan import Goal

PAGE = Template(
    "{% if form.is_bound %}bound{% endif %}{% include 'core/_form_errors.html' %}[{{ form.initial.version }}]"
)
FIELDS = Template(
    "{% for field in form %}{{ field }}{{ field.label }}{% endfor %}{{ form.version }}|{{ form.goal_key }}"
)


@pytest.mark.parametrize(
    ("form_class", "kwargs"),
    [
        (PhaseChangeForm, {"initial": {"version": 3, "to_phase": "execution"}}),
        (ProgressNoteForm, {}),
        (ActionForm, {"goals": ()}),
        (ActionForm, {"goals": [Goal("g1", "Werk vinden & houden")]}),
    ],
)
def test_the_emptiness_without_the_form_and_the_fields_as_the_form_renders_them(form_class, kwargs):
    empty = EmptyForm(form_class, **kwargs)
    real = form_class(**kwargs)
    assert PAGE.render(Context({"form": empty})) == PAGE.render(Context({"form": real}))
    assert empty._made is None, "asking whether it is empty does not make the form"
    assert FIELDS.render(Context({"form": empty})) == FIELDS.render(Context({"form": real}))
    assert str(empty) == str(real)


def test_a_missing_name_is_an_attribute_error_not_a_form():
    empty = EmptyForm(ProgressNoteForm)
    with pytest.raises(KeyError):
        empty["is_bound"]
    with pytest.raises(AttributeError):
        empty._private  # noqa: B018
    assert empty._made is None
