"""The trajectory section renders the current phase's checklist; the other phases' checklists load when
their details are opened (htmx), or with ``?checklists=all`` without JavaScript."""

import pytest
from django.urls import reverse

from tests.factories import TrajectoryFactory
from waardewerk.audit.models import AccessEvent

pytestmark = pytest.mark.django_db

OTHER_PHASE = "Bijsturing"  # a heading of another phase's checklist (the trajectory is in intake)


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)


def _get(client, url, **extra):
    return client.get(url, headers={"accept-language": "nl"}, **extra).content.decode()


def test_the_page_loads_the_other_phases_checklists_when_asked(client, professional, trajectory):
    client.force_login(professional)
    url = reverse("trajectories:detail", args=[trajectory.uuid])
    for page in (_get(client, url), _get(client, reverse("clients:dossier", args=[trajectory.client.uuid]))):
        assert f'hx-get="{url}?part=checklists" hx-trigger="toggle once"' in page
        assert f'href="{url}?checklists=all#checklists"' in page
        assert f'<h4 class="utrecht-heading-4">{OTHER_PHASE}' not in page
    reads = AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").count()
    part = _get(client, url + "?part=checklists", HTTP_HX_REQUEST="true")
    assert f'<h4 class="utrecht-heading-4">{OTHER_PHASE}' in part and "<html" not in part
    assert "Intake" not in part.split("<h4", 1)[0]  # the current phase is on the page already
    assert AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").count() == reads + 1
    whole = _get(client, url + "?checklists=all")
    assert f'<h4 class="utrecht-heading-4">{OTHER_PHASE}' in whole and 'id="checklists" open' in whole


def test_the_checklists_part_follows_the_pages_access(client, colleague, trajectory):
    client.force_login(colleague)
    url = reverse("trajectories:detail", args=[trajectory.uuid]) + "?part=checklists"
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_the_phase_steps_follow_each_trajectory(client, professional):
    """The steps are rendered once per process for a phase and the phases visited: each trajectory still
    shows its own."""
    from waardewerk.trajectories import services

    first = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    second = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    services.trajectory_change_phase(
        actor=professional,
        trajectory=second,
        to_phase="plan",
        reason="Samen een plan",
        version=second.version,
    )
    client.force_login(professional)
    current = (
        'ww-cycle__step--current" aria-current="step">\n'
        '      <span class="ww-cycle__number" aria-hidden="true">'
    )
    for trajectory, number in ((first, 1), (second, 2), (first, 1)):
        page = _get(client, reverse("trajectories:detail", args=[trajectory.uuid]))
        assert f"{current}{number}</span>" in page
    page = _get(client, reverse("trajectories:detail", args=[second.uuid]))
    assert page.count("ww-cycle__step--visited") == 1  # intake
