"""Access rules per URL and per role.

Every URL of the project must appear in MATRIX with an expected outcome for every role: a new page cannot
slip through untested. "Not yours" and "does not exist" both give 404.
"""

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import ActionFactory, TrajectoryFactory, UserFactory
from waardewerk.trajectories.models import Phase, TrajectoryAssignment

ROLES = ["anonymous", "professional", "colleague", "team_lead", "functional_admin"]
LOGIN = "login"  # redirect to the login page


def _today():
    return timezone.localdate().isoformat()


# url name -> (method, url builder, POST data builder or None, {role: expected status})
OWNER_ONLY = {
    "anonymous": LOGIN,
    "professional": 200,
    "colleague": 404,
    "team_lead": 404,
    "functional_admin": 404,
}
OWNER_POST = {
    "anonymous": LOGIN,
    "professional": 302,
    "colleague": 404,
    "team_lead": 404,
    "functional_admin": 404,
}
STAFFING = {
    "anonymous": LOGIN,
    "professional": 200,
    "colleague": 404,
    "team_lead": 200,
    "functional_admin": 404,
}
STAFFING_POST = {
    "anonymous": LOGIN,
    "professional": 302,
    "colleague": 404,
    "team_lead": 302,
    "functional_admin": 404,
}
CASE_WORKERS = {
    "anonymous": LOGIN,
    "professional": 200,
    "colleague": 200,
    "team_lead": 200,
    "functional_admin": 403,
}

MATRIX = {
    "home": (
        "get",
        lambda w: reverse("home"),
        None,
        {
            "anonymous": LOGIN,
            "professional": 302,
            "colleague": 302,
            "team_lead": 302,
            "functional_admin": 302,
        },
    ),
    "login": (
        "get",
        lambda w: reverse("login"),
        None,
        {"anonymous": 200, "professional": 302, "colleague": 302, "team_lead": 302, "functional_admin": 302},
    ),
    "logout": (
        "post",
        lambda w: reverse("logout"),
        lambda w: {},
        {"anonymous": 302, "professional": 302, "colleague": 302, "team_lead": 302, "functional_admin": 302},
    ),
    "set_language": (
        "post",
        lambda w: reverse("set_language"),
        lambda w: {"language": "en", "next": "/"},
        {r: 302 for r in ROLES},
    ),
    "accounts:organisation": (
        "get",
        lambda w: reverse("accounts:organisation"),
        None,
        {
            "anonymous": LOGIN,
            "professional": 403,
            "colleague": 403,
            "team_lead": 403,
            "functional_admin": 200,
        },
    ),
    "trajectories:caseload": ("get", lambda w: reverse("trajectories:caseload"), None, CASE_WORKERS),
    "clients:register": ("get", lambda w: reverse("clients:register"), None, CASE_WORKERS),
    "clients:dossier": (
        "get",
        lambda w: reverse("clients:dossier", args=[w["client"].uuid]),
        None,
        OWNER_ONLY,
    ),
    "clients:edit": ("get", lambda w: reverse("clients:edit", args=[w["client"].uuid]), None, OWNER_ONLY),
    "trajectories:start": (
        "get",
        lambda w: reverse("trajectories:start", args=[w["closed"].client.uuid]),
        None,
        OWNER_ONLY,
    ),
    "trajectories:detail": (
        "get",
        lambda w: reverse("trajectories:detail", args=[w["trajectory"].uuid]),
        None,
        OWNER_ONLY,
    ),
    "trajectories:close": (
        "get",
        lambda w: reverse("trajectories:close", args=[w["trajectory"].uuid]),
        None,
        OWNER_ONLY,
    ),
    "trajectories:change_phase": (
        "post",
        lambda w: reverse("trajectories:change_phase", args=[w["trajectory"].uuid]),
        lambda w: {"to_phase": Phase.PLAN, "reason": "Intake afgerond", "version": w["trajectory"].version},
        OWNER_POST,
    ),
    "trajectories:add_conversation": (
        "post",
        lambda w: reverse("trajectories:add_conversation", args=[w["trajectory"].uuid]),
        lambda w: {"date": _today(), "mode": "phone", "summary": "Telefonisch contact"},
        OWNER_POST,
    ),
    "trajectories:add_action": (
        "post",
        lambda w: reverse("trajectories:add_action", args=[w["trajectory"].uuid]),
        lambda w: {"description": "Sollicitatiebrief", "owner": "client", "due_date": _today()},
        OWNER_POST,
    ),
    "trajectories:action_status": (
        "post",
        lambda w: reverse("trajectories:action_status", args=[w["action"].uuid]),
        lambda w: {"status": "done"},
        OWNER_POST,
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
        },
        STAFFING_POST,
    ),
    "trajectories:end_assignment": (
        "post",
        lambda w: reverse("trajectories:end_assignment", args=[w["assignment"].uuid]),
        lambda w: {},
        STAFFING_POST,
    ),
    "trajectories:team": (
        "get",
        lambda w: reverse("trajectories:team"),
        None,
        {
            "anonymous": LOGIN,
            "professional": 403,
            "colleague": 403,
            "team_lead": 200,
            "functional_admin": 403,
        },
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
    for name, (_, _, _, expected) in MATRIX.items():
        assert set(expected) == set(ROLES), f"{name} lacks roles {set(ROLES) - set(expected)}"


@pytest.fixture
def world(professional, colleague, team_lead, functional_admin, team):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    outsider = UserFactory(organisation=professional.organisation)
    future = TrajectoryAssignment.objects.create(
        trajectory=trajectory,
        user=outsider,
        kind="substitute",
        starts_on=timezone.localdate() + dt.timedelta(days=7),
        created_by=professional,
    )
    closed = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
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
        },
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(client, world, name, role):
    method, url_for, data_for, expected = MATRIX[name]
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = url_for(world)
    response = getattr(client, method)(url, data_for(world) if data_for else None)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            f"{name} as {role}: {response.status_code}"
        )
    else:
        assert response.status_code == want, f"{name} as {role}: {response.status_code}, expected {want}"


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
