"""Query budgets of the agenda: the day and week views, an appointment's page and the calendar feed cost the
same whatever the number of appointments (docs/agenda.md)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.agenda import services

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
# The session, the user, the appointments (one query) and the access log's write (2; on PostgreSQL 3).
VIEW_BUDGET = 2 + 1 + 2 + (connection.vendor == "postgresql")


def _statements(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))


def _fill(professional, n, start=0):
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    made = []
    for i in range(start, start + n):
        t = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
        day = monday + dt.timedelta(days=i % 7)
        made.append(
            services.appointment_create(
                actor=professional,
                kind="conversation",
                trajectory=t,
                starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(8 + i % 10, 0))),
                duration=30,
                channel="phone",
                allow_overlap=True,
            )
        )
    return made


@pytest.mark.django_db
def test_agenda_query_counts_are_constant(login, professional):
    c = login(professional)
    first = _fill(professional, 2)[0]
    day = timezone.localtime(first.starts_at).date().isoformat()  # a day with an appointment
    urls = [reverse("agenda:day") + f"?day={day}", reverse("agenda:week") + f"?day={day}"]
    detail = reverse("agenda:detail", args=[first.uuid])
    small = [_statements(c, url) for url in [*urls, detail]]
    _fill(professional, 30, start=2)
    large = [_statements(c, url) for url in [*urls, detail]]
    assert small == large
    assert max(large[:2]) <= VIEW_BUDGET, large


@pytest.mark.django_db
def test_calendar_feed_query_count_is_constant(client, professional):
    token = services.feed_reset(actor=professional)
    url = reverse("agenda:ics", args=[token])
    _fill(professional, 2)
    small = _statements(client, url)
    _fill(professional, 30, start=2)
    assert _statements(client, url) == small <= 6
