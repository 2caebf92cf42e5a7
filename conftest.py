"""Fixtures shared by every test: an organisation with a user of every role."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.factories import PASSWORD, OrganisationFactory, TeamFactory, UserFactory
from waardewerk.accounts.models import Role

# Property tests judge behaviour, not speed: on a shared or loaded machine the time one example takes says
# nothing about the code, so Hypothesis's deadline and its "too slow" health check are off everywhere.
hypothesis_settings.register_profile(
    "waardewerk", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("waardewerk")


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a test that activates another one (directly, or through a
    request handled in this thread) must not change what the next test reads."""
    translation.deactivate()
    yield
    translation.deactivate()


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


@pytest.fixture(autouse=True)
def _audit_guard_for_flush(request):
    """Transactional tests (the browser tests) empty every table afterwards; the append-only guard of the
    access log would refuse that. Lift it just for the flush. An ordinary test that uses the database puts
    the guard in place inside its own transaction: when the suite runs in several processes, a process may
    run a transactional test before ordinary ones."""
    from django.db import connection

    from waardewerk.audit import guards

    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )
    if not transactional:
        if marker is not None or "db" in request.fixturenames:
            request.getfixturevalue("db")
            guards.install(connection)
        yield
        return

    request.getfixturevalue("transactional_db")
    guards.install(connection)
    yield
    guards.remove(connection)


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Every test starts like a freshly started process: no charts or instrument definitions held in
    memory (the shared cache is a database table, emptied with each test's transaction)."""
    from django.core.cache import caches

    from waardewerk.instruments import charts, versions

    charts.clear_cache()
    versions.clear()
    caches["local"].clear()
    yield
