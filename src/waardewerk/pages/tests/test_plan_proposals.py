"""The plan page shows the client's goal proposals from the portal: the open ones with a way to answer
them, the answered ones folded."""

import pytest
from django.urls import reverse

from tests.factories import TrajectoryFactory
from waardewerk.clients.actor import ClientActor
from waardewerk.portal import services

pytestmark = pytest.mark.django_db


def test_the_plan_page_shows_the_clients_goal_proposals(client, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    client.force_login(professional)
    url = reverse("trajectories:plan", args=[trajectory.uuid])
    assert 'id="proposals"' not in client.get(url).content.decode()

    actor = ClientActor(trajectory.client)
    services.goal_propose(actor=actor, trajectory=trajectory, text="Een cursus Nederlands volgen")
    declined = services.goal_propose(actor=actor, trajectory=trajectory, text="Morgen al werken")
    services.goal_proposal_decline(actor=professional, proposal=declined, reason="Eerst de cursus")

    page = client.get(url).content.decode()
    section = page.split('id="proposals"', 1)[1].split("</section>", 1)[0]
    open_part, answered = section.split("<details", 1)
    assert "Een cursus Nederlands volgen" in open_part and "Morgen al werken" not in open_part
    assert reverse("portal:staff", args=[trajectory.uuid]) + "#proposals-heading" in open_part
    assert "Morgen al werken" in answered and "Eerst de cursus" in answered
