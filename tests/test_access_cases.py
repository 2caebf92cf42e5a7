"""The second organisation's actors on every case presentation and review URL: invisible to another
organisation (the same 404 as for an unknown object); the lists show them nothing of it. The first
organisation's roles are in tests/access_cases.py; a client of the first organisation gets the staff
log-in on every one of them (tests/test_access.py)."""

import pytest
from django.urls import reverse

from tests.access_cases import MATRIX, cases_world
from tests.factories import OrganisationFactory, TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role

OTHER_ROLES = ["other_professional", "other_team_lead", "other_functional_admin"]
ON_OBJECTS = dict.fromkeys(OTHER_ROLES, 404)
EXPECTED = {
    "intervision:checkpoints": dict.fromkeys(OTHER_ROLES, 200),
    "intervision:reviews": {"other_professional": 200, "other_team_lead": 200, "other_functional_admin": 403},
    "intervision:review_new": {
        "other_professional": 200,
        "other_team_lead": 200,
        "other_functional_admin": 403,
    },
    "intervision:presentation_new": ON_OBJECTS,
    "intervision:presentation": ON_OBJECTS,
    "intervision:presentation_edit": ON_OBJECTS,
    "intervision:presentation_confirm": ON_OBJECTS,
    "intervision:presentation_withdraw": ON_OBJECTS,
    "intervision:presentation_review": ON_OBJECTS,
    "intervision:review": ON_OBJECTS,
}


def test_every_case_url_has_a_rule_for_the_second_organisation():
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
    cases_world(w)
    return w


@pytest.mark.django_db
@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_second_organisation(client, world, name, role):
    method, url_for, data_for, _ = MATRIX[name]
    client.force_login(world["other"][role])
    response = getattr(client, method)(url_for(world), data_for(world) if data_for else None)
    assert response.status_code == EXPECTED[name][role], f"{name} as {role}: {response.status_code}"
    if response.status_code == 200:
        assert "OT-groep Casus" not in response.content.decode()


@pytest.mark.django_db
def test_a_facilitator_who_is_no_member_sees_no_case_and_the_case_owner_sees_their_draft(client, world):
    """The facilitator of a session is a member (the service refuses anyone else); a former member loses the
    cases with the membership; the case owner alone sees a draft."""
    objects = cases_world(world)
    owner, lead = world["users"]["professional"], world["users"]["team_lead"]
    client.force_login(owner)
    assert client.get(reverse("intervision:presentation", args=[objects["draft"].uuid])).status_code == 200
    objects["group"].members.remove(lead)
    client.force_login(lead)
    assert client.get(reverse("intervision:presentation", args=[objects["shared"].uuid])).status_code == 404
    # The reviewer keeps their own review, but no longer through the group.
    assert client.get(reverse("intervision:review", args=[objects["review"].uuid])).status_code == 200
