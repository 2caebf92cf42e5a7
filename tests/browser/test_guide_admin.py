"""The functional administrator edits a topic of the conversation guide in a real browser: a new version
appears in the history, professionals read it; every page is checked with axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import re

import pytest
from playwright.sync_api import expect

from waardewerk.knowledge import selectors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def test_admin_edits_a_topic_and_sees_the_new_version(page, log_in, axe_check, functional_admin, password):
    before, guide = selectors.current_guide()
    topic = guide.topics_in("intake")[0]
    log_in("admin", password)

    page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation")).get_by_role(
        "link", name=_text("Gespreksleidraad", "Conversation guide")
    ).click()
    expect(page).to_have_url(re.compile(r"/admin-area/guide/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page, "guide editor overview")

    card = page.locator(f"#topic-{topic.key}")
    card.get_by_role("link", name=_text("^Bewerken", "^Edit")).click()
    expect(page.locator("#id_title_nl")).to_have_value(guide.topic_raw(topic.key)[1]["title"]["nl"])
    axe_check(page, "topic form")

    # Without "what changed and why" nothing is saved, and what was typed stays.
    questions = "Wat is voor u het belangrijkste in werk?\nWanneer gaat u met plezier naar uw werk?"
    page.locator("#id_questions_nl").fill(questions)
    page.locator("#id_questions_en").fill("What matters most to you in work?")
    save = page.get_by_role("button", name=_text("Opslaan als nieuwe versie", "Save as a new version"))
    save.click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#id_note")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_questions_nl")).to_have_value(questions)
    axe_check(page, "topic form with errors")

    page.locator("#id_note").fill("Vragen concreter gemaakt na intervisie.")
    save.click()
    expect(page).to_have_url(re.compile(rf"/admin-area/guide/#topic-{topic.key}$"))
    expect(page.locator(f"#topic-{topic.key}")).to_contain_text("Wanneer gaat u met plezier naar uw werk?")
    history = page.locator("#history")
    new_row = history.get_by_role("row").filter(has_text="Vragen concreter gemaakt na intervisie.")
    expect(new_row).to_contain_text(str(before.version + 1))
    expect(new_row).to_contain_text("Ad Beheerder")
    axe_check(page, "guide editor after the edit")

    # The earlier version stays readable, unchanged.
    history.get_by_role("link", name=re.compile(rf"\b{before.version}\b")).first.click()
    expect(page.locator(f"#topic-{topic.key}")).not_to_contain_text("Wanneer gaat u met plezier")
    axe_check(page, "earlier version")

    # The reading view, filtered for job seekers.
    page.goto("/guide/")
    page.get_by_label(_text("Toon de onderwerpen voor", "Show the topics for")).select_option("job_seeker")
    page.get_by_role("button", name=_text("^Tonen$", "^Show$")).click()
    expect(page).to_have_url(re.compile(r"audience=job_seeker"))
    expect(page.locator(f"#topic-{topic.key}")).to_contain_text("Wanneer gaat u met plezier naar uw werk?")
    axe_check(page, "guide for job seekers")

    # The other editor pages: adding a topic and the confirmation before removing one.
    page.goto("/admin-area/guide/")
    page.locator("#phase-plan").get_by_role("link", name=_text("Onderwerp toevoegen", "Add a topic")).click()
    expect(page.locator("#id_title_nl")).to_have_value("")
    axe_check(page, "new topic form")
    page.goto("/admin-area/guide/")
    page.locator(f"#topic-{topic.key}").get_by_role("link", name=_text("^Verwijderen", "^Remove")).click()
    expect(page.locator("#id_note")).to_be_visible()
    axe_check(page, "remove confirmation")

    current, _guide = selectors.current_guide()
    assert current.version == before.version + 1 and current.created_by == functional_admin
    assert not page.console_errors
