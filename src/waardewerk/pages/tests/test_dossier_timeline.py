"""The dossier shows the newest entries of the open trajectory's timeline and links to the whole of it; the
trajectory page shows every entry."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import TrajectoryFactory
from waardewerk.pages.trajectory import DOSSIER_TIMELINE
from waardewerk.trajectories import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory(professional):
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=timezone.localdate() - dt.timedelta(days=60),
    )
    for n in range(14):  # with the start: 15 entries
        services.progress_note_add(
            actor=professional,
            trajectory=trajectory,
            date=trajectory.start_date + dt.timedelta(days=n + 1),
            text=f"Voortgang nummer {n:02d}",
        )
    return trajectory


def test_the_dossier_shows_the_newest_entries_and_links_to_the_whole_timeline(
    client, professional, trajectory
):
    client.force_login(professional)
    with translation.override("nl"):
        page = client.get(
            reverse("clients:dossier", args=[trajectory.client.uuid]), headers={"accept-language": "nl"}
        ).content.decode()
    shown = [n for n in range(14) if f"Voortgang nummer {n:02d}" in page]
    assert shown == list(range(14 - DOSSIER_TIMELINE, 14))  # the newest ten
    whole = reverse("trajectories:detail", args=[trajectory.uuid])
    assert f'href="{whole}#timeline" hx-get="{whole}"' in page
    assert "De hele tijdlijn tonen (15 items)" in page


def test_a_filtered_dossier_links_to_the_whole_of_that_kind(client, professional, trajectory):
    client.force_login(professional)
    page = client.get(
        reverse("clients:dossier", args=[trajectory.client.uuid]) + "?kind=note"
    ).content.decode()
    assert sum(f"Voortgang nummer {n:02d}" in page for n in range(14)) == DOSSIER_TIMELINE
    whole = reverse("trajectories:detail", args=[trajectory.uuid])
    assert f'href="{whole}?kind=note#timeline"' in page


def test_the_trajectory_page_and_its_timeline_partial_show_every_entry(client, professional, trajectory):
    client.force_login(professional)
    url = reverse("trajectories:detail", args=[trajectory.uuid])
    for page in (client.get(url), client.get(url, headers={"HX-Request": "true"})):
        text = page.content.decode()
        assert all(f"Voortgang nummer {n:02d}" in text for n in range(14))
        assert "whole timeline" not in text and "hele tijdlijn" not in text
