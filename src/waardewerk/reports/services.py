"""Making the trajectory report: HTML from a template, turned into a PDF by WeasyPrint.

``build_report`` renders one version (audience) of the report; ``report_print`` does the same for an actor
and records the print in the access log. The view and the ``waardewerk report`` command both go through
``report_print``.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.clients.models import ConsentKind
from waardewerk.clients.selectors import has_consent
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.instruments import selectors as instrument_selectors
from waardewerk.reports import policies
from waardewerk.reports.builder import build_context
from waardewerk.reports.rules import Audience
from waardewerk.trajectories.services import plan_vocabulary

LANGUAGES = ("nl", "en")
TEMPLATE = "reports/trajectory.html"

# WeasyPrint logs each layout step at INFO; a report is one row in the access log, not a dozen log lines.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class ReportError(ValueError):
    """A report cannot be made with these arguments (unknown audience or language)."""


def check_arguments(audience: str, language: str) -> tuple[Audience, str]:
    if audience not in Audience.values:
        raise ReportError(f"Unknown audience {audience!r}; choose one of {', '.join(Audience.values)}.")
    if language not in LANGUAGES:
        raise ReportError(f"Unknown language {language!r}; choose one of {', '.join(LANGUAGES)}.")
    return Audience(audience), language


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (for ``content:`` in the page margins): every character that is not
    a letter, a digit or a space is escaped, so no text can end the string or the rule."""
    out = []
    for char in str(text):
        if char.isalnum() or char == " ":
            out.append(char)
        else:
            out.append(f"\\{ord(char):06x} ")  # the space ends the escape and is not shown
    return '"' + "".join(out) + '"'


COUNTERS = {"{pages}": "counter(pages)", "{page}": "counter(page)"}


def page_counter(template: str) -> str:
    """A CSS ``content`` value for "Page {page} of {pages}" in the active language."""
    parts = []
    rest = template
    while rest:
        positions = [(rest.find(mark), mark) for mark in COUNTERS if mark in rest]
        if not positions:
            parts.append(css_string(rest))
            break
        index, mark = min(positions)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append(COUNTERS[mark])
        rest = rest[index + len(mark) :]
    return " ".join(parts)


def report_data(trajectory, *, audience: str, today=None) -> dict:
    """The template context of one version; call within ``translation.override``."""

    measurements = instrument_selectors.trajectory_measurements(trajectory)
    definitions = instrument_selectors.definition_set(measurements)  # one query for both
    return build_context(
        trajectory,
        audience=audience,
        measurements=measurements,
        definitions=definitions.versions,
        current_definitions=definitions.current,
        vocabulary=plan_vocabulary(definitions.current),
        today=today,
    )


def render_html(trajectory, *, audience: str, language: str = "nl", today=None) -> str:
    """The report as an HTML document (what WeasyPrint turns into the PDF)."""
    return _render(trajectory, audience=audience, language=language, today=today)[0]


def _render(trajectory, *, audience: str, language: str = "nl", today=None) -> tuple[str, dict]:
    """The report's HTML and the context it was made from."""

    audience, language = check_arguments(audience, language)
    with translation.override(language):
        context = report_data(trajectory, audience=audience, today=today)
        context |= {
            "language": language,
            "css_header_left": css_string(context["client_name"] + " · " + _("Confidential")),
            "css_header_right": css_string(
                _("Version for: %(reader)s") % {"reader": context["audience_label"]}
            ),
            "css_footer_left": css_string(f"{context['organisation']} · {context['report_date']}"),
            "css_footer_right": page_counter(_("Page {page} of {pages}")),
        }
        return render_to_string(TEMPLATE, context), context


def _url_fetcher():
    """The report needs nothing from outside the document (charts are data URIs): refuse everything else,
    so no text in a report can make WeasyPrint read a file or a URL."""
    from weasyprint.urls import URLFetcher  # heavy (Pango through cffi): loaded when a PDF is made

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


# One font configuration (fontconfig's list of the system's fonts and a Pango font map) serves every PDF a
# process makes. WeasyPrint makes a new one per document when given none, and each left about 230 KB of C
# memory behind that was never freed: a web worker grew by that much per PDF (docs/performance.md, "Soak:
# memory per worker").
# The reports load no fonts of their own (no @font-face), so the configuration does not change from one
# document to the next. It is renewed after FONT_CONFIG_DOCUMENTS documents, which bounds its own caches.
FONT_CONFIG_DOCUMENTS = 1000
_FONTS_LOCK = threading.Lock()  # a Pango font map is not meant for two threads at once
_fonts: dict = {"config": None, "documents": 0}


def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    if _fonts["config"] is None or _fonts["documents"] >= FONT_CONFIG_DOCUMENTS:
        _fonts["config"], _fonts["documents"] = FontConfiguration(), 0
    _fonts["documents"] += 1
    return _fonts["config"]


def html_to_pdf(html: str) -> bytes:
    import weasyprint  # heavy (Pango through cffi): loaded only when a PDF is made, not by every worker

    document = weasyprint.HTML(string=html, base_url=str(Path(__file__).parent), url_fetcher=_url_fetcher())
    # PDF/UA-1: a tagged PDF (headings, lists, tables and the charts' alternative text are in its structure)
    # with the title and language in its metadata. WeasyPrint calls its PDF/UA support experimental.
    with _FONTS_LOCK:
        return document.write_pdf(pdf_variant="pdf/ua-1", font_config=_font_config())


def build_report(
    trajectory, *, audience: str, language: str = "nl", today=None, context: dict | None = None
) -> bytes:
    """One version of the trajectory report as PDF bytes. ``trajectory`` comes from
    ``selectors.report_queryset``; ``context``, when given, receives what the report was made from."""
    html, made = _render(trajectory, audience=audience, language=language, today=today)
    if context is not None:
        context.update(made)
    return html_to_pdf(html)


class ConsentMissing(ReportError):
    """The employer version needs the client's consent to share with the employer, given and not withdrawn."""


def check_consent(trajectory, audience: str) -> None:
    """The employer version is made only while the client's consent to share with the employer holds
    (``clients.selectors.has_consent``): after a withdrawal, from that moment on, it is refused."""

    if audience == Audience.EMPLOYER and not has_consent(trajectory.client, ConsentKind.EMPLOYER):
        raise ConsentMissing(
            "The client has not given consent to share with the employer (or withdrew it), so the "
            "employer version cannot be made."
        )


def report_print(*, actor, trajectory, audience: str, language: str = "nl", on_behalf_of: str = "") -> bytes:
    """Make the report for ``actor`` (None on the command line) and record the print in the access log.
    The employer version needs the client's consent (``check_consent``)."""
    if actor is not None and not policies.can_make_report(actor, trajectory):
        raise PermissionDeniedError(policies.refusal_to_report(actor, trajectory))
    audience, language = check_arguments(audience, language)
    check_consent(trajectory, audience)
    context: dict = {}
    pdf = build_report(trajectory, audience=audience, language=language, context=context)
    audit_record(
        actor=actor,
        action="print",
        client=trajectory.client,
        obj=trajectory,
        detail={"audience": str(audience), "report": "trajectory"},
        on_behalf_of=on_behalf_of,
    )
    if context.get("availability"):
        # The client's availability and strengths are the candidate profile's, not the trajectory's: their
        # read is logged on their own, as on the pages that show them.
        audit_record(
            actor=actor,
            action="view",
            client=trajectory.client,
            obj=context["availability"]["profile"],
            detail={"audience": str(audience), "report": "trajectory", "part": "availability"},
            on_behalf_of=on_behalf_of,
        )
    return pdf


# The reader in each version's file name, so the versions cannot be mixed up when they are sent on.
FILE_READER = {
    Audience.FILE: "dossier",
    Audience.COMMISSIONER: "opdrachtgever",
    Audience.EMPLOYER: "werkgever",
}


def client_reference(client) -> str:
    """A short reference to the client without their name: the start of the client's public id (the one
    in the dossier's address)."""
    return client.uuid.hex[:8]


def filename(trajectory, audience, today=None) -> str:
    """``rapportage-<reader>-<client reference>-<date>.pdf``: the reader of the version (dossier,
    opdrachtgever, werkgever), no name, only ASCII letters, digits and hyphens."""

    today = today or timezone.localdate()
    reader = FILE_READER[Audience(audience)]
    return f"rapportage-{reader}-{client_reference(trajectory.client)}-{today.isoformat()}.pdf"
