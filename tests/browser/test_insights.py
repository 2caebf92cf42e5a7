"""What worked here and the research export in a real browser: the professional finds an entry's figures
(shown and suppressed) from the navigation; the knowledge editor downloads the research export. Every page
is checked with axe-core. Texts are matched in Dutch or English."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from waardewerk.accounts.models import Role
from waardewerk.insights.tests.helpers import build_practice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def test_what_worked_here_and_the_research_export(page, log_in, axe_check, professional, password):
    build_practice(professional)
    log_in("prof", password)
    page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation")).get_by_role(
        "link", name=_text("^Wat werkte hier$", "^What worked here$")
    ).click()
    expect(page).to_have_url(re.compile(r"/evidence/$"))
    axe_check(page, "what worked here")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/evidence/entries/ips/$"))
    expect(page.get_by_text(_text("te weinig om te tonen", "too few to show")).first).to_be_visible()
    expect(page.get_by_text(_text("bewijzen niet", "not proof"))).to_be_visible()
    axe_check(page, "an entry's figures")

    editor = UserFactory(
        organisation=professional.organisation, role=Role.KNOWLEDGE_EDITOR, username="redacteur"
    )
    editor.set_password(password)
    editor.save()
    page.context.clear_cookies()
    log_in("redacteur", password)
    page.goto("/admin-area/research-export/")
    # A fresh password confirmation first, as for the access log's export.
    page.get_by_label(_text("Wachtwoord", "Password")).fill(password)
    page.get_by_role("button", name=_text("Bevestigen", "Confirm")).click()
    expect(page).to_have_url(re.compile(r"/admin-area/research-export/$"))
    axe_check(page, "research export")
    page.get_by_label(_text("Trajecten die liepen", "Trajectories that ran")).fill("2020-01-01")
    with page.expect_download() as download:
        page.get_by_role("button", name=_text("Export downloaden", "Download the export")).click()
    assert download.value.suggested_filename.endswith(".zip")
