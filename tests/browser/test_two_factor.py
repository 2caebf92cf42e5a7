"""Two-step verification in a real browser: the set-up needs the administrator's set-up link, then the app
and the recovery codes; later logins with a code and with a recovery code; axe on every page."""

import datetime as dt
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from waardewerk.accounts import totp
from waardewerk.accounts.tests.helpers import clock, setup_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_two_factor_and_log_in_with_a_code(page, log_in, axe_check, professional, password, settings):
    settings.WAARDEWERK_REQUIRE_2FA = True
    heading = page.get_by_role("heading", level=1)

    # The password alone does not allow a set-up.
    log_in("prof", password)
    expect(heading).to_have_text("Tweestapsverificatie instellen")
    expect(page.get_by_text("activeringslink van uw functioneel beheerder")).to_be_visible()
    axe_check(page, "two-factor set-up without a link")

    page.goto(setup_link(professional))
    expect(heading).to_have_text("Tweestapsverificatie instellen")
    expect(
        page.get_by_role("img", name="QR-code om Waardewerk toe te voegen aan uw authenticator-app")
    ).to_be_visible()
    axe_check(page, "two-factor set-up")

    # Typing the key by hand, as a user without a camera would.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    expect(page.get_by_text("Deze code klopt niet.")).to_be_visible()
    axe_check(page, "two-factor set-up with an error")
    page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time()))
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    expect(heading).to_have_text("Uw herstelcodes")
    codes = page.get_by_role("list", name="Herstelcodes").locator("code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", c) for c in codes)
    axe_check(page, "recovery codes")
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    expect(heading).to_contain_text("Vandaag")  # the start page

    page.get_by_role("button", name="Uitloggen").click()
    log_in("prof", password)
    expect(heading).to_have_text("Tweestapsverificatie")
    axe_check(page, "two-factor verify")
    # The code of the set-up is used up; the next step's code is inside the accepted window.
    page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time() + 30))
    page.get_by_role("button", name="Controleren").click()
    expect(heading).to_contain_text("Vandaag")  # the start page

    page.get_by_role("link", name="Tweestapsverificatie").click()
    expect(page.get_by_text("Tweestapsverificatie staat aan sinds")).to_be_visible()
    expect(page.get_by_text("U hebt nog 10 ongebruikte herstelcodes")).to_be_visible()
    axe_check(page, "two-factor overview")

    # Without the phone: a recovery code.
    page.get_by_role("button", name="Uitloggen").click()
    log_in("prof", password)
    page.get_by_role("link", name="Geen telefoon bij de hand? Gebruik een herstelcode").click()
    expect(heading).to_have_text("Inloggen met een herstelcode")
    axe_check(page, "recovery code step")
    page.get_by_label("Herstelcode", exact=True).fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Deze herstelcode klopt niet of is al gebruikt.")).to_be_visible()
    axe_check(page, "recovery code step with an error")
    page.get_by_label("Herstelcode", exact=True).fill(codes[0].lower())
    page.get_by_role("button", name="Inloggen").click()
    expect(heading).to_contain_text("Vandaag")  # the start page
    expect(page.get_by_text("U bent ingelogd met een herstelcode. U hebt er nog 9.")).to_be_visible()
    axe_check(page, "start page after a recovery code")

    # New codes, a minute later (every code of this minute is used), after typing the password and a code.
    with clock(timezone.now() + dt.timedelta(seconds=60)):
        page.goto("/accounts/two-factor/recovery-codes/")
        expect(heading).to_have_text("Bevestig dat u het bent")
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time() + 60))
        page.get_by_role("button", name="Bevestigen").click()
        expect(page.get_by_text("U hebt nog 9 ongebruikte herstelcodes.")).to_be_visible()
        axe_check(page, "make new recovery codes")
        page.get_by_role("button", name="Nieuwe herstelcodes maken").click()
        expect(heading).to_have_text("Uw herstelcodes")
    new = page.get_by_role("list", name="Herstelcodes").locator("code").all_inner_texts()
    assert len(new) == 10 and not set(new) & set(codes)
