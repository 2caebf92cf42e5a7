"""The pages the benchmark measures, and the targets they must meet (issue 7).

Adding a page is one entry in ``PAGES``: a key, a title, how to build its request from the *targets* that
``bench.prepare`` picks in the database (the logged-in professional's client, trajectory, search term,
measurement form), and the status code a good answer has. A page whose URL does not resolve in the app
(yet), or whose request cannot be built (``build`` returns ``None``), is reported as "not available".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: dict | None = None  # form fields of a POST
    headers: dict = field(default_factory=dict)
    expect: int = 200
    authenticated: bool = True


@dataclass(frozen=True)
class Target:
    """A target at the largest scale of a run: ``p95_ms`` (p95 latency below) and/or ``growth`` (p50 at the
    largest scale / p50 at the smallest, at most)."""

    p95_ms: float | None = None
    growth: float | None = None


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    build: Callable[[dict], Request | None]
    target: Target = Target()
    minimal: bool = False  # the reference page for the overhead ratio


def _get(path: str, **kwargs) -> Request:
    return Request("GET", path, **kwargs)


def _submit(t: dict) -> Request | None:
    form = t.get("measurement_form")
    if not form:
        return None
    return Request("POST", form["path"], body=form["fields"], expect=302)


GROWTH = 1.3
PAGES: list[Page] = [
    Page(
        "minimal",
        "Minimal page: login form, no database (reference)",
        lambda t: _get("/accounts/login/", authenticated=False),
        minimal=True,
    ),
    Page("caseload", "Caseload", lambda t: _get("/caseload/"), Target(p95_ms=100, growth=GROWTH)),
    Page(
        "caseload_search",
        "Caseload search (name part)",
        lambda t: _get(f"/caseload/?q={t['search']}"),
        Target(growth=GROWTH),
    ),
    Page(
        "caseload_htmx",
        "Caseload filter, htmx partial",
        lambda t: _get("/caseload/?phase=execution&sort=next_action", headers={"HX-Request": "true"}),
        Target(growth=GROWTH),
    ),
    Page(
        "dossier",
        "Client dossier",
        lambda t: _get(f"/clients/{t['client']}/"),
        Target(p95_ms=100, growth=GROWTH),
    ),
    Page(
        "timeline",
        "Trajectory page with timeline",
        lambda t: _get(f"/trajectories/{t['trajectory']}/"),
        Target(growth=GROWTH),
    ),
    Page(
        "effect",
        "Effect view with charts",
        lambda t: _get(f"/trajectories/{t['trajectory']}/effect/"),
        Target(growth=GROWTH),
    ),
    Page("measurement_submit", "Measurement submit (POST)", _submit, Target(p95_ms=150, growth=GROWTH)),
    # The PDF report for the client's file (WeasyPrint). No growth target for reports.
    Page(
        "report_pdf",
        "PDF report (for the file)",
        lambda t: _get(f"/trajectories/{t['trajectory']}/report/?audience=file&lang=nl"),
    ),
]
PAGE_KEYS = [page.key for page in PAGES]
