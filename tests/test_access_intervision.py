"""The second organisation's actors on every intervision URL: a group, its sessions, experiments and
reflections of one organisation are invisible to another (the same 404 as for an unknown object), and the
lists show them nothing of it. The first organisation's roles are in tests/access_intervision.py."""

import pytest
from django.urls import reverse

from tests.access_intervision import MATRIX, intervision_world
from tests.factories import OrganisationFactory, TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role

OTHER_ROLES = ["other_professional", "other_team_lead", "other_functional_admin"]
EXPECTED = {
    "intervision:groups": {"other_professional": 200, "other_team_lead": 200, "other_functional_admin": 200},
    "intervision:methods": dict.fromkeys(OTHER_ROLES, 200),
    "intervision:method": dict.fromkeys(OTHER_ROLES, 200),
    "intervision:method_version": dict.fromkeys(OTHER_ROLES, 200),
    "intervision:method_edit": dict.fromkeys(OTHER_ROLES, 403),
    "intervision:method_import": dict.fromkeys(OTHER_ROLES, 403),
    "intervision:method_export": dict.fromkeys(OTHER_ROLES, 403),
    "intervision:checkpoints_version": dict.fromkeys(OTHER_ROLES, 200),
    "intervision:checkpoints_edit": dict.fromkeys(OTHER_ROLES, 403),
    "intervision:checkpoints_import": dict.fromkeys(OTHER_ROLES, 403),
    "intervision:checkpoints_export": dict.fromkeys(OTHER_ROLES, 403),
    "intervision:group_new": {
        "other_professional": 403,
        "other_team_lead": 403,
        "other_functional_admin": 200,
    },
    "intervision:group_edit": dict.fromkeys(OTHER_ROLES, 404),
    "intervision:group": dict.fromkeys(OTHER_ROLES, 404),
    "intervision:session_new": dict.fromkeys(OTHER_ROLES, 404),
    "intervision:session": dict.fromkeys(OTHER_ROLES, 404),
    "intervision:session_record": dict.fromkeys(OTHER_ROLES, 404),
    "intervision:experiment_add": dict.fromkeys(OTHER_ROLES, 404),
    "intervision:attendance": dict.fromkeys(OTHER_ROLES, 404),
    "intervision:reflection": dict.fromkeys(OTHER_ROLES, 404),
}


def test_every_intervision_url_has_a_rule_for_the_second_organisation():
    assert set(EXPECTED) == set(MATRIX)


@pytest.fixture
def world(professional, team_lead):
    other = OrganisationFactory(name="Andere Gemeente")
    w = {
        "trajectory": TrajectoryFactory(
            responsible=professional, client__organisation=professional.organisation
        ),
        "users": {"professional": professional, "team_lead": team_lead},
        "other": {
            "other_professional": UserFactory(organisation=other, role=Role.PROFESSIONAL),
            "other_team_lead": UserFactory(organisation=other, role=Role.TEAM_LEAD),
            "other_functional_admin": UserFactory(organisation=other, role=Role.FUNCTIONAL_ADMIN),
        },
    }
    intervision_world(w)
    return w


@pytest.mark.django_db
@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_second_organisation(client, world, name, role):
    method, url_for, data_for, _ = MATRIX[name]
    client.force_login(world["other"][role])
    response = getattr(client, method)(url_for(world), data_for(world) if data_for else None)
    assert response.status_code == EXPECTED[name][role], f"{name} as {role}: {response.status_code}"
    if response.status_code == 200 and name == "intervision:groups":
        assert "OT-groep Test" not in response.content.decode()


@pytest.mark.django_db
def test_the_functional_administrator_manages_the_group_but_does_not_read_the_sessions(client, world):
    from waardewerk.intervision import services

    objects = intervision_world(world)
    member = world["users"]["professional"]
    services.session_record(
        actor=member,
        session=objects["first"],
        base_version=objects["first"].version,
        core_question="Geheime kernvraag",
        notes={},
        choice="",
    )
    admin = UserFactory(organisation=member.organisation, role=Role.FUNCTIONAL_ADMIN)
    client.force_login(admin)
    listing = client.get(reverse("intervision:groups")).content.decode()
    assert "OT-groep Test" in listing and "Geheime kernvraag" not in listing
    assert client.get(reverse("intervision:group_edit", args=[objects["group"].uuid])).status_code == 200
    assert client.get(reverse("intervision:session", args=[objects["first"].uuid])).status_code == 404
