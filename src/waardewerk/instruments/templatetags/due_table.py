"""``{% due_rows due can_measure %}``: the rows of the table of measurements due (``instruments/_due.html``).

On the dossier, the trajectory page and the effect view. Written out here rather than in the template's
loop (about 60 lookups, ``if`` and ``translate`` tags a row): the words are translated once per table and
placed as ``translate`` places them, every value is escaped as the template escaped it
(``effect_tables.escape``), with the same HTML."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from waardewerk.instruments.templatetags.effect_tables import escape

register = template.Library()

ROW = (
    '\n    <tr class="utrecht-table__row">'
    '\n      <th class="utrecht-table__header-cell" scope="row">{title}</th>'
    '\n      <td class="utrecht-table__cell">{last}</td>'
    '\n      <td class="utrecht-table__cell">{due}</td>'
    "\n      {measure}"
    "\n    </tr>\n  "
).format
LINK = (
    '<a class="utrecht-link utrecht-link--html-a" href="{}">{}<span class="ww-visually-hidden"> {}</span></a>'
).format


@register.simple_tag
def due_rows(rows, can_measure) -> str:
    """The ``<tr>`` of every row of ``selectors.due_overview``; with ``can_measure`` the links to measure."""
    # As ``{% translate %}`` places them: a translation is not escaped (the catalogue is trusted markup).
    not_yet = f'<span class="ww-muted">{gettext("not yet")}</span>'
    overdue = gettext("overdue")
    if can_measure:
        client, rating, new = gettext("client's answers"), gettext("your rating"), gettext("new")
    out = []
    for row in rows:
        title = escape(row.title)
        due_day = escape(row.due_day)
        if can_measure:
            url = escape(row.new_url)
            if row.several_respondents:
                links = (
                    LINK(f"{url}?respondent=client", client, title)
                    + " · "
                    + LINK(f"{url}?respondent=professional", rating, title)
                )
            else:
                links = LINK(url, new, title)
            measure = f'<td class="utrecht-table__cell">{links}</td>'
        else:
            measure = ""
        out.append(
            ROW(
                title=title,
                last=escape(row.last_day) if row.last_day else not_yet,
                due=f'<strong class="ww-overdue">{due_day} ({overdue})</strong>'
                if row.due.overdue
                else due_day,
                measure=measure,
            )
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped
