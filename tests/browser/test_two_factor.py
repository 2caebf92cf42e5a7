"""Two-step verification in a real browser: set up the app, log in with a code, axe on both pages."""

import time

import pytest
from playwright.sync_api import expect

from waardewerk.accounts import totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_two_factor_and_log_in_with_a_code(page, log_in, axe_check, professional, password, settings):
    settings.WAARDEWERK_REQUIRE_2FA = True
    heading = page.get_by_role("heading", level=1)

    log_in("prof", password)
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
    expect(heading).to_have_text("Mijn caseload")

    page.get_by_role("button", name="Uitloggen").click()
    log_in("prof", password)
    expect(heading).to_have_text("Tweestapsverificatie")
    axe_check(page, "two-factor verify")
    # The code of the set-up is used up; the next step's code is inside the accepted window.
    page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time() + 30))
    page.get_by_role("button", name="Controleren").click()
    expect(heading).to_have_text("Mijn caseload")

    page.get_by_role("link", name="Tweestapsverificatie").click()
    expect(page.get_by_text("Tweestapsverificatie staat aan sinds")).to_be_visible()
    axe_check(page, "two-factor overview")
    assert not [e for e in page.console_errors if "422" not in e]
