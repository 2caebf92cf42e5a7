"""``PlainSelect`` gives the HTML of Django's ``Select`` (its widget templates), with or without a choice
selected, with attributes of every kind and texts that need escaping; choices in groups go to Django's."""

import pytest
from django import forms

from waardewerk.core.forms import PlainSelect

CHOICES = [
    ("", "Geen doel in het bijzonder"),
    ("g1", 'Werk <vinden> & "houden"'),
    ("g2", "Fietsen naar 't werk"),
    (3, "Een getal als waarde"),
]
ATTRS = {"class": "utrecht-select", "aria-invalid": "true", "aria-describedby": "x-help x-error"}


@pytest.mark.parametrize("value", [None, "", "g1", "g2", 3, "unknown"])
@pytest.mark.parametrize("attrs", [{}, ATTRS, {"disabled": True, "hidden": False, "data-x": 'a"b'}])
@pytest.mark.parametrize("choices", [CHOICES, [], CHOICES[:1]])
def test_the_same_html_as_djangos_select(value, attrs, choices):
    extra = {"id": "id_goal_key"}
    django_own = forms.Select(attrs=dict(attrs), choices=choices).render("goal_key", value, extra)
    assert PlainSelect(attrs=dict(attrs), choices=choices).render("goal_key", value, extra) == django_own


def test_groups_are_left_to_django():
    choices = [("Groep", [("a", "A"), ("b", "B")]), ("c", "C")]
    assert PlainSelect(choices=choices).render("x", "b") == forms.Select(choices=choices).render("x", "b")


def test_in_a_form_the_same_as_select():
    class Plain(forms.Form):
        goal = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)

    class Django(forms.Form):
        goal = forms.ChoiceField(choices=CHOICES, required=False)

    assert str(Plain(initial={"goal": "g2"})["goal"]) == str(Django(initial={"goal": "g2"})["goal"])
    assert str(Plain({"goal": "zz"})["goal"]) == str(Django({"goal": "zz"})["goal"])
