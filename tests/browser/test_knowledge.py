"""The knowledge base in a real browser: a professional proposes a local practice method, the knowledge
editor publishes it, and the professional chooses it in a plan. Every page is checked with axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.knowledge.models import EntryStatus, KnowledgeEntry, PlanChoiceEntry
from waardewerk.trajectories.models import Phase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Opbouwschema in uren met evaluatie"


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def test_propose_publish_and_choose_a_local_practice_method(page, log_in, axe_check, professional, password):
    editor = UserFactory(
        organisation=professional.organisation,
        role=Role.KNOWLEDGE_EDITOR,
        username="redactie",
        first_name="Rosa",
        last_name="Redactie",
    )
    editor.set_password(password)
    editor.save()
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, phase=Phase.PLAN
    )

    # The professional proposes a local practice method.
    log_in("prof", password)
    page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation")).get_by_role(
        "link", name=_text("^Kennisbank$", "^Knowledge base$")
    ).click()
    expect(page).to_have_url(re.compile(r"/knowledge-base/$"))
    axe_check(page, "knowledge base")
    page.get_by_role(
        "link", name=_text("Eigen praktijkmethode voorstellen", "Propose a local practice method")
    ).click()
    expect(page).to_have_url(re.compile(r"/knowledge-base/new/$"))
    axe_check(page, "proposal form")
    page.get_by_label(_text("^Naam", "^Name")).fill(NAME)
    send = page.get_by_role("button", name=_text("Ter beoordeling versturen", "Send for review"))
    send.click()  # without a summary, target group, goal and approach nothing is stored, the name stays
    expect(page.get_by_label(_text("^Samenvatting", "^Summary"))).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(_text("^Naam", "^Name"))).to_have_value(NAME)
    axe_check(page, "proposal form with errors")
    page.get_by_label(_text("^Samenvatting", "^Summary")).fill("Uren stap voor stap opbouwen.")
    page.get_by_label(_text(r"^Doelgroep \(eind", r"^Target group \(final")).fill(
        "Werkzoekenden na lange tijd."
    )
    page.get_by_label(_text("^Doel$", "^Goal$")).fill("Een werkritme dat de cliënt volhoudt.")
    page.get_by_label(_text("^Aanpak", "^Approach")).fill("Twee dagdelen, elke vier weken bijstellen.")
    send.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    axe_check(page, "the proposal's page")
    entry = KnowledgeEntry.objects.get(proposed_by=professional)
    assert entry.status == EntryStatus.PROPOSED

    # The knowledge editor publishes it.
    page.context.clear_cookies()
    log_in("redactie", password)
    expect(page).to_have_url(re.compile(r"/knowledge-base/editor/$"))
    axe_check(page, "editor's page")
    page.get_by_role("link", name=NAME).click()
    axe_check(page, "review form")
    page.get_by_role("radio", name=_text("Publiceren", "Publish it")).check()
    page.get_by_role("button", name=_text("Besluit opslaan", "Save the decision")).click()
    expect(page.get_by_role("main")).not_to_contain_text(_text("wacht op beoordeling", "awaiting review"))
    axe_check(page, "published entry")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED

    # An assessed entry without its assessing body and date: the checker's problems beside those fields.
    page.goto("/knowledge-base/new/")
    page.get_by_label(_text("^Naam", "^Name")).fill("Werkfit in stappen")
    page.get_by_label(_text("^Samenvatting", "^Summary")).fill("Stap voor stap naar werk.")
    page.get_by_label(_text(r"^Doelgroep \(eind", r"^Target group \(final")).fill("Werkzoekenden.")
    page.get_by_label(_text("^Doel$", "^Goal$")).fill("Betaald werk.")
    page.get_by_label(_text("^Aanpak", "^Approach")).fill("Wekelijkse gesprekken.")
    page.get_by_label(_text("^Erkenning", "^Recognition")).select_option("well_described")
    page.get_by_role("button", name=_text("^Publiceren$", "^Publish$")).click()
    body = page.get_by_label(_text("^Beoordelende instantie", "^Assessing body"))
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_body-error")).to_contain_text(_text("Dit is verplicht", "This is required"))
    expect(page.locator("#id_date-error")).to_contain_text(_text("Dit is verplicht", "This is required"))
    expect(page.get_by_label(_text("^Naam", "^Name"))).to_have_value("Werkfit in stappen")
    axe_check(page, "entry form with the checker's problems beside the fields")

    # The professional chooses it in a plan.
    page.context.clear_cookies()
    log_in("prof", password)
    page.goto(f"/trajectories/{trajectory.uuid}/plan/edit/")
    page.get_by_label(
        _text("Het doel, in de woorden van de cliënt", "The goal, in the client's own words")
    ).fill("Weer werken, in mijn eigen tempo.")
    page.get_by_label(_text("Uit de kennisbank", "From the knowledge base")).select_option(entry.key)
    page.get_by_label(_text("Professionele expertise", "Professional expertise")).fill(
        "Past bij deze cliënt."
    )
    page.get_by_label(_text("voorkeur van de cliënt, in", "preference, in the client")).fill("Niet te snel.")
    page.get_by_label(_text("Hoe de drie bronnen zijn gewogen", "How the three sources were weighed")).fill(
        "Geen onderzoek; de voorkeur van de cliënt woog het zwaarst."
    )
    axe_check(page, "plan form with an entry")
    page.get_by_role("button", name=_text("Opslaan als nieuwe versie", "Save as a new version")).click()
    expect(page.get_by_role("link", name=_text("item, versie 1", "entry, version 1"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("de voorkeur van de cliënt woog het zwaarst")
    axe_check(page, "plan page with an entry")
    assert PlanChoiceEntry.objects.filter(trajectory=trajectory, entry=entry).exists()
