"""Request limits per address on the portal's public log-in steps: the link, the code and the return from
the identity provider answer 429 with a page in plain language once an address made too many requests."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from waardewerk.accounts.tests.helpers import clock

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.20"


@pytest.fixture
def limit(settings):
    settings.WAARDEWERK_PORTAL_RATE_LIMIT = 3
    settings.WAARDEWERK_PORTAL_RATE_MINUTES = 10
    return 3


def _urls():
    return {
        "link": reverse("portal:invitation", args=["x" * 43]),
        "code": reverse("portal:code"),
        "oidc callback": reverse("portal:oidc_callback"),
    }


@pytest.mark.parametrize("step", ["link", "code", "oidc callback"])
def test_too_many_requests_from_one_address_get_429(client, limit, step):
    url = _urls()[step]
    for _ in range(limit):
        assert client.get(url, REMOTE_ADDR=ADDRESS).status_code != 429
    response = client.get(url, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Te veel pogingen" in html
    assert "U heeft te vaak geprobeerd in te loggen" in html and "Probeer het opnieuw om" in html
    assert 0 < int(response["Retry-After"]) <= 600
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    # Another address is not affected.
    assert client.get(url, REMOTE_ADDR="192.0.2.99").status_code != 429


def test_the_steps_share_one_counter_and_it_ends(client, limit):
    urls = list(_urls().values())
    for url in urls:
        client.get(url, REMOTE_ADDR=ADDRESS)
    assert client.post(urls[0], REMOTE_ADDR=ADDRESS).status_code == 429
    with clock(timezone.now() + dt.timedelta(minutes=10, seconds=1)):
        assert client.get(urls[1], REMOTE_ADDR=ADDRESS).status_code != 429


def test_a_real_log_in_fits_well_within_the_default_limit(client, invite):
    """Link (GET and POST), the code page, a typo and the right code: far below the default of 30."""
    from waardewerk.portal.tests.conftest import code_from_outbox

    _invitation, token = invite()
    link = reverse("portal:invitation", args=[token])
    assert client.get(link, REMOTE_ADDR=ADDRESS).status_code == 200
    client.post(link, REMOTE_ADDR=ADDRESS)
    assert client.get(reverse("portal:code"), REMOTE_ADDR=ADDRESS).status_code == 200
    assert client.post(reverse("portal:code"), {"code": "000000"}, REMOTE_ADDR=ADDRESS).status_code == 422
    response = client.post(reverse("portal:code"), {"code": code_from_outbox()}, REMOTE_ADDR=ADDRESS)
    assert response["Location"] == reverse("portal:home")


def test_the_429_page_in_english(client, limit):
    url = _urls()["code"]
    client.cookies["django_language"] = "en"
    for _ in range(limit):
        client.get(url, REMOTE_ADDR=ADDRESS)
    html = client.get(url, REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Too many attempts" in html
