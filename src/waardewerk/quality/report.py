"""The quarterly quality report of one team (docs/quality.md, "Quarterly report"): the team's indicators per
quarter with the organisation's figure beside the last complete quarter, each with its definition and its
caveat; a PDF (the reports app's WeasyPrint pipeline) and a CSV file. Suppressed figures stay suppressed."""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.quality import selectors
from waardewerk.reports.services import css_string, html_to_pdf, page_counter

TEMPLATE = "quality/report.html"
# Spreadsheet programs run a cell that starts with one of these as a formula: such a cell gets a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _shown(cell) -> str:
    return _("too few to show") if cell is None or cell.n is None else f"{cell.text} (n={cell.n})"


def _rows(table) -> list[dict]:
    return [
        {
            "label": row.label,
            "definition": row.definition,
            "caveat": selectors.caveat(row.key),
            "cells": [_shown(cell) for cell in row.cells],
            "trend": row.trend,
            "organisation": _shown(row.compare),
        }
        for row in table.rows
    ]


def _log(actor, team, fmt: str) -> None:
    audit_record(
        actor=actor,
        action="export",
        object_type="quality.team_report",
        detail={"team": str(team.uuid), "format": fmt},
    )


def report_pdf(*, actor, team_uuid) -> tuple[object, bytes]:
    snapshot, team, table = selectors.team_report(actor, team_uuid)
    language = translation.get_language() or "nl"
    made_on = date_format(timezone.localdate(), "j F Y")
    html = render_to_string(
        TEMPLATE,
        {
            "language": language,
            "team": team,
            "organisation": actor.organisation.name,
            "table": table,
            "rows": _rows(table),
            "snapshot": snapshot,
            "k": snapshot.min_cell_size,
            "made_on": made_on,
            "css_header_left": css_string(f"{team} · {_('Team quality')}"),
            "css_footer_left": css_string(made_on),
            "css_footer_right": page_counter(_("Page {page} of {pages}")),
        },
    )
    pdf = html_to_pdf(html)
    _log(actor, team, "pdf")
    return team, pdf


def report_csv(*, actor, team_uuid) -> tuple[object, str]:
    snapshot, team, table = selectors.team_report(actor, team_uuid)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [_("Indicator"), *table.quarters, _("Trend"), table.compare_label, _("Definition"), _("Caveat")]
    )
    for row in _rows(table):
        writer.writerow(
            [
                _cell(v)
                for v in (
                    row["label"],
                    *row["cells"],
                    row["trend"],
                    row["organisation"],
                    row["definition"],
                    row["caveat"],
                )
            ]
        )
    _log(actor, team, "csv")
    return team, out.getvalue()
