"""Adding an action returns to the page it was added on, at the open actions; the timeline filter is kept
in the page's address."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)


def _action(**extra):
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    return {"description": "Vacatures bekijken", "owner": "client", "due_date": due, **extra}


def test_adding_an_action_stays_on_the_trajectory_page(client, professional, trajectory):
    client.force_login(professional)
    page = reverse("trajectories:detail", args=[trajectory.uuid])
    assert 'name="back"' not in client.get(page).content.decode()
    response = client.post(reverse("trajectories:add_action", args=[trajectory.uuid]), _action())
    assert response.status_code == 302
    assert response["Location"] == f"{page}#actions-heading"
    assert "Vacatures bekijken" in client.get(page).content.decode()


def test_adding_an_action_on_the_dossier_returns_to_the_dossier(client, professional, trajectory):
    client.force_login(professional)
    dossier = reverse("clients:dossier", args=[trajectory.client.uuid])
    assert '<input type="hidden" name="back" value="dossier">' in client.get(dossier).content.decode()
    response = client.post(
        reverse("trajectories:add_action", args=[trajectory.uuid]), _action(back="dossier")
    )
    assert response["Location"] == f"{dossier}#actions-heading"


def test_the_timeline_filter_is_kept_in_the_address(client, professional, trajectory):
    client.force_login(professional)
    page = reverse("trajectories:detail", args=[trajectory.uuid])
    html = client.get(page).content.decode()
    assert f'hx-get="{page}?kind=portal" hx-push-url="?kind=portal#timeline"' in html
    assert f'hx-push-url="{page}#timeline"' in html  # "Everything" drops the kind from the address
    dossier = reverse("clients:dossier", args=[trajectory.client.uuid])
    assert f'hx-push-url="{dossier}#timeline"' in client.get(dossier).content.decode()
    # The filter's own request gets the timeline only; a step back htmx cannot restore from its cache
    # gets the whole page, with the kind chosen.
    part = client.get(page + "?kind=portal", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and 'id="timeline"' in part
    whole = client.get(
        page + "?kind=portal", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()
    assert "<html" in whole and 'href="?kind=portal#timeline"' in whole
