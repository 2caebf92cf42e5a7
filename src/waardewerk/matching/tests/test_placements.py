"""Placements, their follow-ups at 1, 3, 6 and 12 months, the timeline and ``due_followups``."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.matching import selectors, services
from waardewerk.matching.services import add_months
from waardewerk.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2026, 6, 30), 12) == dt.date(2027, 6, 30)


def _placement(professional, start=None):
    today = timezone.localdate()
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=today - dt.timedelta(days=400),
    )
    employer = services.employer_create(actor=professional, name="Groen", kvk_number="90123403")
    job = services.job_create(actor=professional, employer=employer, title="Hovenier", occupation="0912")
    placement = services.placement_create(
        actor=professional,
        trajectory=trajectory,
        job=job,
        start_date=start or today - dt.timedelta(days=100),
        contract="temporary",
        hours=24,
        support="Jobcoach het eerste halfjaar",
        wage_subsidy=True,
    )
    return trajectory, job, placement


def test_a_placement_has_four_follow_ups_and_a_timeline_entry(professional):
    trajectory, _job, placement = _placement(professional)
    months = list(placement.follow_ups.values_list("month", "due_on"))
    assert [m for m, _ in months] == [1, 3, 6, 12]
    assert months[2][1] == add_months(placement.start_date, 6)
    assert TimelineEntry.objects.filter(trajectory=trajectory, event="placement", kind="matching").exists()


def test_bad_input_and_other_actors_are_refused(professional, colleague):
    trajectory, job, placement = _placement(professional)
    with pytest.raises(ValidationError) as exc:
        services.placement_create(
            actor=professional,
            trajectory=trajectory,
            job=job,
            start_date=trajectory.start_date - dt.timedelta(days=1),
            hours=99,
        )
    assert set(exc.value.message_dict) == {"start_date", "hours"}
    with pytest.raises(PermissionDeniedError):
        services.placement_create(
            actor=colleague, trajectory=trajectory, job=job, start_date=timezone.localdate()
        )
    follow_up = placement.follow_ups.get(month=1)
    with pytest.raises(PermissionDeniedError):
        services.follow_up_record(
            actor=colleague, follow_up=follow_up, done_on=timezone.localdate(), still_working=True
        )
    with pytest.raises(ValidationError) as exc:
        services.follow_up_record(
            actor=professional,
            follow_up=follow_up,
            done_on=timezone.localdate() + dt.timedelta(days=1),
            still_working=None,
            client_satisfaction=7,
        )
    assert set(exc.value.message_dict) == {"done_on", "still_working", "client_satisfaction"}


def test_due_followups_lists_what_is_due_soon_for_the_own_trajectories(professional, colleague):
    today = timezone.localdate()
    _trajectory, _job, placement = _placement(professional, start=today - dt.timedelta(days=80))
    # Due: the 1-month (overdue) and the 3-month one (in about 10 days); not the 6- and 12-month ones.
    due = selectors.due_followups(professional, today=today)
    assert [f.month for f in due] == [1, 3]
    assert selectors.due_followups(colleague, today=today) == []
    services.follow_up_record(
        actor=professional,
        follow_up=placement.follow_ups.get(month=1),
        done_on=today,
        still_working=True,
        hours=24,
        client_satisfaction=4,
        note="Gaat goed",
    )
    assert [f.month for f in selectors.due_followups(professional, today=today)] == [3]
    assert [f.month for f in selectors.due_followups(professional, today=today, within_days=0)] == []
    entry = TimelineEntry.objects.get(event="follow_up")
    assert entry.data["still_working"] is True and entry.texts["note"] == "Gaat goed"


def test_the_pages_record_a_placement_and_a_follow_up(client, professional):
    today = timezone.localdate()
    trajectory, job, placement = _placement(professional)
    client.force_login(professional)
    response = client.post(
        reverse("matching:placement_new", args=[trajectory.uuid]),
        {"job": str(job.uuid), "start_date": "", "hours": "24"},
    )
    assert response.status_code == 422
    response = client.post(
        reverse("matching:placement_new", args=[trajectory.uuid]),
        {"job": str(job.uuid), "start_date": today.isoformat(), "hours": "24"},
    )
    assert response.status_code == 302
    follow_up = placement.follow_ups.get(month=3)
    response = client.post(
        reverse("matching:follow_up", args=[follow_up.uuid]), {"f3-done_on": today.isoformat()}
    )
    assert response.status_code == 422
    response = client.post(
        reverse("matching:follow_up", args=[follow_up.uuid]),
        {"f3-done_on": today.isoformat(), "f3-still_working": "no", "f3-note": "Contract niet verlengd"},
    )
    assert response.status_code == 302
    page = client.get(reverse("matching:placement", args=[placement.uuid])).content.decode()
    assert "Contract niet verlengd" in page
    timeline = client.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    assert "Hovenier" in timeline


def test_sustained_work_is_a_quality_figure_under_the_small_number_rule(professional, settings):
    from waardewerk.quality import figures

    today = timezone.localdate()
    settings.INSIGHTS_MIN_CELL_SIZE = 5
    start = add_months(today, -7)
    employer = services.employer_create(actor=professional, name="Groen", kvk_number="90123403")
    job = services.job_create(actor=professional, employer=employer, title="Hovenier", occupation="0912")

    def placed(still_working):
        trajectory = TrajectoryFactory(
            responsible=professional,
            client__organisation=professional.organisation,
            start_date=start - dt.timedelta(days=30),
        )
        placement = services.placement_create(
            actor=professional, trajectory=trajectory, job=job, start_date=start
        )
        services.follow_up_record(
            actor=professional,
            follow_up=placement.follow_ups.get(month=6),
            done_on=today,
            still_working=still_working,
        )

    for still_working in (True, True, True, False):
        placed(still_working)
    quarter = figures.Quarter.of(today).key
    cell = figures.compute(professional.organisation_id, today)["scopes"]["org"][quarter]["sustained_work"]
    assert cell["n"] is None  # four placements: too few to show
    placed(True)
    cell = figures.compute(professional.organisation_id, today)["scopes"]["org"][quarter]["sustained_work"]
    assert cell == {"n": 5, "share": 80.0}


def test_sustained_work_per_knowledge_base_entry_is_suppressed():
    from waardewerk.insights.figures import _sustained

    followed = {pk: pk % 5 != 0 for pk in range(1, 13)}  # 12 followed up: 10 still working, 2 stopped
    result = _sustained(range(1, 20), followed, 5)
    assert result["cells"] == {"working": None, "stopped": None}  # 2 < k, and its complement hidden with it
    followed |= {pk: False for pk in range(13, 16)}
    result = _sustained(range(1, 20), followed, 5)
    assert result["cells"] == {"working": 10, "stopped": 5} and result["share"] == 66.7
