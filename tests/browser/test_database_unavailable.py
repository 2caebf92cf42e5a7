"""The database away, in a real browser, axe-checked: a signed-in professional gets the 503 page in Dutch
(styled, no trace), switches nothing, and the caseload works again as soon as the database is back."""

import pytest
from django.db import connections
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_503_page_while_the_database_is_away(
    page, log_in, axe_check, professional, password, monkeypatch
):
    log_in(professional.username, password)
    page.goto("/caseload/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    def unreachable(self, name=None):
        # What the driver raises when the server is gone (Django turns it into its OperationalError).
        raise self.Database.OperationalError("server closed the connection unexpectedly")

    # Every query of every thread (the live server's too) fails, as when the server is down.
    monkeypatch.setattr(type(connections["default"]), "create_cursor", unreachable)
    response = page.goto("/caseload/")
    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("Waardewerk is tijdelijk niet beschikbaar")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert "OperationalError" not in page.content()
    axe_check(page, "503 page")

    monkeypatch.undo()
    response = page.goto("/caseload/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Waardewerk is tijdelijk niet beschikbaar")
