"""The checklists of the other phases load when their details are opened."""

import pytest
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_opening_the_other_phases_loads_their_checklists(page, log_in, axe_check, professional, password):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    log_in("prof", password)
    page.goto(f"/trajectories/{trajectory.uuid}/")
    details = page.locator("details#checklists")
    expect(details.locator("h4")).to_have_count(0)
    details.locator("summary").click()
    expect(details.locator("h4")).to_have_count(5)  # every phase but the current one (intake)
    expect(details.locator("h4").first).to_contain_text("Plan")
    axe_check(page, "trajectory page with every phase's checklist")
    details.locator("summary").click()  # closing and opening again loads nothing new
    details.locator("summary").click()
    expect(details.locator("h4")).to_have_count(5)
    assert not page.console_errors, page.console_errors
