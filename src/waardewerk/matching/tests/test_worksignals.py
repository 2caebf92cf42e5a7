"""Follow-ups of placements on the start page ("Vandaag"): due within two weeks or overdue and not recorded,
on the trajectories the professional works on (also closed ones), linking to the placement's page; the team
lead's count; the query budget stays the same whatever the number of placements."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.matching import services
from waardewerk.matching.worksignals import follow_up_items, follow_up_trajectories
from waardewerk.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def _placement(professional, start, **trajectory):
    today = timezone.localdate()
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=today - dt.timedelta(days=800),
        **trajectory,
    )
    employer = services.employer_create(
        actor=professional, name="Groen", kvk_number=f"{90000000 + trajectory.pk}"
    )
    job = services.job_create(actor=professional, employer=employer, title="Hovenier", occupation="0912")
    placement = services.placement_create(
        actor=professional, trajectory=trajectory, job=job, start_date=start, hours=24
    )
    return trajectory, placement


def test_due_and_overdue_follow_ups_are_signals_linking_to_the_placement(professional, colleague):
    today = timezone.localdate()
    # Started 100 days ago: the 1- and 3-month follow-ups are overdue, the 6-month one is months away.
    trajectory, placement = _placement(professional, today - dt.timedelta(days=100))
    items = follow_up_items(professional, today)
    assert [(i.title, i.overdue) for i in items] == [(trajectory.client.sort_name, True)] * 2
    assert items[0].url == reverse("matching:placement", args=[placement.uuid]) + "#followup-1"
    assert "1 maand na de start als Hovenier bij Groen" in items[0].reason
    assert items[0].client == trajectory.client.uuid
    assert follow_up_items(colleague, today) == []
    # Recording one removes its signal; one due within two weeks shows, not overdue.
    first = placement.follow_ups.get(month=1)
    services.follow_up_record(actor=professional, follow_up=first, done_on=today, still_working=True)
    assert [i.key.split(":")[0] for i in follow_up_items(professional, today)] == [
        str(placement.follow_ups.get(month=3).uuid)
    ]
    soon = today + dt.timedelta(days=10)
    assert not [i for i in follow_up_items(professional, today) if i.day == soon]
    counted = follow_up_trajectories(Trajectory.objects.all(), today)
    assert list(counted) == [trajectory]


def test_a_closed_trajectorys_follow_ups_still_show(professional):
    today = timezone.localdate()
    trajectory, _placement_ = _placement(professional, today - dt.timedelta(days=190))
    Trajectory.objects.filter(pk=trajectory.pk).update(
        end_date=today - dt.timedelta(days=30), end_reason="paid_work"
    )
    months = sorted(int(i.url.rsplit("-", 1)[1]) for i in follow_up_items(professional, today))
    assert months == [1, 3, 6]


def test_the_start_page_shows_them_at_the_same_query_cost(login, professional):
    today = timezone.localdate()
    c = login(professional)
    url = reverse("workday:today")
    _placement(professional, today - dt.timedelta(days=100))
    c.get(url)
    with CaptureQueriesContext(connection) as small:
        page = c.get(url)
    assert "Opvolging 1 maand na de start" in page.content.decode()
    for _ in range(4):
        _placement(professional, today - dt.timedelta(days=200))
    c.get(url)
    with CaptureQueriesContext(connection) as large:
        c.get(url)
    assert _statements(small) == _statements(large)


def _statements(ctx) -> int:
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(control))


def _work_values_key() -> str:
    from waardewerk.instruments.selectors import matching_instrument

    instrument, _definition = matching_instrument()
    return instrument.key


def _measurement_signals(professional, today):
    return [i for i in follow_up_items(professional, today) if i.key.endswith(":measurement")]


def test_the_six_month_re_measurement_of_the_work_values_is_a_signal(professional, colleague):
    from tests.factories import lwc_answers, make_measurement
    from waardewerk.matching.services import add_months

    today = timezone.localdate()
    key = _work_values_key()
    # Started 6 months and 10 days ago: the 6-month follow-up is overdue, its re-measurement too.
    start = add_months(today, -6) - dt.timedelta(days=10)
    trajectory, placement = _placement(professional, start)
    six = placement.follow_ups.get(month=6)
    (signal,) = _measurement_signals(professional, today)
    assert signal.url == reverse("instruments:new", args=[trajectory.uuid, key])
    assert signal.overdue and signal.day == six.due_on and signal.client == trajectory.client.uuid
    assert "Werkwaarden opnieuw meten 6 maanden na de start als Hovenier bij Groen" in signal.reason
    assert _measurement_signals(colleague, today) == []
    # Recording the follow-up leaves the re-measurement; an old measurement does not count.
    services.follow_up_record(actor=professional, follow_up=six, done_on=today, still_working=True)
    make_measurement(trajectory, key, lwc_answers(), taken_on=six.due_on - dt.timedelta(days=60))
    assert len(_measurement_signals(professional, today)) == 1
    # A measurement from a month before the due date on does.
    make_measurement(trajectory, key, lwc_answers(), taken_on=six.due_on - dt.timedelta(days=20))
    assert _measurement_signals(professional, today) == []


def test_no_re_measurement_when_closed_or_long_past_or_not_yet_near(professional):
    from waardewerk.matching.services import add_months

    today = timezone.localdate()
    closed, _p = _placement(professional, add_months(today, -6))
    Trajectory.objects.filter(pk=closed.pk).update(end_date=today, end_reason="paid_work")
    _placement(professional, add_months(today, -10))  # the 6-month moment is four months past
    _placement(professional, add_months(today, -5))  # a month ahead: not yet within two weeks
    assert _measurement_signals(professional, today) == []
    _placement(professional, add_months(today, -6) + dt.timedelta(days=WITHIN))
    assert len(_measurement_signals(professional, today)) == 1


WITHIN = 10
