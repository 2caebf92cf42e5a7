"""A form that fails brings the user to its error summary: the phase change on the trajectory page, whose
form is far below the top of the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ActionFactory, ConversationFactory, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_phase_change_focuses_its_error_summary(page, log_in, axe_check, professional, password):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    ConversationFactory(trajectory=trajectory)
    for n in range(4):
        ActionFactory(trajectory=trajectory, description=f"Actie {n}")
    log_in("prof", password)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/trajectories/{trajectory.uuid}/")

    form = page.locator("#phase-form")
    expect(form.get_by_label("Nieuwe fase")).to_be_hidden()  # one form at a time: folded until opened
    form.locator("summary").click()
    form.get_by_label("Nieuwe fase").select_option("plan")
    form.get_by_role("button", name="Fase wijzigen").click()  # no reason given

    # The same page again, under its own address, at the form, with the summary focused and in view;
    # nothing changed.
    expect(page).to_have_url(re.compile(rf"/trajectories/{trajectory.uuid}/#phase-form$"))
    summary = form.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Reden")
    assert page.evaluate("window.scrollY") > 0
    axe_check(page, "trajectory page with a failed phase change")

    # A link in the summary moves to its field.
    summary.get_by_role("link", name="Reden").click()
    expect(form.get_by_label("Reden")).to_be_focused()
    trajectory.refresh_from_db()
    assert trajectory.phase == "intake"
    page.reload()  # the page's own address: no form sent again
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not page.console_errors
