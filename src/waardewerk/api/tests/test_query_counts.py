"""Query budgets of the API: every list costs the same whatever the number of rows on the page, and every
object the same whatever it holds (docs/performance.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    ConversationFactory,
    TrajectoryFactory,
    lwc_answers,
    make_measurement,
)
from waardewerk.api.tests.conftest import api_client, register
from waardewerk.matching.models import Placement

# The token (1), "last used" (at most one update), the page (1), the access log's write after the response
# (a handful), the timeline's or plan's extra read.
BUDGET = 10
LISTS = [
    "api:clients",
    "api:trajectories",
    "api:measurements",
    "api:actions",
    "api:conversations",
    "api:employers",
    "api:jobs",
    "api:placements",
]


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = browser.get(url)
    assert response.status_code == 200, (url, response.content)
    return len(ctx.captured_queries)


def _grow(world, n):
    for _ in range(n):
        trajectory = TrajectoryFactory(
            responsible=world["professional"], client__organisation=world["organisation"]
        )
        make_measurement(trajectory, "lwc", lwc_answers())
        ActionFactory(trajectory=trajectory)
        ConversationFactory(trajectory=trajectory)
        Placement.objects.create(trajectory=trajectory, job=world["job"], start_date=trajectory.start_date)


@pytest.mark.django_db
def test_lists_cost_the_same_for_one_row_and_many(world_a):
    _app, token = register(world_a)
    browser = api_client(token)
    browser.get(reverse("api:clients"))  # "last used" is written once
    small = {name: _queries(browser, reverse(name)) for name in LISTS}
    _grow(world_a, 6)
    large = {name: _queries(browser, reverse(name)) for name in LISTS}
    assert small == large
    assert max(large.values()) <= BUDGET, large


@pytest.mark.django_db
def test_objects_and_parts_within_the_budget(world_a):
    _app, token = register(world_a)
    browser = api_client(token)
    browser.get(reverse("api:clients"))
    trajectory = world_a["trajectory"]
    urls = [
        reverse("api:trajectory", args=[trajectory.uuid]),
        reverse("api:trajectory_history", args=[trajectory.uuid]),
        reverse("api:trajectory_plan", args=[trajectory.uuid]),
        reverse("api:client", args=[world_a["client"].uuid]),
        reverse("api:measurement", args=[world_a["measurement"].uuid]),
        reverse("api:conversation", args=[world_a["conversation"].uuid]),
        reverse("api:placement", args=[world_a["placement"].uuid]),
    ]
    before = {url: _queries(browser, url) for url in urls}
    for _ in range(5):
        ConversationFactory(trajectory=trajectory)
        make_measurement(trajectory, "lwc", lwc_answers())
    after = {url: _queries(browser, url) for url in urls}
    assert before == after
    assert max(after.values()) <= BUDGET, after
