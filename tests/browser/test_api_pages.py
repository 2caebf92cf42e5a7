"""The functional administrator registers an application, sees its token once, adds a subscription and
revokes it; the API's documentation page renders the schema from this server under the strict CSP. Every
page passes axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from waardewerk.api.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def test_applications(page, log_in, axe_check, functional_admin, password):
    log_in("admin", password)
    page.goto("/admin-area/organisation/")
    page.get_by_role("link", name=_text("Applicaties \\(API\\)", "Applications \\(API\\)")).click()
    axe_check(page, "applications")
    page.get_by_role("link", name=_text("Een applicatie registreren", "Register an application")).click()
    page.get_by_label(_text("^Naam", "^Name")).fill("Zaaksysteem")
    page.get_by_label(_text("Cliënten: persoonsgegevens", "Clients: personal data")).check()
    # The subscription's event needs it.
    page.get_by_label(_text("Trajecten: fase", "Trajectories: phase")).check()
    page.get_by_label(_text("^Geldig tot", "^Valid until")).fill(
        (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    )
    axe_check(page, "new application")
    page.get_by_role(
        "button", name=_text("Registreren en het token tonen", "Register and show the token")
    ).click()
    token = page.get_by_label("Token").input_value()
    assert token.startswith("ww_")
    axe_check(page, "the token")
    page.get_by_role("link", name=_text("Naar de applicatie", "To the application")).click()
    expect(page.locator("main")).not_to_contain_text(token)
    page.get_by_label(_text("^Adres", "^Address")).fill("https://example.org/hook")
    page.get_by_role("button", name=_text("Abonnement toevoegen", "Add the subscription")).click()
    expect(page.get_by_label(_text("Ondertekeningsgeheim", "Signing secret"))).to_have_value(
        re.compile("^whsec_")
    )
    axe_check(page, "an application")
    page.get_by_role("button", name=_text("Het token intrekken", "Revoke the token")).click()
    expect(page.get_by_role("status")).to_contain_text(_text("werkt niet meer", "no longer works"))
    assert Application.objects.get().revoked_at is not None


def test_the_documentation_page(page, axe_check):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("Waardewerk API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/clients/").first).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors
