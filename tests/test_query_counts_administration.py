"""Query budgets of the administrator's user and team pages: the same whatever the number of teams."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TeamFactory


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_user_and_team_pages_query_counts_are_constant(login, functional_admin, professional, team):
    admin = login(functional_admin)
    urls = [
        reverse("accounts:user", args=[professional.uuid]),
        reverse("accounts:user_new"),
        reverse("accounts:team", args=[team.uuid]),
    ]
    small = [_queries(admin, url) for url in urls]
    for i in range(12):
        professional.teams.add(TeamFactory(organisation=functional_admin.organisation, name=f"Team {i}"))
    assert [_queries(admin, url) for url in urls] == small
    assert max(small) <= 6, small
