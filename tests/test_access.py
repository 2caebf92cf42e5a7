"""Access rules per URL and per role (docs/authorization.md).

Every URL of the project must appear in MATRIX with an expected answer for every role of
``tests/matrix.py::ROLES``: organisation A's staff, and a full set of roles of a second organisation B who
must not be able to tell that A's objects exist. A new page cannot slip through untested. Each URL is also
asked for organisation B's objects by A's roles (404 for every URL that names an object), and a page that
names no object must not show the other organisation's data.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import ActionFactory, OrganisationFactory, TeamFactory, TrajectoryFactory, UserFactory
from tests.matrix import (
    ADMIN,
    CASE_WORKERS,
    DOSSIER,
    DOSSIER_PART_POST,
    DOSSIER_POST,
    LOGIN,
    ROLES,
    ROLES_B,
    STAFF_A,
    no_object,
    org_a_object,
)
from tests.portal_helpers import log_in_client, portal_account
from waardewerk.accounts.models import Role
from waardewerk.trajectories.models import Phase, TrajectoryAssignment


def _today():
    return timezone.localdate().isoformat()


STAFFING = org_a_object(
    {"anonymous": LOGIN, "professional": 200, "colleague": 404, "team_lead": 200, "functional_admin": 404}
)
STAFFING_POST = STAFFING | {"professional": 302, "team_lead": 302}

# url name -> (method, url builder, POST data builder or None, {role: expected status})
MATRIX = {
    "home": (
        "get",
        lambda w: reverse("home"),
        None,
        no_object({"anonymous": LOGIN, **dict.fromkeys(STAFF_A, 302)}),
    ),
    "login": (
        "get",
        lambda w: reverse("login"),
        None,
        no_object({"anonymous": 200, **dict.fromkeys(STAFF_A, 302)}),
    ),
    "logout": (
        "post",
        lambda w: reverse("logout"),
        lambda w: {},
        no_object(dict.fromkeys(["anonymous", *STAFF_A], 302)),
    ),
    "set_language": (
        "post",
        lambda w: reverse("set_language"),
        lambda w: {"language": "en", "next": "/"},
        no_object(dict.fromkeys(["anonymous", *STAFF_A], 302)),
    ),
    "accounts:organisation": ("get", lambda w: reverse("accounts:organisation"), None, ADMIN),
    "accounts:background_tasks": ("get", lambda w: reverse("accounts:background_tasks"), None, ADMIN),
    "trajectories:caseload": ("get", lambda w: reverse("trajectories:caseload"), None, CASE_WORKERS),
    "clients:register": ("get", lambda w: reverse("clients:register"), None, CASE_WORKERS),
    # Another organisation's case workers search the same name and find nothing (typed in lower case, so
    # the page's echo of the query is not taken for the name itself).
    "clients:search": (
        "get",
        lambda w: reverse("clients:search") + "?q=" + w["client"].last_name.lower(),
        None,
        CASE_WORKERS,
    ),
    "clients:dossier": ("get", lambda w: reverse("clients:dossier", args=[w["client"].uuid]), None, DOSSIER),
    "clients:edit": ("get", lambda w: reverse("clients:edit", args=[w["client"].uuid]), None, DOSSIER),
    "trajectories:start": (
        "get",
        lambda w: reverse("trajectories:start", args=[w["closed"].client.uuid]),
        None,
        DOSSIER | {"team_lead": 404},  # the closed trajectory is in no team: the team lead cannot know it
    ),
    "trajectories:detail": (
        "get",
        lambda w: reverse("trajectories:detail", args=[w["trajectory"].uuid]),
        None,
        DOSSIER,
    ),
    "trajectories:close": (
        "get",
        lambda w: reverse("trajectories:close", args=[w["trajectory"].uuid]),
        None,
        DOSSIER,
    ),
    "trajectories:change_phase": (
        "post",
        lambda w: reverse("trajectories:change_phase", args=[w["trajectory"].uuid]),
        lambda w: {"to_phase": Phase.PLAN, "reason": "Intake afgerond", "version": w["trajectory"].version},
        DOSSIER_POST,
    ),
    "trajectories:add_action": (
        "post",
        lambda w: reverse("trajectories:add_action", args=[w["trajectory"].uuid]),
        lambda w: {"description": "Sollicitatiebrief", "owner": "client", "due_date": _today()},
        DOSSIER_POST,
    ),
    "trajectories:action_status": (
        "post",
        lambda w: reverse("trajectories:action_status", args=[w["action"].uuid]),
        lambda w: {"status": "done"},
        DOSSIER_PART_POST,
    ),
    "trajectories:staffing": (
        "get",
        lambda w: reverse("trajectories:staffing", args=[w["trajectory"].uuid]),
        None,
        STAFFING,
    ),
    "trajectories:assign": (
        "post",
        lambda w: reverse("trajectories:assign", args=[w["trajectory"].uuid]),
        lambda w: {"user": w["users"]["colleague"].pk, "kind": "substitute", "starts_on": _today()},
        STAFFING_POST,
    ),
    "trajectories:transfer": (
        "post",
        lambda w: reverse("trajectories:transfer", args=[w["trajectory"].uuid]),
        lambda w: {
            "responsible": w["users"]["colleague"].pk,
            "reason": "Ziekte",
            "version": w["trajectory"].version,
            "confirmed": "yes",
        },
        STAFFING_POST,
    ),
    "trajectories:end_assignment": (
        "post",
        lambda w: reverse("trajectories:end_assignment", args=[w["assignment"].uuid]),
        lambda w: {},
        STAFFING_POST | {"team_lead": 302},
    ),
    "trajectories:team": (
        "get",
        lambda w: reverse("trajectories:team"),
        None,
        no_object(
            {
                "anonymous": LOGIN,
                "professional": 403,
                "colleague": 403,
                "team_lead": 200,
                "functional_admin": 403,
            }
        ),
    ),
    # Emergency access: the team lead of the trajectory's team, who cannot read it. The responsible
    # professional reads it already (403); nobody else knows the trajectory (404).
    "trajectories:emergency_access": (
        "post",
        lambda w: reverse("trajectories:emergency_access", args=[w["trajectory"].uuid]),
        lambda w: {"reason": "De cliënt belt in paniek; de professional is ziek."},
        org_a_object(
            {
                "anonymous": LOGIN,
                "professional": 403,
                "colleague": 404,
                "team_lead": 302,
                "functional_admin": 404,
            }
        ),
    ),
}


def _load_extra_matrices():
    """Areas keep their part of the matrix in ``tests/access_<area>.py`` as a dict named MATRIX."""
    import importlib
    import pkgutil
    from pathlib import Path

    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("access_"):
            MATRIX.update(importlib.import_module(f"tests.{module.name}").MATRIX)


_load_extra_matrices()


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_an_access_rule_for_every_role():
    names = set(_url_names(get_resolver().url_patterns))
    missing = names - set(MATRIX)
    assert not missing, f"URLs without access tests: {sorted(missing)}"
    assert not set(MATRIX) - names, f"rules for URLs that do not exist: {sorted(set(MATRIX) - names)}"
    for name, (_, _, _, expected) in MATRIX.items():
        assert set(expected) == set(ROLES), (
            f"{name}: roles without an expectation {set(ROLES) - set(expected)}"
        )


def _build_world(*, professional, colleague, team_lead, functional_admin, team, knowledge_editor=None):
    """One organisation's objects, the same in A and B: an open trajectory of the team (with a measurement,
    a draft, a plan, an action and a future assignment), a closed trajectory of another client, and the
    open trajectory's client with a portal account."""
    organisation = professional.organisation
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=organisation, team=team)
    outsider = UserFactory(organisation=organisation)
    future = TrajectoryAssignment.objects.create(
        trajectory=trajectory,
        user=outsider,
        kind="substitute",
        starts_on=timezone.localdate() + dt.timedelta(days=7),
        created_by=professional,
    )
    closed = TrajectoryFactory(
        responsible=professional,
        client__organisation=organisation,
        end_date=timezone.localdate() - dt.timedelta(days=1),
        end_reason="moved",
    )
    from tests.factories import lwc_answers, make_measurement
    from waardewerk.trajectories.models import PlanVersion

    measurement = make_measurement(trajectory, "lwc", lwc_answers())
    PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content='{"goals": [{"key": "g-1", "text": "Weer werken", "values": [], "determinants": [],'
        ' "status": "active"}], "choices": []}',
        reason="Eerste versie",
        created_by=professional,
    )
    draft = make_measurement(trajectory, "participatieladder", {"rung": 2}, status="draft")
    portal_account(trajectory.client)
    return {
        "client": trajectory.client,
        "trajectory": trajectory,
        "closed": closed,
        "measurement": measurement,
        "draft": draft,
        "action": ActionFactory(trajectory=trajectory),
        "assignment": future,
        "users": {
            "professional": professional,
            "colleague": colleague,
            "team_lead": team_lead,
            "functional_admin": functional_admin,
            "knowledge_editor": knowledge_editor
            or UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR),
        },
    }


@pytest.fixture
def world(professional, colleague, team_lead, functional_admin, team):
    return _build_world(
        professional=professional,
        colleague=colleague,
        team_lead=team_lead,
        functional_admin=functional_admin,
        team=team,
    )


@pytest.fixture
def world_b(db):
    """Organisation B: the same roles and objects, other people."""
    organisation = OrganisationFactory(name="Gemeente Elders")
    team = TeamFactory(organisation=organisation, name="Werk en Inkomen Elders")

    def user(role, first, last, in_team=True):
        made = UserFactory(organisation=organisation, role=role, first_name=first, last_name=last)
        if in_team:
            made.teams.add(team)
        return made

    return _build_world(
        professional=user(Role.PROFESSIONAL, "Bram", "Buiten"),
        colleague=user(Role.PROFESSIONAL, "Bo", "Buur"),
        team_lead=user(Role.TEAM_LEAD, "Bas", "Baas"),
        functional_admin=user(Role.FUNCTIONAL_ADMIN, "Britt", "Beheer", in_team=False),
        team=team,
    )


def _as(role, world, world_b) -> Client:
    """A browser logged in as ``role`` (tests/matrix.py): A's staff from ``world``, B's roles from
    ``world_b``; ``client`` is A's client in the portal."""
    browser = Client()
    if role == "client":
        log_in_client(browser, world["client"])
    elif role == "org_b_client":
        log_in_client(browser, world_b["client"])
    elif role.startswith("org_b_"):
        browser.force_login(world_b["users"][role.removeprefix("org_b_")])
    elif role != "anonymous":
        browser.force_login(world["users"][role])
    return browser


def _answer(role, world, world_b, method, url, data, expected):
    """The answer to one request, whose changes are undone afterwards: its status, or LOGIN for a redirect
    to the staff log-in where that is what ``expected`` asks (a plain 302 matches any redirect)."""
    with transaction.atomic():
        response = getattr(_as(role, world, world_b), method)(url, data)
        transaction.set_rollback(True)
    to_login = response.status_code == 302 and response["Location"].startswith(reverse("login"))
    return LOGIN if (to_login and expected == LOGIN) else response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(world, world_b, name):
    """Every role on organisation A's objects, each request in its own savepoint."""
    method, url_for, data_for, expected = MATRIX[name]
    url, data = url_for(world), (data_for(world) if data_for else None)
    answers = {role: _answer(role, world, world_b, method, url, data, expected[role]) for role in ROLES}
    wrong = {role: (answers[role], expected[role]) for role in ROLES if answers[role] != expected[role]}
    assert not wrong, f"{name}: role -> (answer, expected): {wrong}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted(n for n, spec in MATRIX.items() if spec[3]["org_b_professional"] == 404)
)
def test_organisation_a_cannot_tell_that_organisation_b_objects_exist(world, world_b, name):
    """The other way round: A's staff (and A's client, on portal URLs) ask for B's objects: 404 for all."""
    method, url_for, data_for, expected = MATRIX[name]
    url, data = url_for(world_b), (data_for(world_b) if data_for else None)
    roles = [*STAFF_A, *(["client"] if expected["org_b_client"] == 404 else [])]
    answers = {role: _answer(role, world, world_b, method, url, data, 404) for role in roles}
    assert answers == dict.fromkeys(roles, 404), f"{name}: {answers}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, (method, _u, _d, expected) in MATRIX.items()
        if method == "get" and any(expected[r] == 200 for r in ROLES_B)
    ),
)
def test_pages_without_an_object_show_only_the_own_organisation(world, world_b, name):
    """A page organisation B may open (its caseload, team overview, organisation, portal pages) shows
    nothing of organisation A."""
    method, url_for, data_for, expected = MATRIX[name]
    url = url_for(world)
    traces = [
        world["client"].last_name,
        world["closed"].client.last_name,
        world["users"]["professional"].get_full_name(),
        world["trajectory"].team.name,
    ]
    for role in (r for r in ROLES_B if expected[r] == 200):
        with transaction.atomic():
            content = _text(_as(role, world, world_b).get(url))
            transaction.set_rollback(True)
        shown = [trace for trace in traces if trace in content]
        assert not shown, f"{name} as {role} shows organisation A's {shown}"


def _text(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        import io

        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return b"".join(response).decode() if response.streaming else response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, spec in MATRIX.items() if spec[3]["colleague"] == 404])
def test_unknown_object_gives_the_same_404_as_someone_elses(client, world, name):
    """A random UUID and a colleague's object are indistinguishable to the professional."""
    import uuid

    method, url_for, data_for, _ = MATRIX[name]
    client.force_login(world["users"]["colleague"])
    real = getattr(client, method)(url_for(world), data_for(world) if data_for else None)
    fake_world = dict(world)
    for key in ("client", "trajectory", "action", "assignment", "measurement", "draft"):
        fake = type(world[key])(uuid=uuid.uuid4())
        fake_world[key] = fake
    fake_world["closed"] = type(world["closed"])(
        uuid=uuid.uuid4(), client=type(world["client"])(uuid=uuid.uuid4())
    )
    unknown = getattr(client, method)(url_for(fake_world), data_for(world) if data_for else None)
    assert real.status_code == unknown.status_code == 404
    main = lambda r: r.content.decode().split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    assert main(real) == main(unknown)
