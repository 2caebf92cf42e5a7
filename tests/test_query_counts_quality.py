"""Query budgets of the team quality pages (docs/quality.md): with the figures computed (as the nightly
command or the first view leaves them), a page reads a fixed number of rows whatever the number of
trajectories; computing them takes a fixed number of queries too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waardewerk.quality import figures
from waardewerk.quality.models import QualityScope
from waardewerk.quality.tests.test_quality import ended

BUDGET = 12
COMPUTE_BUDGET = 13  # one more since the placements: the 6-month follow-ups


def _queries(client, url):
    client.get(url)  # a process that has served the page before (caches filled)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("who, name", [("team_lead", "quality:team"), ("professional", "quality:mine")])
def test_pages_do_not_grow_with_the_data(request, client, professional, team, who, name):
    user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse(name)
    counts = []
    for size in (2, 12):
        for index in range(size):
            ended(professional, team, reflection=index % 2 == 0)
        figures.refresh(professional.organisation_id)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1] <= BUDGET, counts


@pytest.mark.django_db
def test_computing_does_not_grow_with_the_data(professional, team):
    figures.compute(professional.organisation_id)  # a process that has read the definitions before
    counts = []
    for size in (2, 12):
        for index in range(size):
            ended(professional, team, agreed=index % 2 == 0)
        with CaptureQueriesContext(connection) as ctx:
            figures.compute(professional.organisation_id)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= COMPUTE_BUDGET, counts


@pytest.mark.django_db
@pytest.mark.parametrize("who, name", [("team_lead", "quality:team"), ("professional", "quality:mine")])
def test_a_page_reads_only_the_scopes_it_shows(request, client, professional, team, who, name):
    """An organisation of 100,000 clients has a thousand professionals or more: their own figures are rows
    of their own, which the team lead's page and another professional's page never read."""
    user = request.getfixturevalue(who)
    client.force_login(user)
    for index in range(12):
        ended(professional, team, reflection=index % 2 == 0)
    snapshot = figures.refresh(professional.organisation_id)
    url = reverse(name)
    before = _queries(client, url)
    sample = QualityScope.objects.filter(snapshot=snapshot, scope=f"pro:{professional.pk}").first()
    QualityScope.objects.bulk_create(
        QualityScope(snapshot=snapshot, scope=f"pro:{1_000_000 + index}", figures=sample.figures)
        for index in range(2000)
    )
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200 and len(ctx.captured_queries) == before
    scoped = [q["sql"] for q in ctx.captured_queries if "quality_qualityscope" in q["sql"]]
    assert len(scoped) == 1 and " IN (" in scoped[0], scoped
    snapshot_sql = [q["sql"] for q in ctx.captured_queries if "quality_qualitysnapshot" in q["sql"]]
    assert snapshot_sql and all("quality_qualityscope" not in sql for sql in snapshot_sql)
