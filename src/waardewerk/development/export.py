"""The export of the development log per register and period, for re-registration: a PDF (made with the
reports app's WeasyPrint pipeline, the same as the trajectory report) and a CSV file."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.development import policies, selectors
from waardewerk.development.models import Register
from waardewerk.reports.services import css_string, html_to_pdf, page_counter

TEMPLATE = "development/export.html"
# Spreadsheet programs run a cell that starts with one of these as a formula: such a cell gets a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _context(actor, *, register, start, end, activities) -> dict:
    label = Register(register).label
    name = actor.get_full_name() or actor.username
    period = f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"
    return {
        "owner": name,
        "organisation": actor.organisation.name,
        "register_label": label,
        "period": period,
        "activities": activities,
        "totals": selectors.export_totals(activities),
        "made_on": date_format(timezone.localdate(), "j F Y"),
        "css_header_left": css_string(name + " · " + label),
        "css_footer_left": css_string(period),
        "css_footer_right": page_counter(_("Page {page} of {pages}")),
    }


def export_pdf(*, actor, register: str, start, end) -> bytes:
    if not policies.may_keep_log(actor):
        raise PermissionDeniedError
    activities = selectors.export_activities(actor, register=register, start=start, end=end)
    language = translation.get_language() or "nl"
    with translation.override(language):
        html = render_to_string(
            TEMPLATE,
            _context(actor, register=register, start=start, end=end, activities=activities)
            | {"language": language},
        )
    pdf = html_to_pdf(html)
    audit_record(
        actor=actor,
        action="export",
        object_type="development.log",
        detail={"register": register, "format": "pdf", "activities": len(activities)},
    )
    return pdf


def export_csv(*, actor, register: str, start, end) -> str:
    if not policies.may_keep_log(actor):
        raise PermissionDeniedError
    activities = selectors.export_activities(actor, register=register, start=start, end=end)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Date"),
            _("Kind"),
            _("What"),
            _("Provider"),
            _("PE id"),
            _("Net hours"),
            _("Points"),
            _("Evidence"),
        ]
    )
    for a in activities:
        writer.writerow(
            [
                a.date.isoformat(),
                _cell(a.get_kind_display()),
                _cell(a.title),
                _cell(a.provider),
                _cell(a.pe_id),
                str(a.hours),
                str(a.points),
                _("yes") if a.has_evidence else _("no"),
            ]
        )
    totals = selectors.export_totals(activities)
    writer.writerow([_("Total"), "", "", "", "", str(totals["hours"]), str(totals["points"]), ""])
    audit_record(
        actor=actor,
        action="export",
        object_type="development.log",
        detail={"register": register, "format": "csv", "activities": len(activities)},
    )
    return out.getvalue()


def filename(actor, register: str, start, end, extension: str) -> str:
    """``ontwikkeling-<register>-<start>-<end>.<ext>`` with only ASCII letters, digits and hyphens."""
    name = unicodedata.normalize("NFKD", actor.last_name or actor.username).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "professional"
    return f"ontwikkeling-{name}-{register}-{start.isoformat()}-{end.isoformat()}.{extension}"
