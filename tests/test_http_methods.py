"""Every URL answers only the HTTP methods it serves, and every response that shows client data writes its
read (or the write) to the access log, whatever the method (docs/security.md, "Findings of the outside
probe": OPTIONS, TRACE and invalid POSTs showed whole dossier pages without a log row).

The URLs and their builders come from the access matrix (``tests/test_access.py`` and ``tests/access_*.py``),
so a new page is covered the day it gets its row there.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access_portal import _SPEC as PORTAL_SPEC
from tests.portal_helpers import log_in_client, portal_account
from tests.test_access import MATRIX, world  # noqa: F401 (the world fixture)
from waardewerk.audit.models import AccessEvent

# POST comes last: it may change the world (discard a draft, end an assignment, log out).
METHODS = ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "POST"]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Pages of the portal that only a client opens (staff get 403 there).
CLIENT_PAGES = {name for name, spec in PORTAL_SPEC.items() if spec[3]["professional"] == 403}
# Pages with a UUID in their path that are not about one client: intervision groups and sessions (an
# experiment's link to a trajectory names its client, and then the read must be logged all the same), and the
# professional's own development log (a goal's link to a trajectory evaluation likewise), and employers and
# jobs (a job's page lists the professional's own clients with their fit, each read logged all the same).
NOT_ABOUT_A_CLIENT = ("intervision:", "development:", "matching:employer", "matching:contact", "matching:job")


def _request(http, method, url, data):
    if method == "POST":
        return http.post(url, data)
    if method == "HEAD":
        return http.head(url)
    return http.generic(method, url)


def _clients(w):
    return {w["client"], w["closed"].client}


def _names_a_client(response, clients) -> bool:
    body = response.content.decode(errors="replace")
    return any(re.search(rf"\b{re.escape(c.last_name)}\b", body) for c in clients)


def _check(name, method, label, response, w):
    """The answer is 405, a redirect without content, or it has a read or write of the client in the log."""
    where = f"{method} {name} ({label}): {response.status_code}"
    status = response.status_code
    if status == 405:
        return
    if 300 <= status < 400:
        assert not response.content, f"{where}: a redirect with content"
        return
    clients = _clients(w)
    events = list(AccessEvent.objects.filter(request_id=response["X-Request-ID"]))
    about_a_client = name in CLIENT_PAGES or (
        bool(UUID.search(response.request["PATH_INFO"])) and not name.startswith(NOT_ABOUT_A_CLIENT)
    )
    logged = {e.client_uuid for e in events if e.client_uuid} & {c.uuid for c in clients}
    searched = any(e.action == "search" for e in events)
    if status in (401, 403, 404) and not logged:
        # The error pages of the project (401: the API without an application's token): they show nothing
        # of the client.
        assert not _names_a_client(response, clients), f"{where}: an error page that names the client"
        return
    if about_a_client:
        assert logged, f"{where}: shows a client's page without an access log row for the client"
    elif _names_a_client(response, clients):
        assert logged or searched, f"{where}: names a client without an access log row"


def _log_in(http, name, w):
    if name in CLIENT_PAGES:
        log_in_client(http, w["client"])
    else:
        http.force_login(w["users"]["professional"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_method_answers_405_or_logs_the_read(client, world, name):  # noqa: F811
    """As the owner (the responsible professional; for the client's portal pages the client): GET, HEAD,
    POST (empty, then the matrix's valid data), PUT, PATCH, DELETE, OPTIONS and TRACE."""
    portal_account(world["client"])
    _method, url_for, data_for, _expected = MATRIX[name]
    for method in METHODS:
        bodies = [("empty", {})] + ([("valid", data_for)] if method == "POST" and data_for else [])
        for label, data in bodies:
            _log_in(client, name, world)
            url = url_for(world)
            response = _request(client, method, url, data(world) if callable(data) else data)
            _check(name, method, label, response, world)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "PROPFIND"])
def test_methods_the_application_does_not_serve_get_405_everywhere(client, professional, method):
    """Also on class-based views (the log-in) and for anonymous visitors, before any view runs."""
    for path in ("/accounts/login/", "/caseload/", "/portal/", f"/trajectories/{uuid.uuid4()}/"):
        response = client.generic(method, path)
        assert response.status_code == 405, (method, path)
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, pattern.callback


def declared_methods(view) -> set[str] | None:
    """The methods a function view serves, from Django's ``require_*`` decorators anywhere in its wrappers;
    a class-based view serves the methods it has handlers for. None: nothing declared."""
    if hasattr(view, "view_class"):
        cls = view.view_class
        return {m.upper() for m in cls.http_method_names if hasattr(cls, m)} - {"OPTIONS"}
    found = None
    while view is not None:
        for cell_name, cell in zip(view.__code__.co_freevars, view.__closure__ or (), strict=True):
            if cell_name == "request_method_list":
                methods = set(cell.cell_contents)
                found = methods if found is None else found & methods
        view = getattr(view, "__wrapped__", None)
    return found


def test_every_view_declares_the_methods_it_serves():
    """A view without ``require_GET``/``require_POST``/``require_http_methods`` would answer any method the
    middleware lets through; a GET page would render for a POST."""
    undeclared = [
        name for name, view in _views(get_resolver().url_patterns) if declared_methods(view) is None
    ]
    assert not undeclared, f"views without a method decorator: {sorted(undeclared)}"


PROBED_ERROR_PATHS = [
    "trajectories:change_phase",
    "trajectories:add_action",
    "trajectories:add_note",
    "trajectories:plan_agree",
    "trajectories:evaluation",
    "portal:invite",
]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "POST"])
@pytest.mark.parametrize("page", ["trajectories:detail", "trajectories:staffing"])
def test_the_probed_pages_refuse_other_methods(client, world, page, method):  # noqa: F811
    """The probe's finding: OPTIONS, TRACE or a POST answered 200 with the whole page and no log row."""
    client.force_login(world["users"]["professional"])
    url = MATRIX[page][1](world) + "?kind=conversation"
    response = client.generic(method, url)
    assert response.status_code == 405 and not AccessEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PROBED_ERROR_PATHS)
def test_an_invalid_post_shows_the_page_again_and_logs_the_read(client, world, name):  # noqa: F811
    client.force_login(world["users"]["professional"])
    response = client.post(MATRIX[name][1](world), {"version": "x", "agreed_on": "31-31-2024"})
    assert response.status_code == 422
    assert world["client"].last_name in response.content.decode()
    event = AccessEvent.objects.get(request_id=response["X-Request-ID"])
    assert (event.action, event.client_uuid) == ("view", world["client"].uuid)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_response_to_a_signed_in_user_or_client_may_be_stored(client, world, name):  # noqa: F811
    """Pages with client data were cacheable (only PDFs and the portal said ``no-store``): every response
    to a signed-in staff member or a client in the portal, whatever its status, says so now."""
    portal_account(world["client"])
    method, url_for, data_for, _expected = MATRIX[name]
    _log_in(client, name, world)
    response = _request(client, method.upper(), url_for(world), data_for(world) if data_for else {})
    assert "no-store" in response.get("Cache-Control", ""), (name, response.status_code)
    assert response.get("Pragma") == "no-cache", name
