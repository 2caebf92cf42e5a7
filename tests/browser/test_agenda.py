"""A professional plans appointments in the agenda in a real browser: a conversation with a client, an
overlap that is warned about and planned anyway, moving and cancelling, the week view, the start page with
today's appointments and the calendar feed's page. Every page passes axe-core and fits a 1366 px window.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def _fits(page, width=1366):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_agenda(page, log_in, axe_check, professional, password):
    TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__first_name="Fatima",
        client__last_name="El Amrani",
    )
    today = timezone.localdate().isoformat()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in("prof", password)
    page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation")).get_by_role(
        "link", name=_text("^Agenda$", "^Agenda$")
    ).click()
    expect(page).to_have_url(re.compile(r"/agenda/$"))
    _fits(page)
    axe_check(page, "agenda, day view")

    page.get_by_role("link", name=_text("Nieuwe afspraak", "New appointment")).first.click()
    page.get_by_label(_text("^Cliënt", "^Client")).select_option(label="El Amrani, Fatima")
    page.get_by_label(_text("^Datum", "^Date")).fill(today)
    page.get_by_label(_text("^Tijd", "^Time")).fill("23:00")
    page.get_by_label(_text("^Duur", "^Duration")).fill("30")
    page.get_by_label(_text("^Hoe", "^How")).select_option("phone")
    axe_check(page, "new appointment")
    page.get_by_role("button", name=_text("Afspraak inplannen", "Plan the appointment")).click()
    expect(page.get_by_role("status")).to_contain_text(_text("staat in uw agenda", "is in your agenda"))
    expect(page.get_by_role("main")).to_contain_text("El Amrani, Fatima")

    # A second one at the same time: a warning with the overlapping appointment, then planned anyway.
    page.get_by_role("link", name=_text("Nieuwe afspraak", "New appointment")).first.click()
    page.get_by_label(_text("^Soort", "^Kind")).select_option("other")
    page.get_by_label(_text("^Datum", "^Date")).fill(today)
    page.get_by_label(_text("^Tijd", "^Time")).fill("23:15")
    page.get_by_label(_text("^Onderwerp", "^Subject")).fill("Teamoverleg")
    page.get_by_role("button", name=_text("Afspraak inplannen", "Plan the appointment")).click()
    expect(page.get_by_role("alert").first).to_contain_text(_text("Op dat moment heeft u al", "At that time"))
    axe_check(page, "new appointment with an overlap warning")
    page.get_by_label(_text("Toch inplannen", "Plan it anyway")).check()
    page.get_by_role("button", name=_text("Afspraak inplannen", "Plan the appointment")).click()
    expect(page.get_by_role("status")).to_contain_text(_text("staat in uw agenda", "is in your agenda"))

    page.get_by_role("link", name=re.compile("El Amrani, Fatima")).click()
    expect(
        page.get_by_role("link", name=_text("Gesprek vastleggen", "Record the conversation"))
    ).to_be_visible()
    axe_check(page, "an appointment")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page.get_by_label(_text("^Datum", "^Date")).fill(tomorrow)
    page.get_by_label(_text("^Tijd", "^Time")).fill("09:00")
    page.get_by_role("button", name=_text("Afspraak verzetten", "Move the appointment")).click()
    expect(page.get_by_role("status")).to_contain_text(_text("verzet", "moved"))
    page.get_by_role("link", name=re.compile("El Amrani, Fatima")).click()
    page.get_by_role("button", name=_text("Afspraak afzeggen", "Cancel the appointment")).click()
    expect(page.get_by_role("status")).to_contain_text(_text("afgezegd", "cancelled"))

    page.get_by_role("link", name=_text("Weekoverzicht", "Week view")).click()
    expect(page).to_have_url(re.compile(r"/agenda/week/"))
    _fits(page)
    axe_check(page, "agenda, week view")

    page.get_by_role("link", name=_text("In uw eigen agenda-app", "In your own calendar app")).click()
    page.get_by_role("button", name=_text("Feedadres maken", "Make a feed address")).click()
    expect(
        page.get_by_label(_text("Adres van uw agendafeed", "Address of your calendar feed"))
    ).to_have_value(re.compile(r"/agenda/calendar-feed/.+\.ics$"))
    axe_check(page, "calendar feed")

    page.get_by_role("navigation", name=_text("Hoofdnavigatie", "Main navigation")).get_by_role(
        "link", name=_text("^Vandaag$", "^Today$")
    ).click()
    today_section = page.get_by_role("region", name=_text("Afspraken vandaag", "Appointments today"))
    expect(today_section).to_contain_text("Teamoverleg")
    axe_check(page, "start page with today's appointments")
