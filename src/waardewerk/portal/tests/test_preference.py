"""The client sees the choices of the agreed plan with their preference, and corrects it; the professional
sees the correction on the plan page and in the timeline."""

import pytest
from django.urls import reverse

from tests.factories import TrajectoryFactory
from tests.portal_helpers import log_in_client, portal_account
from waardewerk.audit.models import AccessEvent
from waardewerk.knowledge import selectors
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories import services as plan_services
from waardewerk.trajectories.models import PlanAgreement, PreferenceCorrection
from waardewerk.trajectories.plan import PlanContent

GOAL = {"key": "", "text": "Weer werken in de zorg", "values": [], "determinants": [], "status": "active"}


@pytest.fixture
def agreed(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    version = plan_services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[GOAL],
        choices=[
            {"entry": "werkervaringsplaats", "preference": "Liever meteen aan de slag", "expertise": "x"},
            {"description": "Jobcoach bij de start", "preference": ""},
        ],
        reason="",
        base_number=0,
        entries=selectors.plan_entries(professional),
    )
    PlanAgreement.objects.create(
        plan_version=version, agreed_on=version.created_at.date(), method="signed", recorded_by=professional
    )
    portal_account(trajectory.client)
    return trajectory, PlanContent.from_json(version.content).choices


@pytest.fixture
def portal(client, agreed):
    log_in_client(client, agreed[0].client)
    return client


def _url(choice):
    return reverse("portal:preference", args=[choice.key])


@pytest.mark.django_db
def test_the_client_sees_the_choices_and_their_own_words(portal, agreed):
    html = portal.get(reverse("portal:goals")).content.decode()
    assert "Liever meteen aan de slag" in html
    assert _url(agreed[1][0]) in html


@pytest.mark.django_db
def test_an_unagreed_plan_shows_no_choices(client, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    plan_services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[GOAL],
        choices=[{"description": "Training", "preference": "Geheim nog"}],
        reason="",
        base_number=0,
    )
    portal_account(trajectory.client)
    log_in_client(client, trajectory.client)
    assert "Geheim nog" not in client.get(reverse("portal:goals")).content.decode()


@pytest.mark.django_db
def test_the_client_corrects_and_the_professional_sees_it(portal, agreed, login, professional):
    trajectory, choices = agreed
    response = portal.post(_url(choices[0]), {"text": "Eerst twee ochtenden, niet meteen hele dagen"})
    assert response.status_code == 302
    correction = PreferenceCorrection.objects.get(trajectory=trajectory)
    assert correction.previous_text == "Liever meteen aan de slag"
    assert TimelineEntry.objects.filter(trajectory=trajectory, event="preference_corrected").exists()
    assert AccessEvent.objects.filter(
        object_type="trajectories.preferencecorrection", action="create"
    ).exists()
    assert "Eerst twee ochtenden" in portal.get(reverse("portal:goals")).content.decode()
    page = login(professional).get(reverse("trajectories:plan", args=[trajectory.uuid])).content.decode()
    assert "Eerst twee ochtenden, niet meteen hele dagen" in page
    timeline = (
        login(professional).get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    )
    assert "Eerst twee ochtenden" in timeline


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Schrijf wat u wilt"),
        ("Liever meteen aan de slag", "Dit zijn dezelfde woorden"),
        ("x" * 1001, "1000"),
        ("a\x00b", ""),
    ],
)
def test_bad_input_gets_a_message_and_keeps_nothing(portal, agreed, text, message, settings):
    trajectory, choices = agreed
    response = portal.post(_url(choices[0]), {"text": text}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 422
    if message:
        assert message in response.content.decode() or "Use at most" in response.content.decode()
    assert not PreferenceCorrection.objects.exists()


@pytest.mark.django_db
def test_a_choice_outside_the_agreed_plan_is_not_found(portal):
    assert portal.get(reverse("portal:preference", args=["c-00000000"])).status_code == 404
