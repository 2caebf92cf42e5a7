"""``{% data_table table %}``: a chart's data table (``effect.DataTable``), its text alternative.

Written out here rather than in a template: the tables of an effect view hold a few hundred cells, and a
template spends several lookups and an escape on each (a third of the effect view's rendering time). The
markup is the NL Design System table used everywhere else; every cell is escaped as a template would
(a value marked safe stays as it is).
"""

import html

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

HEADER_CELL = '<th class="utrecht-table__header-cell" scope="{scope}">{text}</th>'
CELL = '<td class="utrecht-table__cell">{text}</td>'


def escape(value) -> str:
    """As ``conditional_escape``: a plain string (most cells) escaped directly, anything else by Django."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


@register.simple_tag
def data_table(table):
    head = "".join(HEADER_CELL.format(scope="col", text=escape(column)) for column in table.columns)
    body = []
    for row in table.rows:
        if not row:
            continue
        cells = "".join(CELL.format(text=escape(cell)) for cell in row[1:])
        first = HEADER_CELL.format(scope="row", text=escape(row[0]))
        body.append(f'<tr class="utrecht-table__row">{first}{cells}</tr>')
    return mark_safe(  # noqa: S308 - every value above is escaped
        '<table class="utrecht-table utrecht-table--html-table ww-table">'
        f'<caption class="utrecht-table__caption">{escape(table.caption)}</caption>'
        f'<thead class="utrecht-table__header"><tr class="utrecht-table__row">{head}</tr></thead>'
        f'<tbody class="utrecht-table__body">{"".join(body)}</tbody></table>'
    )
