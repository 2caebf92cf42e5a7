"""The pages the benchmark measures, and the targets they must meet (issue 7).

Adding a page is one entry in ``PAGES``: a key, a title, how to build its request from the *targets* that
``bench.prepare`` picks in the database (the logged-in professional's client, trajectory, search term,
measurement form; the portal session of that client), and the status code a good answer has. A page whose
URL does not resolve in the app (yet), or whose request cannot be built (``build`` returns ``None``), is
reported as "not available".
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
    # whose session cookie goes with it: "staff" (the professional), "lead" (a team lead of their team),
    # "portal" or none
    session: str | None = "staff"


@dataclass(frozen=True)
class Target:
    """Targets at the largest scale of a run: ``p50_ms``/``p95_ms`` (at most), ``ratio`` (the overhead
    ratio, p50 / p50 of the minimal page in the same run, at most) and ``growth`` (p50 at the largest scale
    / p50 at the smallest, at most)."""

    p50_ms: float | None = None
    p95_ms: float | None = None
    ratio: float | None = None
    growth: float | None = None


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    build: Callable[[dict], Request | None]
    target: Target = Target()
    minimal: bool = False  # the reference page for the overhead ratio
    # Measured as the first request of a freshly started server, restarted this many times, instead of
    # in the load loop.
    fresh: bool = False


def _get(path: str, **kwargs) -> Request:
    return Request("GET", path, **kwargs)


def _submit(t: dict) -> Request | None:
    form = t.get("measurement_form")
    if not form:
        return None
    return Request("POST", form["path"], body=form["fields"], expect=302)


def _portal(path: str):
    return lambda t: _get(path, session="portal") if t.get("portal") else None


GROWTH = 1.3
# The pages a professional opens most: fast in absolute terms and in proportion to what the framework
# itself costs on the machine of the day (issue 7).
DAILY = Target(p50_ms=15, p95_ms=30, ratio=8, growth=GROWTH)
PAGES: list[Page] = [
    Page(
        "minimal",
        "Minimal page: login form, no database (reference)",
        lambda t: _get("/accounts/login/", session=None),
        minimal=True,
    ),
    Page("caseload", "Caseload", lambda t: _get("/caseload/"), DAILY),
    # The agenda's week view (issue 17): the professional's appointments of this week, one query.
    Page(
        "agenda_week", "Agenda: week view", lambda t: _get("/agenda/week/"), Target(p95_ms=50, growth=GROWTH)
    ),
    # The start page "Vandaag" (issue 17): every kind of signal of the professional's caseload, a few
    # queries whatever the organisation's size.
    Page(
        "start_page",
        "Start page (Vandaag) with the signals",
        lambda t: _get("/today/"),
        Target(p95_ms=50, growth=GROWTH),
    ),
    # The team lead's start page (issue 17): their own signals and, per team they lead and per kind of
    # signal, how many open trajectories have it (counts only): a fixed number of queries whatever the
    # teams' caseload.
    Page(
        "start_page_lead",
        "Start page (Vandaag) of a team lead, with the teams' counts",
        lambda t: _get("/today/", session="lead") if t.get("quality_lead") else None,
        Target(p95_ms=50, growth=GROWTH),
    ),
    # The search box (issue 17): a fragment of the organisation's most common last name, over every client
    # the professional may see (closed trajectories and clients without one included).
    Page(
        "client_search",
        "Search box: a common last-name fragment",
        lambda t: _get(f"/search/?q={t['common_name']}"),
        Target(p95_ms=50, growth=GROWTH),
    ),
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
    Page("dossier", "Client dossier", lambda t: _get(f"/clients/{t['client']}/"), DAILY),
    Page(
        "timeline",
        "Trajectory page with timeline",
        lambda t: _get(f"/trajectories/{t['trajectory']}/"),
        DAILY,
    ),
    Page(
        "effect",
        "Effect view with charts",
        lambda t: _get(f"/trajectories/{t['trajectory']}/effect/"),
        DAILY,
    ),
    # The same page as the first request of a worker that has just started, its charts drawn when their
    # measurements were submitted (bench.prepare draws them as a submit would).
    Page(
        "effect_fresh",
        "Effect view, first request of a freshly started worker",
        lambda t: _get(f"/trajectories/{t['trajectory']}/effect/"),
        Target(p95_ms=300),
        fresh=True,
    ),
    Page("measurement_submit", "Measurement submit (POST)", _submit, Target(p95_ms=150, growth=GROWTH)),
    # The PDF report for the client's file (WeasyPrint). No growth target for reports.
    Page(
        "report_pdf",
        "PDF report (for the file)",
        lambda t: _get(f"/trajectories/{t['trajectory']}/report/?audience=file&lang=nl"),
    ),
    # The client portal (Mijn Waardewerk), logged in as the client of the measured trajectory.
    Page("portal_home", "Portal: start", _portal("/portal/"), Target(growth=GROWTH)),
    Page("portal_goals", "Portal: my goals", _portal("/portal/goals/"), Target(growth=GROWTH)),
    Page("portal_actions", "Portal: my actions", _portal("/portal/actions/"), Target(growth=GROWTH)),
    Page("portal_appointments", "Portal: coming up", _portal("/portal/appointments/"), Target(growth=GROWTH)),
    Page(
        "portal_questionnaires",
        "Portal: questionnaires",
        _portal("/portal/questionnaires/"),
        Target(growth=GROWTH),
    ),
    Page(
        "portal_progress", "Portal: my progress (charts)", _portal("/portal/progress/"), Target(growth=GROWTH)
    ),
    Page("portal_consent", "Portal: consent", _portal("/portal/consent/"), Target(growth=GROWTH)),
    Page(
        "portal_access_log",
        "Portal: who looked at my file",
        _portal("/portal/access-log/"),
        Target(growth=GROWTH),
    ),
    Page("portal_my_data", "Portal: my data", _portal("/portal/my-data/"), Target(growth=GROWTH)),
    # The client's own evaluation (issue 15): the form in the evaluation phase, else what they wrote.
    Page("portal_evaluation", "Portal: looking back", _portal("/portal/evaluation/"), Target(growth=GROWTH)),
    # What worked here (issue 14): the figures of the entry chosen most in the organisation, precomputed as
    # the nightly `waardewerk insights compute` leaves them (bench.prepare computes them first).
    # Value fit (issue 16): the measured client's fit list over every open job of the organisation
    # (bench.prepare gives the organisation BENCH_JOBS open jobs with value profiles when it has fewer).
    Page(
        "fit_list",
        "Value fit: a client's fit list over the open jobs",
        lambda t: _get(f"/trajectories/{t['fit_trajectory']}/fit/"),
        Target(p95_ms=150, growth=GROWTH),
    ),
    # The measured client's availability and strengths (bench.prepare records them when there are none):
    # the professional's page and the client's own page in the portal.
    Page(
        "availability",
        "Value fit: the client's availability and strengths",
        lambda t: _get(f"/trajectories/{t['trajectory']}/availability/"),
        Target(p95_ms=150, growth=GROWTH),
    ),
    Page(
        "portal_availability",
        "Portal: when can you work, and what are you good at",
        _portal("/portal/jobs/availability/"),
        Target(growth=GROWTH),
    ),
    # The employer's page (its open jobs, contact persons, notes) of the employer with the most open jobs,
    # and the employer's page behind its one-time link (a job's value profile to fill in; bench.prepare
    # makes the link, looking does not use it up).
    Page(
        "employer",
        "Value fit: an employer's page",
        lambda t: _get(f"/employers/{t['employer']}/") if t.get("employer") else None,
        Target(p95_ms=150, growth=GROWTH),
    ),
    Page(
        "employer_link",
        "Value fit: the employer's one-time link page",
        lambda t: (
            _get(f"/employer-link/{t['employer_link']}/", session=None) if t.get("employer_link") else None
        ),
        Target(p95_ms=150, growth=GROWTH),
    ),
    Page(
        "evidence_entry",
        "What worked here: one knowledge-base entry",
        lambda t: _get(f"/evidence/entries/{t['evidence_entry']}/") if t.get("evidence_entry") else None,
        Target(p95_ms=500, growth=GROWTH),
    ),
    Page("evidence_overview", "What worked here: overview", lambda t: _get("/evidence/"), Target(p95_ms=500)),
    # Team quality (issue 15): precomputed per organisation as the nightly `waardewerk quality compute`
    # leaves them (bench.prepare computes them first); the team lead's page and a professional's own page.
    Page(
        "quality_team",
        "Team quality: the team lead's page",
        lambda t: _get("/quality/team/", session="lead") if t.get("quality_lead") else None,
        Target(p95_ms=300, growth=GROWTH),
    ),
    # Import and export (issue 20): the functional administrator's page with the latest exports.
    Page(
        "transfer",
        "Import and export: the administrator's page",
        lambda t: _get("/admin-area/transfer/", session="admin") if t.get("admin") else None,
        Target(p95_ms=300, growth=GROWTH),
    ),
    # Retention (issue 19): the organisation's terms with their history, and the destruction lists.
    Page(
        "privacy_retention",
        "Privacy: the organisation's retention terms",
        lambda t: _get("/privacy/retention/", session="admin") if t.get("admin") else None,
        Target(p95_ms=300, growth=GROWTH),
    ),
    Page(
        "privacy_destruction_lists",
        "Privacy: the destruction lists",
        lambda t: _get("/privacy/destruction/", session="admin") if t.get("admin") else None,
        Target(p95_ms=300, growth=GROWTH),
    ),
    # A destruction list waiting for approval (bench.prepare proposes one as the daily run would): its page
    # counts the files on the list per action and result in the database and shows one page of them (and
    # logs a read per file shown), so only the counting grows with the files past their term.
    Page(
        "privacy_destruction_list",
        "Privacy: a destruction list waiting for approval",
        lambda t: (
            _get(f"/privacy/destruction/{t['destruction_list']}/", session="admin")
            if t.get("admin") and t.get("destruction_list")
            else None
        ),
        Target(p95_ms=300),
    ),
    Page(
        "quality_mine",
        "Team quality: a professional's own figures",
        lambda t: _get("/quality/mine/"),
        Target(p95_ms=300, growth=GROWTH),
    ),
    # Intervision and the professional's development (issue 13): the professional's group with the most
    # sessions, its latest session's record form, and their development log (with the sessions attended);
    # bench.prepare makes a group with sessions when the professional has none.
    Page(
        "intervision_group",
        "Intervision: the group page",
        lambda t: (
            _get(f"/intervision/groups/{t['intervision_group']}/") if t.get("intervision_group") else None
        ),
        Target(p95_ms=300, growth=GROWTH),
    ),
    Page(
        "intervision_record",
        "Intervision: the session record",
        lambda t: (
            _get(f"/intervision/sessions/{t['intervision_session']}/record/")
            if t.get("intervision_session")
            else None
        ),
        Target(p95_ms=300, growth=GROWTH),
    ),
    Page("development_log", "My development: the log", lambda t: _get("/development/"), Target(p95_ms=300)),
    # The guiding principles (issue 15): content of the installation, the same at every scale.
    Page(
        "principles", "Guiding principles", lambda t: _get("/principles/"), Target(p95_ms=100, growth=GROWTH)
    ),
]
PAGES += [
    # The API (issue 20): the first page of the organisation's clients and trajectories, with an
    # application's token (bench.prepare registers one).
    Page(
        key,
        title,
        lambda t, path=path: (
            _get(path, headers={"Authorization": f"Bearer {t['api_token']}"}, session=None)
            if t.get("api_token")
            else None
        ),
        Target(p95_ms=50, growth=GROWTH),
    )
    for key, title, path in [
        ("api_clients", "API: the list of clients", "/api/v1/clients/"),
        ("api_trajectories", "API: the list of trajectories", "/api/v1/trajectories/"),
    ]
]
PAGE_KEYS = [page.key for page in PAGES]
