"""Query budgets of the practice-evidence pages: with the figures computed (as the nightly command or the
first view leaves them), a page reads a fixed number of rows whatever the number of trajectories,
measurements and choices; computing them takes a fixed number of queries too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from waardewerk.insights import figures
from waardewerk.insights.tests.helpers import build_practice

BUDGET = 8
COMPUTE_BUDGET = 9  # one more since the placements: the follow-ups for sustained work


def _queries(client, url):
    client.get(url)  # a process that has served the page before (caches filled)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name, args", [("insights:overview", []), ("insights:entry", ["ips"])])
def test_pages_do_not_grow_with_the_data(client, professional, name, args):
    client.force_login(professional)
    url = reverse(name, args=args)
    counts = []
    for size in (2, 12):
        build_practice(professional, choosers_ww=size, choosers_wia=size // 4, others=size)
        figures.refresh(professional.organisation_id)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1] <= BUDGET, counts


@pytest.mark.django_db
def test_computing_does_not_grow_with_the_data(professional):
    figures.compute(professional.organisation_id)  # a process that has read the definitions before
    counts = []
    for size in (2, 12):
        build_practice(professional, choosers_ww=size, choosers_wia=size, others=size)
        with CaptureQueriesContext(connection) as ctx:
            figures.compute(professional.organisation_id)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= COMPUTE_BUDGET, counts
