"""``{% due_rows %}`` writes what the template's loop over the rows of what is due wrote (the loop as it
was in ``instruments/_due.html``), for every kind of row, in Dutch and English, with and without the links
to measure."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from waardewerk.instruments.selectors import DueRow

LOOP = """{% load i18n %}{% for row in due %}
    <tr class="utrecht-table__row">
      <th class="utrecht-table__header-cell" scope="row">{{ row.title }}</th>
      <td class="utrecht-table__cell">{% if row.last_day %}{{ row.last_day }}{% else %}<span class="ww-muted">{% translate "not yet" %}</span>{% endif %}</td>
      <td class="utrecht-table__cell">{% if row.due.overdue %}<strong class="ww-overdue">{{ row.due_day }} ({% translate "overdue" %})</strong>{% else %}{{ row.due_day }}{% endif %}</td>
      {% if can_measure %}<td class="utrecht-table__cell">{% if row.several_respondents %}<a class="utrecht-link utrecht-link--html-a" href="{{ row.new_url }}?respondent=client">{% translate "client's answers" %}<span class="ww-visually-hidden"> {{ row.title }}</span></a> · <a class="utrecht-link utrecht-link--html-a" href="{{ row.new_url }}?respondent=professional">{% translate "your rating" %}<span class="ww-visually-hidden"> {{ row.title }}</span></a>{% else %}<a class="utrecht-link utrecht-link--html-a" href="{{ row.new_url }}">{% translate "new" %}<span class="ww-visually-hidden"> {{ row.title }}</span></a>{% endif %}</td>{% endif %}
    </tr>
  {% endfor %}"""  # noqa: E501

ROWS = [
    DueRow(
        "lwc",
        "Werk & <waarden>",
        SimpleNamespace(overdue=True),
        1,
        last_day="3 dec 2026",
        due_day="1 jan 2027",
        new_url="/trajectories/x/measurements/new/lwc/?a=1&b=2",
        several_respondents=True,
    ),
    DueRow(
        "igm", "IGM \"tekst\" 'x'", SimpleNamespace(overdue=False), 2, due_day="5 feb 2027", new_url="/n/igm/"
    ),
    DueRow("pl", "Ladder", SimpleNamespace(overdue=True), 3, last_day="", due_day="", new_url=""),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("can_measure", [True, False])
def test_due_rows_as_the_loop(language, can_measure):
    context = {"due": ROWS, "can_measure": can_measure}
    with translation.override(language):
        expected = Template(LOOP).render(Context(context))
        written = Template("{% load due_table %}{% due_rows due can_measure %}").render(Context(context))
    assert written == expected
