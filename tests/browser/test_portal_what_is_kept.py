"""The portal's "Mijn gegevens" with what is kept and the client's rights, in a real browser at a phone's
width and at desktop width: axe-clean, nothing wider than the phone's screen."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory, UserFactory
from tests.portal_helpers import log_in_client
from waardewerk.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_my_data_tells_what_is_kept_and_how_to_ask(browser, live_server, axe_check, width, organisation):
    professional = UserFactory(organisation=organisation, role=Role.PROFESSIONAL, username="pia")
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=organisation)
    http = Client()
    log_in_client(http, trajectory.client)
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": width, "height": 844}
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": http.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    try:
        page.goto("/portal/my-data/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
        expect(page.get_by_role("heading", name="Wat we van u bewaren, en hoe lang")).to_be_visible()
        expect(page.get_by_role("heading", name="Uw rechten")).to_be_visible()
        expect(page.get_by_text("Uw traject loopt nog.")).to_be_visible()
        axe_check(page, f"my data ({width})")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
