"""The client's own evaluation in the portal: written in the evaluation phase, changed until the trajectory is
closed, read by the professional beside their own evaluation and in the timeline; every read logged."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from tests.portal_helpers import log_in_client, portal_account
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.actor import ClientActor
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.portal import services
from waardewerk.portal.models import ClientEvaluation
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories.models import Phase

URL = "/portal/evaluation/"


@pytest.fixture
def evaluating(professional):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, phase=Phase.EVALUATION
    )
    portal_account(trajectory.client)
    return trajectory


@pytest.fixture
def portal(client, evaluating):
    log_in_client(client, evaluating.client)
    return client


@pytest.mark.django_db
def test_the_client_writes_and_changes_their_evaluation(portal, evaluating, professional, client):
    assert reverse("portal:evaluation") == URL
    page = portal.get(URL)
    assert page.status_code == 200 and 'name="went_well"' in page.content.decode()
    response = portal.post(
        URL, {"went_well": "De stage", "was_hard": "", "advice": "Hou vol", "satisfaction": "4"}
    )
    assert response.status_code == 302
    stored = ClientEvaluation.objects.get(trajectory=evaluating)
    assert (stored.went_well, stored.advice, stored.satisfaction, stored.changes) == (
        "De stage",
        "Hou vol",
        4,
        0,
    )
    portal.post(URL, {"went_well": "De stage en de jobcoach", "satisfaction": "5"})
    stored.refresh_from_db()
    assert stored.went_well == "De stage en de jobcoach" and stored.satisfaction == 5 and stored.changes == 1
    assert stored.advice == ""
    # One timeline entry, replaced by the change.
    entries = TimelineEntry.objects.filter(trajectory=evaluating, event="client_evaluation")
    assert entries.count() == 1 and entries.get().data == {"satisfaction": 5, "changed": True}
    events = AccessEvent.objects.filter(object_type="portal.clientevaluation")
    assert {"create", "change"} <= set(events.values_list("action", flat=True))
    assert AccessEvent.objects.filter(detail__page="portal evaluation", actor_role="client").exists()
    # The professional reads it beside their own evaluation, and in the timeline.
    client.logout()
    client.force_login(professional)
    page = client.get(reverse("trajectories:evaluation", args=[evaluating.uuid])).content.decode()
    assert "De stage en de jobcoach" in page
    detail = client.get(reverse("trajectories:detail", args=[evaluating.uuid])).content.decode()
    assert "De stage en de jobcoach" in detail


@pytest.mark.django_db
def test_bad_input_gets_a_clear_message(portal, evaluating):
    response = portal.post(URL, {"went_well": "  ", "satisfaction": ""})
    assert response.status_code == 422
    assert not ClientEvaluation.objects.exists()
    response = portal.post(URL, {"went_well": "Goed", "satisfaction": "9"})
    assert response.status_code == 422 and not ClientEvaluation.objects.exists()
    response = portal.post(URL, {"went_well": "x" * 2001})
    assert response.status_code == 422 and "x" * 50 in response.content.decode()
    with pytest.raises(ValidationError) as error:
        services.client_evaluation_save(
            actor=ClientActor(evaluating.client), trajectory=evaluating, went_well="a\x00b"
        )
    assert "went_well" in error.value.message_dict


@pytest.mark.django_db
def test_not_before_the_evaluation_phase_and_not_after_closing(portal, evaluating):
    evaluating.phase = Phase.MONITORING
    evaluating.save()
    page = portal.get(URL)
    assert page.status_code == 200 and 'name="went_well"' not in page.content.decode()
    assert portal.post(URL, {"went_well": "x"}).status_code == 403
    evaluating.phase = Phase.EVALUATION
    evaluating.save()
    assert portal.post(URL, {"went_well": "Het ging goed"}).status_code == 302
    evaluating.end_date = timezone.localdate()
    evaluating.end_reason = "paid_work"
    evaluating.save()
    page = portal.get(URL)
    assert page.status_code == 200 and "Het ging goed" in page.content.decode()
    assert portal.post(URL, {"went_well": "Anders"}).status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.client_evaluation_save(
            actor=ClientActor(evaluating.client), trajectory=evaluating, went_well="y"
        )
    assert ClientEvaluation.objects.get().went_well == "Het ging goed"


@pytest.mark.django_db
def test_staff_cannot_write_it(professional, evaluating):
    with pytest.raises(PermissionDeniedError):
        services.client_evaluation_save(
            actor=professional, trajectory=evaluating, went_well="Namens de client"
        )
