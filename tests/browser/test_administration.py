"""The functional administrator adds a team and a user with a role and that team, sends the user a link to
set a password by e-mail, and the user sets it and logs in; then the administrator deactivates them. Every
page passes axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from waardewerk.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def test_users_and_teams(page, log_in, axe_check, functional_admin, team, password):
    log_in("admin", password)
    page.get_by_role("link", name=_text("^Nieuw team$", "^New team$")).click()
    page.get_by_label(_text("^Naam", "^Name")).fill("Team Noord")
    axe_check(page, "new team")
    page.get_by_role("button", name=_text("Team opslaan", "Save the team")).click()
    expect(page.get_by_role("rowheader", name="Team Noord")).to_be_visible()

    page.get_by_role("link", name=_text("^Nieuwe gebruiker$", "^New user$")).click()
    page.get_by_label(_text("^Voornaam", "^First name")).fill("Noor")
    page.get_by_label(_text("^Achternaam", "^Last name")).fill("Haddad")
    page.get_by_label(_text("^Gebruikersnaam", "^User name")).fill("noor")
    page.get_by_label(_text("^E-mailadres", "^E-mail address")).fill("noor@example.org")
    page.get_by_label(_text("^Rol", "^Role")).select_option("professional")
    page.get_by_label("Team Noord").check()
    axe_check(page, "new user")
    page.get_by_role("button", name=_text("Gebruiker toevoegen", "Add the user")).click()
    expect(page.get_by_role("status")).to_contain_text(_text("is toegevoegd", "is added"))
    axe_check(page, "a user")
    page.get_by_role("button", name=_text("Link sturen", "Send a link")).click()
    expect(page.get_by_role("status")).to_contain_text("noor@example.org")
    link = re.search(r"https?://[^/\s]+(/accounts/password/\S+)", mail.outbox[-1].body).group(1)
    page.get_by_role("button", name=_text("Uitloggen", "Log out")).click()

    page.goto(link)
    axe_check(page, "set a password")
    new_password = "Een-lang-nieuw-wachtwoord-7"
    page.get_by_label(_text("^Nieuw wachtwoord$", "^New password$")).fill(new_password)
    page.get_by_label(_text("^Nieuw wachtwoord bevestigen", "^New password confirmation")).fill(new_password)
    page.get_by_role("button", name=_text("Wachtwoord instellen", "Set the password")).click()
    expect(page.get_by_role("status")).to_contain_text(_text("wachtwoord is ingesteld", "password is set"))
    log_in("noor", new_password)
    expect(page.get_by_role("heading", level=1)).to_contain_text(_text("Vandaag", "Today"))
    page.get_by_role("button", name=_text("Uitloggen", "Log out")).click()

    log_in("admin", password)
    page.get_by_role("link", name="Noor Haddad", exact=True).click()
    page.get_by_role("button", name=_text("^Deactiveren$", "^Deactivate$")).click()
    expect(page.get_by_role("status")).to_contain_text(
        _text("kan niet meer inloggen", "can no longer log in")
    )
    assert not User.objects.get(username="noor").is_active
