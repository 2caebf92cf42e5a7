"""The dossier and the trajectory page open with a summary (phase, next step, what needs attention) and links
to the page's sections; their inline forms are folded, one open at a time."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, TrajectoryFactory
from waardewerk.clients.actor import ClientActor
from waardewerk.portal import services as portal_services

pytestmark = pytest.mark.django_db

FORMS = ("action-form", "conversation-form", "phase-form")


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, phase="plan"
    )


def _summary(html: str) -> str:
    return html.split('id="summary-heading"', 1)[1].split("</section>", 1)[0]


def _section_links(html: str) -> list[str]:
    nav = html.split('<nav class="ww-section-nav" aria-label="Op deze pagina">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="#([\w-]+)"', nav)


def test_the_trajectory_page_opens_with_the_summary_and_the_section_links(client, professional, trajectory):
    ActionFactory(
        trajectory=trajectory, description="Cv sturen", due_date=timezone.localdate() - dt.timedelta(2)
    )
    ActionFactory(trajectory=trajectory, description="Later", due_date=timezone.localdate() + dt.timedelta(9))
    portal_services.goal_propose(
        actor=ClientActor(trajectory.client), trajectory=trajectory, text="Een cursus Nederlands volgen"
    )
    client.force_login(professional)
    html = client.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()

    # At the top: before the trajectory section, right after the title.
    assert html.index('id="summary-heading"') < html.index('id="trajectory-heading"')
    summary = _summary(html)
    assert "Plan, sinds " in summary
    assert "Volgende stap" in summary and 'href="#checklist-heading"' in summary
    assert (
        '<a class="utrecht-link utrecht-link--html-a" href="#actions-heading">1 actie is te laat</a>'
        in summary
    )
    assert "Nog geen plan." in summary
    assert "1 voorstel voor een doel van de cliënt wacht op u" in summary
    # Every link goes to a heading of this page.
    links = _section_links(html)
    assert links[:2] == ["cycle-heading", "plan-heading"] and "timeline-heading" in links
    for target in links:
        assert re.search(rf'<h[2-4][^>]* id="{target}"', html), target


def test_the_dossier_opens_with_the_summary_of_the_open_trajectory(client, professional, trajectory):
    client.force_login(professional)
    html = client.get(reverse("clients:dossier", args=[trajectory.client.uuid])).content.decode()
    assert html.index('id="summary-heading"') < html.index('id="personal-heading"')
    assert "Plan, sinds " in _summary(html)
    links = _section_links(html)
    assert links[:3] == ["personal-heading", "trajectories-heading", "cycle-heading"]
    for target in links:
        assert re.search(rf'<h[2-4][^>]* id="{target}"', html), target


def test_a_closed_trajectory_has_no_next_step_nor_attention(client, professional):
    closed = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        phase="evaluation",
        end_date=timezone.localdate(),
        end_reason="paid_work",
    )
    client.force_login(professional)
    html = client.get(reverse("trajectories:detail", args=[closed.uuid])).content.decode()
    summary = _summary(html)
    assert "het traject is afgesloten" in summary
    assert "Volgende stap" not in summary and "Vraagt aandacht" not in summary
    assert 'href="#forms-heading"' not in html  # no forms to go to


def test_the_forms_are_folded_one_at_a_time_and_a_failed_one_comes_back_open(
    client, professional, trajectory
):
    client.force_login(professional)
    html = client.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    for form in FORMS:
        assert f'<details class="ww-details ww-fold" id="{form}" name="trajectory-form">' in html
    response = client.post(
        reverse("trajectories:add_note", args=[trajectory.uuid]), {"text": "", "version": trajectory.version}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert '<details class="ww-details ww-fold" id="conversation-form" name="trajectory-form" open>' in html
    assert html.count('name="trajectory-form" open>') == 1
