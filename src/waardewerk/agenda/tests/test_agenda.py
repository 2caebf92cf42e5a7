"""The agenda: planning with a client's trajectory, conflict warnings, moving with a version check,
cancelling; the timeline shows planned contact; the day and week views; the start page and the portal show
appointments; the calendar feed carries no names and its address can be made anew."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import TrajectoryFactory
from tests.portal_helpers import log_in_client, portal_account
from waardewerk.agenda import services
from waardewerk.agenda.models import Appointment, CalendarFeed
from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.timeline.models import TimelineEntry


def _at(days=1, hour=10, minute=0):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__first_name="Fatima",
        client__last_name="El Amrani",
    )


def _plan(actor, trajectory=None, **kwargs):
    values = {
        "kind": "conversation",
        "starts_at": _at(),
        "duration": 45,
        "channel": "in_person",
        "trajectory": trajectory,
        "place": "Stadskantoor, kamer 2.14",
    } | kwargs
    return services.appointment_create(actor=actor, **values)


def test_plan_move_and_cancel_show_in_the_timeline(professional, trajectory):
    appointment = _plan(professional, trajectory)
    services.appointment_move(
        actor=professional, appointment=appointment, starts_at=_at(2, 14), duration=60, version=1
    )
    services.appointment_cancel(actor=professional, appointment=appointment)
    events = list(
        TimelineEntry.objects.filter(trajectory=trajectory, event__startswith="appointment")
        .order_by("id")
        .values_list("event", flat=True)
    )
    assert events == ["appointment_planned", "appointment_moved", "appointment_cancelled"]
    appointment.refresh_from_db()
    assert appointment.is_cancelled and appointment.version == 3 and appointment.duration == 60


def test_rules(professional, colleague, trajectory):
    with pytest.raises(ValidationError) as error:
        _plan(professional, None)  # a conversation needs the client's trajectory
    assert "trajectory" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _plan(colleague, trajectory)  # not a trajectory the colleague works on
    assert "trajectory" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _plan(professional, trajectory, duration=2, starts_at=_at(days=900))
    assert set(error.value.message_dict) == {"date", "duration"}
    own = _plan(professional, None, kind="other", title="Teamoverleg")
    with pytest.raises(PermissionDeniedError):
        services.appointment_cancel(actor=colleague, appointment=own)
    with pytest.raises(ConcurrentEditError):
        services.appointment_move(
            actor=professional, appointment=own, starts_at=_at(3), duration=30, version=7
        )


def test_overlap_is_a_warning_the_user_can_overrule(professional, trajectory):
    first = _plan(professional, trajectory)
    with pytest.raises(services.OverlapWarning) as warning:
        _plan(professional, None, kind="other", starts_at=_at(1, 10, 30))
    assert warning.value.conflicts == [first]
    second = _plan(professional, None, kind="other", starts_at=_at(1, 10, 30), allow_overlap=True)
    assert services.overlapping(professional, _at(1, 10, 40), 15, exclude=second) == [first]
    assert services.overlapping(professional, _at(1, 11, 15), 15) == []  # after both


def test_day_and_week_views_and_the_overlap_form(login, professional, trajectory):
    _plan(professional, trajectory)
    browser = login(professional)
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = browser.get(reverse("agenda:day"), {"day": day})
    assert page.status_code == 200 and "El Amrani, Fatima" in page.content.decode()
    week = browser.get(reverse("agenda:week"), {"day": day})
    assert week.status_code == 200 and len(week.context["days"]) == 7
    assert browser.get(reverse("agenda:day"), {"day": "gisteren"}).status_code == 200  # a message, today
    reads = AccessEvent.objects.filter(
        object_type="agenda.appointment", client_uuid=trajectory.client.uuid, action="view"
    )
    assert reads.count() == 2
    data = {
        "kind": "other",
        "trajectory": "",
        "date": day,
        "time": "10:15",
        "duration": "30",
        "channel": "phone",
        "title": "Overleg",
    }
    response = browser.post(reverse("agenda:new"), data)
    assert response.status_code == 422 and response.context["conflicts"]
    assert Appointment.objects.count() == 1
    response = browser.post(reverse("agenda:new"), data | {"allow_overlap": "on"})
    assert response.status_code == 302 and Appointment.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "visit", "date": "x", "time": "25:00", "duration": "-5", "channel": "mail"},
        {"kind": "conversation", "date": "2026-01-01", "time": "10:00", "duration": "45", "channel": "phone"},
        {"kind": "other", "date": "9999-12-31", "time": "10:00", "duration": "45", "channel": "phone"},
        {
            "kind": "other",
            "trajectory": "not-a-uuid",
            "date": "2026-01-01",
            "time": "1",
            "duration": "9" * 30,
        },
    ],
)
def test_bad_input_gets_messages(login, professional, data):
    response = login(professional).post(reverse("agenda:new"), data)
    assert response.status_code == 422
    assert response.context["form"].errors
    assert not Appointment.objects.exists()


def test_detail_move_and_record_the_conversation(login, professional, trajectory):
    appointment = _plan(professional, trajectory, channel="phone")
    browser = login(professional)
    url = reverse("agenda:detail", args=[appointment.uuid])
    page = browser.get(url)
    assert page.status_code == 200
    record = page.context["record_url"]
    assert record.startswith(reverse("trajectories:add_conversation", args=[trajectory.uuid]))
    form = browser.get(record).context["form"]
    assert form["mode"].value() == "phone" and form["date"].value() == _at().date()
    moved = browser.post(
        url, {"date": _at(5).date().isoformat(), "time": "09:00", "duration": "30", "version": "1"}
    )
    assert moved.status_code == 302
    stale = browser.post(
        url, {"date": _at(6).date().isoformat(), "time": "09:00", "duration": "30", "version": "1"}
    )
    assert stale.status_code == 422
    browser.post(reverse("agenda:cancel", args=[appointment.uuid]))
    assert browser.get(url).context["changeable"] is False
    assert (
        browser.post(url, {"date": _at(6).date().isoformat(), "time": "9:00", "duration": "30"}).status_code
        == 403
    )


def test_start_page_shows_todays_appointments(login, professional, trajectory):
    now = timezone.localtime()
    later_today = now.replace(hour=23, minute=0, second=0, microsecond=0)
    _plan(professional, trajectory, starts_at=later_today, duration=30)
    page = login(professional).get(reverse("workday:today"))
    assert [a.trajectory for a in page.context["appointments"]["today"]] == [trajectory]
    assert "El Amrani, Fatima" in page.content.decode()


def test_the_client_sees_coming_appointments_in_the_portal(client, professional, trajectory):
    _plan(professional, trajectory)
    cancelled = _plan(professional, trajectory, starts_at=_at(3))
    services.appointment_cancel(actor=professional, appointment=cancelled)
    portal_account(trajectory.client)
    log_in_client(client, trajectory.client)
    page = client.get(reverse("portal:appointments"))
    assert page.status_code == 200
    assert len(page.context["meetings"]) == 1
    assert "Stadskantoor" in page.content.decode()


def test_calendar_feed_has_no_names_and_its_address_can_be_made_anew(client, login, professional, trajectory):
    _plan(professional, trajectory)
    _plan(professional, None, kind="other", title="Geheim onderwerp", starts_at=_at(4))
    browser = login(professional)
    address = browser.post(reverse("agenda:feed"), {"action": "reset"}).context["address"]
    path = address.replace("http://testserver", "")
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    for secret in ("Fatima", "El Amrani", "Stadskantoor", "Geheim"):
        assert secret not in body
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert sorted(str(e["summary"]) for e in events) == ["Afspraak: anders", "Afspraak: gesprek (F.E.)"]
    assert CalendarFeed.objects.get().last_used_at is not None
    new_address = browser.post(reverse("agenda:feed"), {"action": "reset"}).context["address"]
    assert client.get(path).status_code == 404  # the old address stopped working
    assert client.get(new_address.replace("http://testserver", "")).status_code == 200
    browser.post(reverse("agenda:feed"), {"action": "stop"})
    assert client.get(new_address.replace("http://testserver", "")).status_code == 404
    assert client.get(reverse("agenda:ics", args=["x" * 200])).status_code == 404


def test_posts_only_for_the_owner_and_case_workers(
    login, professional, colleague, functional_admin, trajectory
):
    appointment = _plan(professional, trajectory)
    url = reverse("agenda:detail", args=[appointment.uuid])
    move = {"date": _at(5).date().isoformat(), "time": "09:00", "duration": "30", "version": "1"}
    assert login(colleague).post(url, move).status_code == 404
    assert login(colleague).post(reverse("agenda:cancel", args=[appointment.uuid])).status_code == 404
    admin = login(functional_admin)
    assert admin.post(url, move).status_code == 404
    assert admin.post(reverse("agenda:new"), {"kind": "other"}).status_code == 403
    assert admin.post(reverse("agenda:feed"), {"action": "reset"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.version == 1 and not appointment.is_cancelled and not CalendarFeed.objects.exists()


def test_the_trajectory_page_shows_planned_contact(login, professional, trajectory):
    appointment = _plan(professional, trajectory)
    services.appointment_move(
        actor=professional, appointment=appointment, starts_at=_at(2, 9), duration=30, version=1
    )
    text = login(professional).get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    assert "Afspraak gepland: Gesprek op" in text and "Afspraak verzet: Gesprek nu op" in text
