"""Fixtures shared by every test: an organisation with a user of every role."""

import pytest

from tests.factories import PASSWORD, OrganisationFactory, TeamFactory, UserFactory
from waardewerk.accounts.models import Role


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Werkplein Test")


@pytest.fixture
def team(organisation):
    return TeamFactory(organisation=organisation, name="Klantmanagement")


@pytest.fixture
def professional(organisation, team):
    user = UserFactory(
        organisation=organisation,
        role=Role.PROFESSIONAL,
        username="prof",
        first_name="Pia",
        last_name="Professional",
    )
    user.teams.add(team)
    return user


@pytest.fixture
def colleague(organisation, team):
    user = UserFactory(
        organisation=organisation,
        role=Role.PROFESSIONAL,
        username="colleague",
        first_name="Cor",
        last_name="Collega",
    )
    user.teams.add(team)
    return user


@pytest.fixture
def team_lead(organisation, team):
    user = UserFactory(
        organisation=organisation, role=Role.TEAM_LEAD, username="lead", first_name="Lea", last_name="Leider"
    )
    user.teams.add(team)
    return user


@pytest.fixture
def functional_admin(organisation):
    return UserFactory(
        organisation=organisation,
        role=Role.FUNCTIONAL_ADMIN,
        username="admin",
        first_name="Ad",
        last_name="Beheerder",
    )


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
