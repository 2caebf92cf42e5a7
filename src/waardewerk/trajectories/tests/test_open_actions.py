"""``{% open_action_items %}`` writes what the template's loop over the open actions wrote (the loop as it
was in ``trajectories/_trajectory.html``), with and without the forms, in Dutch and English, with values that
need escaping."""

import datetime as dt
import uuid

import pytest
from django.template import Context, Template
from django.utils import translation

from waardewerk.trajectories.selectors import PageAction

LOOP = (
    "{% load i18n timeline lean_i18n %}"
    "{% for action in open_actions %}\n"
    '    <li class="ww-actions__item">\n'
    '      <span><strong>{{ action.description }}</strong> <span class="ww-muted">– {{ action|display:"owner" }}, {% translate "due" %} {{ action.due_date|day }}</span></span>\n'  # noqa: E501
    "      {% if can_change %}\n"
    '      <form method="post" action="{{ action.status_url }}" class="ww-inline-form">\n'
    "        {% csrf_token %}\n"
    '        <button class="utrecht-button utrecht-button--secondary-action" type="submit" name="status" value="done">{% translate "Done" %}<span class="ww-visually-hidden">: {{ action.description }}</span></button>\n'  # noqa: E501
    '        <button class="utrecht-button utrecht-button--subtle" type="submit" name="status" value="cancelled">{% translate "Cancel action" %}<span class="ww-visually-hidden">: {{ action.description }}</span></button>\n'  # noqa: E501
    "      </form>\n"
    "      {% endif %}\n"
    "    </li>\n"
    "    {% endfor %}"
)

ACTIONS = [
    PageAction(
        1,
        uuid.uuid4(),
        'Bel <werkgever> & "vraag" naar \'t rooster',
        "client",
        dt.date(2026, 8, 17),
        "open",
        "/a/1/?x=1&y=2",
    ),
    PageAction(2, uuid.uuid4(), "Cv sturen", "professional", dt.date(2027, 1, 3), "open", "/a/2/"),
    PageAction(3, uuid.uuid4(), "Samen", "unknown-owner", dt.date(2026, 5, 1), "open", "/a/3/"),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("can_change", [True, False])
@pytest.mark.parametrize("token", ["abc<def>", ""])
def test_open_action_items_as_the_loop(language, can_change, token):
    context = {"open_actions": ACTIONS, "can_change": can_change, "csrf_token": token}
    with translation.override(language):
        expected = Template(LOOP).render(Context(context))
        written = Template("{% load open_actions %}{% open_action_items open_actions can_change %}").render(
            Context(context)
        )
    assert written == expected
