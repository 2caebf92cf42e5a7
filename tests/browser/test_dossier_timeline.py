"""The dossier shows the newest timeline entries; the link below them loads the whole timeline in place."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory
from waardewerk.trajectories import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_whole_timeline_loads_in_place(page, log_in, axe_check, professional, password):
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__first_name="Noor",
        client__last_name="Bakker",
        start_date=timezone.localdate() - dt.timedelta(days=60),
    )
    for n in range(14):
        services.progress_note_add(
            actor=professional,
            trajectory=trajectory,
            date=trajectory.start_date + dt.timedelta(days=n + 1),
            text=f"Voortgang nummer {n:02d}",
        )
    log_in("prof", password)
    page.goto(f"/clients/{trajectory.client.uuid}/")
    items = page.locator(".ww-timeline__item")
    expect(items).to_have_count(10)
    expect(page.locator(".ww-timeline")).to_contain_text("Voortgang nummer 13")
    expect(page.locator(".ww-timeline")).not_to_contain_text("Voortgang nummer 03")
    axe_check(page, "dossier with the newest timeline entries")
    page.get_by_role("link", name="De hele tijdlijn tonen (15 items)").click()
    expect(items).to_have_count(15)
    expect(page.locator(".ww-timeline")).to_contain_text("Voortgang nummer 00")
    assert f"/clients/{trajectory.client.uuid}/" in page.url  # loaded in place: still the dossier
    expect(page.get_by_role("link", name="De hele tijdlijn tonen (15 items)")).to_have_count(0)
    axe_check(page, "dossier with the whole timeline")
    assert not page.console_errors, page.console_errors
