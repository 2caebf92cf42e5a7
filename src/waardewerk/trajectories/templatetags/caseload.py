"""The caseload's table rows, rendered in Python (``trajectories/caseload.html``).

A page shows up to 25 trajectories; the template's loop cost about 280 function calls a row (variable
lookups, ``if`` tags, the translated words). Here the words are translated and escaped once per list and
put into the row's pattern; per row only its own values are escaped (``_text``: what ``format_html`` does
to them, without its work per call), with the same HTML as the template made. The values come ready from
``trajectories.views.caseload_rows``."""

import html

from django import template
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

register = template.Library()

ROW = (
    '\n      <tr class="utrecht-table__row">'
    '\n        <th class="utrecht-table__header-cell" scope="row">'
    '<a class="utrecht-link utrecht-link--html-a" href="{dossier_url}">{name}</a>{assignment}</th>'
    '\n        <td class="utrecht-table__cell">{context}</td>'
    '\n        <td class="utrecht-table__cell">'
    '<span class="ww-phase ww-phase--{phase}">{phase_label}</span></td>'
    '\n        <td class="utrecht-table__cell">{last_contact}</td>'
    '\n        <td class="utrecht-table__cell">{next_action}</td>'
    '\n        <td class="utrecht-table__cell">{measurement}</td>'
    "\n      </tr>\n    "
).format
TIME = '<time datetime="{}">{}</time>'.format
ROLE = ' <span class="utrecht-status-badge utrecht-status-badge--neutral ww-role-badge">{}</span>'.format
MUTED = '<span class="ww-muted">{}</span>'.format
WARNING = ' <span class="utrecht-status-badge utrecht-status-badge--warning">{}</span>'.format
NEXT_ACTION = '{} <span class="ww-muted">({} <time datetime="{}">{}</time>)</span>{}'.format


def _text(value) -> str:
    """``value`` escaped for HTML, as ``conditional_escape`` (and so ``format_html``) escapes it."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _time(cell) -> str:
    return TIME(_text(cell["iso"]), _text(cell["text"]))


@register.simple_tag
def caseload_rows(rows) -> str:
    """The ``<tr>`` of every row of ``trajectories.views.caseload_rows``."""
    role = {"substitute": ROLE(_text(gettext("as substitute"))), "": ""}
    as_co = ROLE(_text(gettext("as co-professional")))
    no_contact = MUTED(_text(gettext("none yet")))
    no_action = MUTED(_text(gettext("no open action")))
    no_measurement = MUTED("–")
    overdue = WARNING(_text(gettext("overdue")))
    measurement_overdue = WARNING(_text(gettext("measurement overdue")))
    due = _text(gettext("due"))
    out = ["\n    "]  # the template's line break before the first row
    for row in rows:
        last_contact = row["last_contact"]
        next_due = row["next_action_due"]
        measurement_due = row["measurement_due"]
        if row["next_action"]:
            next_action = NEXT_ACTION(
                _text(row["next_action"]),
                due,
                _text(next_due["iso"]) if next_due else "",
                _text(next_due["text"]) if next_due else "",
                overdue if row["action_overdue"] else "",
            )
        else:
            next_action = no_action
        if measurement_due:
            measurement = _time(measurement_due) + (measurement_overdue if row["measurement_overdue"] else "")
        else:
            measurement = no_measurement
        out.append(
            ROW(
                dossier_url=_text(row["dossier_url"]),
                name=_text(row["name"]),
                assignment=role.get(row["assignment"], as_co),
                context=_text(row["context"]),
                phase=_text(row["phase"]),
                phase_label=_text(row["phase_label"]),
                last_contact=_time(last_contact) if last_contact else no_contact,
                next_action=next_action,
                measurement=measurement,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value of a row is escaped (``_text``)
