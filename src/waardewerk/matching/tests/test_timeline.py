"""Decisions on jobs and the client's answers in the timeline, with their texts, in both languages."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from waardewerk.clients.actor import ClientActor
from waardewerk.matching import services
from waardewerk.timeline.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_a_decision_and_the_answer_appear_in_the_timeline(client, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    make_measurement(trajectory, "lwc", lwc_answers(a=5))
    employer = services.employer_create(actor=professional, name="Bakkerij", kvk_number="12345678")
    job = services.job_create(actor=professional, employer=employer, title="Bakker", occupation="0752")
    proposal = services.proposal_decide(
        actor=professional, trajectory=trajectory, job=job, decision="propose", reason="Vroeg beginnen past"
    )
    services.proposal_respond(
        actor=ClientActor(trajectory.client), proposal=proposal, response="interested", note="Graag!"
    )
    decided = TimelineEntry.objects.get(trajectory=trajectory, event="job_decided")
    answered = TimelineEntry.objects.get(trajectory=trajectory, event="job_answered")
    assert decided.kind == answered.kind == "matching"
    assert decided.texts == {"reason": "Vroeg beginnen past"} and answered.actor_label == "client"
    client.force_login(professional)
    page = client.get(
        reverse("trajectories:detail", args=[trajectory.uuid]) + "?kind=matching"
    ).content.decode()
    assert "Vacature Bakker (Bakkerij): voorstellen aan de cliënt" in page
    assert "Graag!" in page
    with translation.override("en"):
        client.post(reverse("set_language"), {"language": "en"})
        page = client.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    assert "Job Bakker (Bakkerij): propose to the client" in page


def test_the_availability_and_strengths_appear_in_the_timeline(client, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    services.candidate_profile_save(
        actor=ClientActor(trajectory.client),
        trajectory=trajectory,
        base_version=None,
        hours_per_week=16,
        strengths="Ik ben geduldig.",
    )
    services.candidate_profile_save(
        actor=professional, trajectory=trajectory, base_version=1, hours_per_week=20, strengths="Geduldig."
    )
    client.force_login(professional)
    url = reverse("trajectories:detail", args=[trajectory.uuid]) + "?kind=matching"
    page = client.get(url).content.decode()
    assert "De cliënt schreef de eigen beschikbaarheid en sterke kanten" in page
    assert "Beschikbaarheid en sterke kanten vastgelegd met de cliënt" in page
    assert "16 uur per week" in page and "Ik ben geduldig." in page
    with translation.override("en"):
        client.post(reverse("set_language"), {"language": "en"})
        page = client.get(url).content.decode()
    assert "The client wrote their availability and strengths" in page and "20 hours a week" in page
