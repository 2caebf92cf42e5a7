"""Query budget of the search results page: a fixed number of queries however many clients match
(docs/search.md)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ClientFactory, TrajectoryFactory

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
# The session, the user, the page of clients with its total, their trajectories with the responsible, and
# the access log's write of the search and the reads (2; on PostgreSQL 3, with the advisory lock).
BUDGET = 2 + 1 + 1 + 2 + (connection.vendor == "postgresql")


def _statements(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))


def _fill(person, n):
    for i in range(n):
        client = ClientFactory(organisation=person.organisation, last_name=f"Jansen{i}")
        TrajectoryFactory(responsible=person, client=client)
        TrajectoryFactory(responsible=person, client=client, end_date=dt.date(2024, 1, 1), end_reason="other")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["professional", "team_lead"])
def test_search_query_count_is_constant(request, login, role):
    person = request.getfixturevalue(role)
    c = login(person)
    url = reverse("clients:search") + "?q=jansen"
    _fill(person, 2)
    small = _statements(c, url)
    _fill(person, 30)
    large = _statements(c, url)
    assert small == large <= BUDGET
