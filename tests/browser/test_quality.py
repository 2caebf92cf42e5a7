"""The team lead reads the team quality page and the work list, a professional their own figures, in a real
browser at 1366 px: no page is wider than the window (wide tables scroll in their own region), no figure
names a professional on the team lead's pages, and every page passes axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import re

import pytest
from playwright.sync_api import expect

from waardewerk.quality.tests.test_quality import ended

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def _fits(page, width=1366):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_team_lead_and_professional(
    page, log_in, axe_check, professional, colleague, team_lead, team, password
):
    for index in range(12):
        ended(professional if index < 9 else colleague, team, reflection=index % 4 != 0)
    page.set_viewport_size({"width": 1366, "height": 900})

    log_in("lead", password)
    nav = page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation"))
    nav.get_by_role("link", name=_text("^Teamkwaliteit$", "^Team quality$")).click()
    expect(page).to_have_url(re.compile(r"/quality/team/$"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("75%")
    for person in (professional, colleague):
        expect(main).not_to_contain_text(person.last_name)
    _fits(page)
    axe_check(page, "team quality")

    nav.get_by_role("link", name=_text("^Teamoverzicht$", "^Team overview$")).click()
    expect(main).not_to_contain_text(_text("Per professional", "Per professional"))
    page.get_by_label(_text("^Vraagt aandacht", "^Needs attention")).select_option("any")
    page.get_by_role("button", name=_text("^Filteren$", "^Filter$")).click()
    # The filter is a form sent by GET: measure the new page, not the one being left.
    expect(page).to_have_url(re.compile(r"attention=any"))
    page.wait_for_load_state()
    _fits(page)
    axe_check(page, "team overview with the work list")
    page.get_by_role("button", name=_text("Uitloggen", "Log out")).click()

    log_in("prof", password)
    page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation")).get_by_role(
        "link", name=_text("^Mijn kwaliteitscijfers$", "^My quality figures$")
    ).click()
    expect(page).to_have_url(re.compile(r"/quality/mine/$"))
    expect(page.get_by_role("main")).to_contain_text(_text("Alleen u ziet", "Only you see"))
    expect(page.get_by_role("main")).to_contain_text(_text("te weinig om te tonen", "too few to show"))
    _fits(page)
    axe_check(page, "my quality figures")
