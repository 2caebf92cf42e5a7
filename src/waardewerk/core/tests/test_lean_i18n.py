"""``lean_i18n``'s ``translate`` and ``blocktranslate`` give what Django's own give, in every language, with
autoescaping on and off, rendered once and again (they keep what they can per language)."""

import datetime as dt

import pytest
from django.template import Context, Engine
from django.utils import translation
from django.utils.safestring import mark_safe

ENGINE = Engine(
    libraries={"i18n": "django.templatetags.i18n", "lean_i18n": "waardewerk.core.templatetags.lean_i18n"}
)

SOURCES = [
    '{% translate "Timeline" %}',
    "{% translate 'Show in the timeline' %}",
    '{% translate "Timeline" noop %}',
    "{% translate text %}",
    '{% translate "Timeline"|upper %}',
    '{% translate "Timeline" as heading %}[{{ heading }}]',
    '{% translate "May" context "month name" %}',
    "{% blocktranslate with n=number %}Plan version {{ n }}{% endblocktranslate %}",
    "{% blocktranslate with d=text %}Action agreed: {{ d }}{% endblocktranslate %}",
    "{% blocktranslate with d=safe %}Action agreed: {{ d }}{% endblocktranslate %}",
    "{% blocktranslate with d=missing %}Action agreed: {{ d }}{% endblocktranslate %}",
    '{% blocktranslate with since=day|date:"j F Y" %}In this phase since {{ since }}.{% endblocktranslate %}',
    "{% blocktranslate with old=text new=safe %}Handed over from {{ old }} to {{ new }}"
    "{% endblocktranslate %}",
    "{% blocktranslate %}Handed over from {{ text }} to {{ safe }}{% endblocktranslate %}",
    "{% blocktranslate count n=number %}Show the whole timeline ({{ n }} item)"
    "{% plural %}Show the whole timeline ({{ n }} items){% endblocktranslate %}",
    "{% blocktranslate count n=one %}Show the whole timeline ({{ n }} item)"
    "{% plural %}Show the whole timeline ({{ n }} items){% endblocktranslate %}",
    "{% blocktranslate count months=number with job=text %}Follow-up after {{ months }} month: still working"
    " as {{ job }}{% plural %}Follow-up after {{ months }} months: still working as {{ job }}"
    "{% endblocktranslate %}",
    "{% blocktranslate count n=text %}{{ n }} open{% plural %}{{ n }} open{% endblocktranslate %}",
    "{% blocktranslate with n=number asvar line %}Plan version {{ n }}{% endblocktranslate %}[{{ line }}]",
    "{% blocktranslate trimmed with n=number %}\n  Plan version\n  {{ n }}\n{% endblocktranslate %}",
    "{% blocktranslate with n=number %}100% of {{ n }}{% endblocktranslate %}",
]

VALUES = {
    "number": 3,
    "one": 1,
    "text": 'Bel <werkgever> & "Jan"',
    "safe": mark_safe("<em>al veilig</em>"),
    "day": dt.date(2026, 5, 4),
}


def _render(template, autoescape):
    try:
        return template.render(Context(VALUES, autoescape=autoescape))
    except Exception as exc:  # noqa: BLE001 - an error must be the same error
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("autoescape", [True, False])
def test_the_same_output_as_djangos_tags(source, language, autoescape):
    django_own = ENGINE.from_string("{% load i18n %}" + source)
    lean = ENGINE.from_string("{% load i18n lean_i18n %}" + source)
    with translation.override(language):
        expected = _render(django_own, autoescape)
        for _ in range(2):  # the second render uses what the first kept
            assert _render(lean, autoescape) == expected
    with translation.override("en" if language == "nl" else "nl"):
        assert _render(lean, autoescape) == _render(django_own, autoescape)


def test_the_texts_are_translated():
    lean = ENGINE.from_string(
        '{% load i18n lean_i18n %}{% translate "Timeline" %}|'
        "{% blocktranslate with n=number %}Plan version {{ n }}{% endblocktranslate %}"
    )
    with translation.override("nl"):
        assert lean.render(Context(VALUES)) == "Tijdlijn|Planversie 3"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_display_gives_what_get_display_gives(language):
    from waardewerk.core.templatetags.lean_i18n import display
    from waardewerk.trajectories.models import Action, Context, EndReason, Trajectory

    with translation.override(language):
        for value in [*Context.values, "unknown"]:
            trajectory = Trajectory(context=value)
            assert display(trajectory, "context") == trajectory.get_context_display()
        for value in [*EndReason.values, "", None]:
            trajectory = Trajectory(end_reason=value)
            assert display(trajectory, "end_reason") == trajectory.get_end_reason_display()
        action = Action(owner="client")
        assert display(action, "owner") == action.get_owner_display()
