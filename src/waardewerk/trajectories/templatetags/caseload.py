"""The caseload's table rows, rendered in Python (``trajectories/caseload.html``).

A page shows up to 25 trajectories; the template's loop cost about 280 function calls a row (variable
lookups, ``if`` tags, the translated words). Here the words are translated once per list and each row is
``format_html`` (every value escaped), with the same HTML as the template made. The values come ready from
``trajectories.views.caseload_rows``."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
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
)
TIME = '<time datetime="{}">{}</time>'
MUTED = '<span class="ww-muted">{}</span>'
WARNING = ' <span class="utrecht-status-badge utrecht-status-badge--warning">{}</span>'


@register.simple_tag
def caseload_rows(rows) -> str:
    """The ``<tr>`` of every row of ``trajectories.views.caseload_rows``."""
    role = {
        "substitute": format_html(
            ' <span class="utrecht-status-badge utrecht-status-badge--neutral ww-role-badge">{}</span>',
            gettext("as substitute"),
        ),
        "": "",
    }
    as_co = format_html(
        ' <span class="utrecht-status-badge utrecht-status-badge--neutral ww-role-badge">{}</span>',
        gettext("as co-professional"),
    )
    no_contact = format_html(MUTED, gettext("none yet"))
    no_action = format_html(MUTED, gettext("no open action"))
    no_measurement = format_html(MUTED, "–")
    overdue = format_html(WARNING, gettext("overdue"))
    measurement_overdue = format_html(WARNING, gettext("measurement overdue"))
    due = gettext("due")
    out = ["\n    "]  # the template's line break before the first row
    for row in rows:
        last_contact = row["last_contact"]
        next_due = row["next_action_due"]
        measurement_due = row["measurement_due"]
        if row["next_action"]:
            next_action = format_html(
                '{} <span class="ww-muted">({} <time datetime="{}">{}</time>)</span>{}',
                row["next_action"],
                due,
                next_due["iso"] if next_due else "",
                next_due["text"] if next_due else "",
                overdue if row["action_overdue"] else "",
            )
        else:
            next_action = no_action
        out.append(
            format_html(
                ROW,
                dossier_url=row["dossier_url"],
                name=row["name"],
                assignment=role.get(row["assignment"], as_co),
                context=row["context"],
                phase=row["phase"],
                phase_label=row["phase_label"],
                last_contact=format_html(TIME, last_contact["iso"], last_contact["text"])
                if last_contact
                else no_contact,
                next_action=next_action,
                measurement=format_html(
                    TIME + "{}",
                    measurement_due["iso"],
                    measurement_due["text"],
                    measurement_overdue if row["measurement_overdue"] else "",
                )
                if measurement_due
                else no_measurement,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every row is made by format_html
