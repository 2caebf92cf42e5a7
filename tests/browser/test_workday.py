"""A professional logs in and lands on the start page ("Vandaag"): signals with their reasons and links, one
marked as handled and undone; a team lead sees the counts of their team without names. Every page passes
axe-core and fits a 1366 px window.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ActionFactory, TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def _fits(page, width=1366):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_start_page(page, log_in, axe_check, professional, colleague, team_lead, team, password):
    today = timezone.localdate()
    mine = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    ActionFactory(trajectory=mine, due_date=today - dt.timedelta(days=2), description="Cv opsturen")
    theirs = TrajectoryFactory(responsible=colleague, client__organisation=colleague.organisation, team=team)
    ActionFactory(trajectory=theirs, due_date=today, description="Werkgever bellen")
    page.set_viewport_size({"width": 1366, "height": 900})

    log_in("prof", password)
    expect(page).to_have_url(re.compile(r"/today/$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text(_text("Vandaag", "Today"))
    expect(main).to_contain_text("Cv opsturen")
    expect(main).not_to_contain_text("Werkgever bellen")  # a colleague's trajectory
    _fits(page)
    axe_check(page, "start page")

    actions = main.get_by_role("region", name=_text("Acties te laat", "Actions overdue"))
    actions.get_by_role("button", name=_text("Afgehandeld", "Mark as handled")).click()
    expect(page.get_by_role("status")).to_contain_text(
        _text("Als afgehandeld gemarkeerd", "Marked as handled")
    )
    handled = main.get_by_role("region", name=_text("Als afgehandeld gemarkeerd", "Marked as handled"))
    expect(handled).to_contain_text("Cv opsturen")
    axe_check(page, "start page with a handled signal")
    handled.get_by_role("button", name=_text("Ongedaan maken", "Undo")).click()
    expect(page.get_by_role("status")).to_contain_text(_text("weer open", "open again"))
    expect(main.get_by_role("region", name=_text("Acties te laat", "Actions overdue"))).to_contain_text(
        "Cv opsturen"
    )
    page.get_by_role("button", name=_text("Uitloggen", "Log out")).click()

    log_in("lead", password)
    expect(page).to_have_url(re.compile(r"/today/$"))
    teams = page.get_by_role("main").get_by_role("region", name=_text("Uw teams", "Your teams"))
    expect(teams.get_by_role("table")).to_contain_text(team.name)
    for person in (professional, colleague):
        expect(teams).not_to_contain_text(person.last_name)
    _fits(page)
    axe_check(page, "start page of a team lead")
