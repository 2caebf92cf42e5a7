"""The guiding principles in a real browser: the knowledge editor changes a principle (a new version), a
professional reads the list and ticks principles in a conversation, which the timeline shows. Every page
is checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_read_and_tick_the_principles(page, log_in, axe_check, professional, password):
    editor = UserFactory(
        organisation=professional.organisation, role=Role.KNOWLEDGE_EDITOR, username="redactie"
    )
    editor.set_password(password)
    editor.save()
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)

    # The knowledge editor changes a principle: a new version with the reason.
    log_in("redactie", password)
    page.goto("/principles/")
    axe_check(page, "principles (editor)")
    page.locator("#principle-trust").get_by_role("link", name="Bewerken").click()
    axe_check(page, "edit a principle")
    page.get_by_label("In de praktijk (Nederlands)").fill("Vraag eerst wat er in de weg zat.")
    page.get_by_label("Wat is er veranderd en waarom").fill("Voorbeeld korter gemaakt.")
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    expect(page.locator("#principle-trust")).to_contain_text("Vraag eerst wat er in de weg zat.")
    expect(page.get_by_role("region", name="Versies")).to_contain_text("Voorbeeld korter gemaakt.")

    # A professional reads them, and ticks two in a conversation.
    page.context.clear_cookies()
    log_in("prof", password)
    page.get_by_role("link", name="Leidende gedragsprincipes").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leidende gedragsprincipes")
    axe_check(page, "principles (professional)")
    page.goto(f"/trajectories/{trajectory.uuid}/conversations/")
    page.locator("details.ww-fold > summary", has_text="Leidende gedragsprincipes").click()  # folded
    page.get_by_label("Autonomie").check()
    page.get_by_label("Respect").check()
    page.get_by_label("Notities").fill("Samen gekeken naar wat de cliënt zelf wil proberen.")
    axe_check(page, "conversation form with principles")
    page.get_by_role("button", name="Gesprek opslaan").click()
    expect(page.locator(".ww-timeline")).to_contain_text("Autonomie, Respect")
