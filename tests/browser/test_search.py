"""A professional searches from the header: a name typed without accents finds "Öztürk", the results show
the trajectory's state, a client without a trajectory is found too; the registration warns for the same
person and registers after the confirmation. Every page passes axe-core, also at 390 px.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.factories import ClientFactory, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 390])
def test_search_from_the_header(page, log_in, axe_check, professional, password, width):
    org = professional.organisation
    turk = ClientFactory(
        organisation=org, first_name="Ayşe", last_name="Öztürk", date_of_birth=dt.date(1980, 2, 3)
    )
    TrajectoryFactory(client=turk, responsible=professional)
    waiting = ClientFactory(
        organisation=org, first_name="Fleur", last_name="Özdemir", created_by=professional
    )
    page.set_viewport_size({"width": width, "height": 900})

    log_in("prof", password)
    header = page.get_by_role("banner")
    header.get_by_role("searchbox").fill("oz")
    header.get_by_role("button", name=_text("Zoeken", "Search")).click()
    expect(page).to_have_url(re.compile(r"/search/\?q=oz"))
    results = page.get_by_role("main").get_by_role("table")
    expect(results).to_contain_text("Öztürk, Ayşe")
    expect(results).to_contain_text("Özdemir, Fleur")  # registered, no trajectory yet
    expect(results).to_contain_text(_text("Nog niet gestart", "Not started yet"))
    _fits(page, width)
    axe_check(page, f"search results at {width} px")

    search = page.get_by_role("main").get_by_role("searchbox")
    search.fill("31-02-1980")
    page.get_by_role("main").get_by_role("button", name=_text("Zoeken", "Search")).click()
    expect(page.get_by_role("main")).to_contain_text(_text("geen bestaande datum", "not an existing date"))
    axe_check(page, f"search with an error at {width} px")

    page.goto("/clients/new/")
    page.get_by_label(_text("Voornaam", "First name")).fill("Ayse")
    page.get_by_label(_text("Achternaam", "Last name")).fill("OZTURK")
    page.get_by_label(_text("Geboortedatum", "Date of birth")).fill("1980-02-03")
    page.get_by_role("button", name=_text("Cliënt registreren", "Register client")).click()
    warning = page.locator("#possible-duplicates")
    expect(warning).to_contain_text(_text("misschien al cliënt", "may already be a client"))
    expect(warning.get_by_role("link")).to_contain_text("Ayşe Öztürk")
    expect(page.get_by_label(_text("Voornaam", "First name"))).to_have_value("Ayse")  # nothing lost
    _fits(page, width)
    axe_check(page, f"duplicate warning at {width} px")
    page.get_by_label(_text("toch registreren", "register anyway")).check()
    page.get_by_role("button", name=_text("Cliënt registreren", "Register client")).click()
    expect(page).to_have_url(re.compile(r"/clients/[0-9a-f-]+/trajectories/new/$"))
    assert waiting.pk
