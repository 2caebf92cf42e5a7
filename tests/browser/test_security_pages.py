"""The administrator resets a user's second factor (after confirming it is them), and the portal's page for
too many attempts: in a real browser, axe-checked."""

import time

import pytest
from playwright.sync_api import expect

from waardewerk.accounts import services, totp
from waardewerk.accounts.tests.helpers import confirmed_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_resets_a_second_factor_and_gets_a_set_up_link(
    page, log_in, axe_check, functional_admin, professional, password
):
    secret = confirmed_device(functional_admin).secret
    confirmed_device(professional)
    services.recovery_codes_generate(user=professional)
    heading = page.get_by_role("heading", level=1)

    log_in("admin", password)
    page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time()))
    page.get_by_role("button", name="Controleren").click()
    page.goto("/admin-area/organisation/")
    page.get_by_role("link", name="Opnieuw instellen voor Pia Professional").click()
    expect(heading).to_have_text("Bevestig dat u het bent")
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time() + 30))
    page.get_by_role("button", name="Bevestigen").click()

    expect(heading).to_have_text("Tweestapsverificatie van Pia Professional")
    expect(page.get_by_text("10 ongebruikte herstelcodes")).to_be_visible()
    axe_check(page, "second factor of a user")
    page.get_by_role("button", name="Opnieuw instellen en activeringslink maken").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    axe_check(page, "second factor of a user with an error")
    page.get_by_label("Reden").fill("nieuwe telefoon, telefonisch gemeld")
    page.get_by_role("button", name="Opnieuw instellen en activeringslink maken").click()
    expect(heading).to_have_text("Activeringslink voor Pia Professional")
    link = page.locator("#setup-link").inner_text()
    assert "/accounts/two-factor/setup/" in link
    axe_check(page, "set-up link")
    assert not professional.recovery_codes.exists()


def test_the_portal_page_for_too_many_attempts(page, axe_check, settings):
    settings.WAARDEWERK_PORTAL_RATE_LIMIT = 1
    page.goto("/portal/code/")
    response = page.goto("/portal/code/")
    assert response.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Te veel pogingen")
    expect(page.get_by_text("Wacht even. Probeer het opnieuw om")).to_be_visible()
    axe_check(page, "portal: too many attempts")
