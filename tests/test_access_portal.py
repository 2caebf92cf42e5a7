"""Access rules of the client portal for the client roles (tests/access_portal.py::CLIENT_MATRIX), and the
separation of client and staff sessions."""

import pytest
from django.urls import reverse

from tests.access_portal import CLIENT_MATRIX, CLIENT_ROLES, LOGIN, MATRIX
from tests.factories import TrajectoryFactory
from tests.portal_helpers import log_in_client, portal_account
from tests.test_access import MATRIX as STAFF_MATRIX
from tests.test_access import _url_names
from waardewerk.trajectories.models import PlanAgreement, PlanVersion


def test_every_portal_url_has_a_rule_for_every_client_role():
    from django.urls import get_resolver

    names = {n for n in _url_names(get_resolver().url_patterns) if n.startswith("portal:")}
    assert names == set(CLIENT_MATRIX) == set(MATRIX), sorted(names ^ set(CLIENT_MATRIX))
    for name, (_, _, _, expected) in CLIENT_MATRIX.items():
        assert set(expected) == set(CLIENT_ROLES), f"{name} lacks client roles"


@pytest.fixture
def world(professional, colleague, team):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    version = PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content='{"goals": [{"key": "g-1", "text": "Weer werken", "values": [], "determinants": [],'
        ' "status": "active"}], "choices": [{"key": "c-1", "description": "Werkervaringsplaats",'
        ' "preference": "Liever meteen aan de slag"}]}',
        reason="Eerste versie",
        created_by=professional,
    )
    PlanAgreement.objects.create(
        plan_version=version, agreed_on=version.created_at.date(), method="signed", recorded_by=professional
    )
    other = TrajectoryFactory(responsible=colleague, client__organisation=professional.organisation)
    portal_account(trajectory.client)
    portal_account(other.client)
    return {"trajectory": trajectory, "client": trajectory.client, "other_client": other.client}


@pytest.mark.django_db
@pytest.mark.parametrize("role", CLIENT_ROLES)
@pytest.mark.parametrize("name", sorted(CLIENT_MATRIX))
def test_client_access(client, world, name, role):
    method, url_for, data_for, expected = CLIENT_MATRIX[name]
    if role != "anonymous":
        log_in_client(client, world[role])
    response = getattr(client, method)(url_for(world), data_for(world) if data_for else None)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            f"{name} as {role}: {response.status_code} {response.get('Location')}"
        )
    else:
        assert response.status_code == want, f"{name} as {role}: {response.status_code}, expected {want}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, spec in CLIENT_MATRIX.items() if spec[3]["other_client"] == 404])
def test_another_clients_object_gives_the_same_404_as_an_unknown_one(client, world, name):
    import uuid
    from types import SimpleNamespace

    method, url_for, data_for, _ = CLIENT_MATRIX[name]
    log_in_client(client, world["other_client"])
    real = getattr(client, method)(url_for(world), data_for(world) if data_for else None)
    fake_world = dict(world, trajectory=SimpleNamespace(pk=None, uuid=uuid.uuid4()))
    unknown = getattr(client, method)(url_for(fake_world), data_for(world) if data_for else None)
    assert real.status_code == unknown.status_code == 404
    main = lambda r: r.content.decode().split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    assert main(real) == main(unknown)


@pytest.mark.django_db
def test_a_client_session_opens_no_staff_page(client, world, professional, team_lead, functional_admin):
    """Every staff URL that sends an anonymous visitor to the log-in page does the same for a client."""
    log_in_client(client, world["client"])
    staff_world = _staff_world(
        world, {"professional": professional, "team_lead": team_lead, "functional_admin": functional_admin}
    )
    checked = 0
    for name, (method, url_for, data_for, expected) in STAFF_MATRIX.items():
        if name.startswith("portal:") or expected["anonymous"] != LOGIN:
            continue
        response = getattr(client, method)(url_for(staff_world), data_for(staff_world) if data_for else None)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
        checked += 1
    assert checked > 30


def _staff_world(world, users):
    from tests.factories import ActionFactory, lwc_answers, make_measurement
    from waardewerk.trajectories.models import TrajectoryAssignment

    trajectory = world["trajectory"]
    return {
        **world,
        "closed": trajectory,
        "measurement": make_measurement(trajectory, "lwc", lwc_answers()),
        "draft": make_measurement(trajectory, "participatieladder", {"rung": 2}, status="draft"),
        "action": ActionFactory(trajectory=trajectory),
        "assignment": TrajectoryAssignment(uuid=__import__("uuid").uuid4()),
        "users": {**users, "colleague": trajectory.responsible},
    }
