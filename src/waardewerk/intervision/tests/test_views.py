"""Intervision pages: the record keeps the input on a concurrent edit (422), bad input gets a message next
to the field (never a 500), and an experiment's trajectory is shown to its owner only, with the read
logged."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import TrajectoryFactory
from waardewerk.audit.models import AccessEvent
from waardewerk.intervision import services

DAY = dt.date(2026, 10, 6)


@pytest.fixture
def group(professional, team_lead, functional_admin):
    return services.group_create(
        actor=functional_admin, name="OT-groep Zuid", members=[professional, team_lead]
    )


@pytest.fixture
def session(group, professional, team_lead):
    return services.session_create(
        actor=professional, group=group, date=DAY, method_key="incident", facilitator=team_lead
    )


def test_a_concurrent_edit_is_refused_with_the_input_kept(login, session, professional, team_lead):
    c = login(professional)
    url = reverse("intervision:session_record", args=[session.uuid])
    assert c.get(url).status_code == 200
    services.session_record(
        actor=team_lead, session=session, base_version=1, core_question="Eerst", notes={}, choice=""
    )
    response = c.post(
        url, {"base_version": 1, "core_question": "Mijn kernvraag", "notes_analysis": "Mijn analyse"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="conflict"' in body and "Mijn kernvraag" in body and "Mijn analyse" in body
    session.refresh_from_db()
    assert session.core_question == "Eerst"


def test_bad_input_gets_a_message_next_to_the_field(login, session, professional):
    c = login(professional)
    response = c.post(
        reverse("intervision:experiment_add", args=[session.uuid]),
        {"description": "", "until": "not a date", "trajectory": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 422
    assert response.content.decode().count('aria-invalid="true"') == 3
    response = c.post(
        reverse("intervision:session_new", args=[session.group.uuid]),
        {"date": "2026-13-45", "method": "nope", "facilitator": "x"},
    )
    assert response.status_code == 422
    response = c.post(
        reverse("intervision:session_record", args=[session.uuid]),
        {"base_version": "x", "core_question": "y"},
    )
    assert response.status_code == 422


def test_the_experiments_trajectory_is_shown_to_its_owner_only_and_logged(
    login, client, session, professional, team_lead
):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    c = login(professional)
    response = c.post(
        reverse("intervision:experiment_add", args=[session.uuid]),
        {"description": "Waardenkaart", "until": DAY.isoformat(), "trajectory": str(trajectory.uuid)},
    )
    assert response.status_code == 302
    name = trajectory.client.full_name
    before = AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").count()
    assert name in c.get(reverse("intervision:session", args=[session.uuid])).content.decode()
    after = AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").count()
    assert after == before + 1
    client.force_login(team_lead)
    body = client.get(reverse("intervision:session", args=[session.uuid])).content.decode()
    assert "Waardenkaart" in body and name not in body


def test_navigation_shows_intervision_to_members_and_the_administrator(login, professional, functional_admin):
    from waardewerk.pages.navigation import navigation_for

    for user in (professional, functional_admin):
        labels = [item.url for item in navigation_for(user, "/")]
        assert reverse("intervision:groups") in labels


def test_a_trajectory_the_owner_no_longer_sees_is_not_shown(login, session, professional, colleague):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    services.experiment_add(
        actor=professional, session=session, description="Waardenkaart", until=DAY, trajectory=trajectory
    )
    trajectory.responsible = colleague  # handed over: the owner may not see it any more
    trajectory.save(update_fields=["responsible"])
    before = AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").count()
    body = login(professional).get(reverse("intervision:session", args=[session.uuid])).content.decode()
    assert "Waardenkaart" in body and trajectory.client.full_name not in body
    assert AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").count() == before


def test_the_facilitator_records_who_attended(login, session, professional, team_lead):
    url = reverse("intervision:attendance", args=[session.uuid])
    assert login(professional).get(url).status_code == 403  # a member, not the facilitator
    c = login(team_lead)
    assert c.get(url).status_code == 200
    response = c.post(url, {f"member_{professional.pk}": "maybe"})
    assert response.status_code == 422
    response = c.post(url, {f"member_{professional.pk}": "apologies", f"member_{team_lead.pk}": "present"})
    assert response.status_code == 302
    body = c.get(reverse("intervision:session", args=[session.uuid])).content.decode()
    assert "sent apologies" in body or "afgemeld" in body
    statuses = dict(session.attendance.values_list("member_id", "status"))
    assert statuses == {professional.pk: "apologies", team_lead.pk: "present"}


def test_attendance_is_not_recorded_before_the_day(session, team_lead, professional):
    from django.core.exceptions import ValidationError

    later = services.session_create(
        actor=professional,
        group=session.group,
        date=dt.date.today() + dt.timedelta(days=3),
        method_key="incident",
        facilitator=team_lead,
    )
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=team_lead, session=later, statuses={professional.pk: "present", team_lead.pk: "present"}
        )


def test_the_learning_cycle_focus_comes_back_with_the_experiments(login, group, professional, team_lead):
    from waardewerk.intervision import focus

    first = services.session_create(
        actor=professional, group=group, date=DAY, method_key="learning-cycle", facilitator=team_lead
    )
    topic = next(v for v, (kind, _k, _l) in focus.options().items() if kind == "guide_topic")
    label = focus.options()[topic][2]
    c = login(professional)
    url = reverse("intervision:session_record", args=[first.uuid])
    page = c.get(url).content.decode()
    assert 'name="focus"' in page and label in page
    response = c.post(url, {"base_version": first.version, "focus": "principle"})
    assert response.status_code == 422  # a principle is named in the group's words
    response = c.post(url, {"base_version": first.version, "focus": "nope"})
    assert response.status_code == 422
    response = c.post(
        url, {"base_version": first.version, "focus": topic, "focus_note": "Ieder in twee trajecten"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.focus_kind == "guide_topic" and first.focus_label == label
    experiment = services.experiment_add(
        actor=professional, session=first, description="Het onderwerp toepassen", until=DAY + dt.timedelta(30)
    )
    second = services.session_create(
        actor=team_lead,
        group=group,
        date=DAY + dt.timedelta(42),
        method_key="learning-cycle",
        facilitator=professional,
    )
    body = c.get(reverse("intervision:session", args=[second.uuid])).content.decode()
    assert label in body and "Ieder in twee trajecten" in body
    reflection = c.get(
        reverse("intervision:reflection", args=[second.uuid, experiment.uuid])
    ).content.decode()
    assert label in reflection
