"""Query budgets of the privacy pages: they do not grow with the number of requests, holds or erasures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ClientFactory
from waardewerk.privacy import services

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _add(admin, organisation, n):
    made = []
    for _ in range(n):
        person = ClientFactory(organisation=organisation)
        services.hold_set(actor=admin, client=person, reason="Zaak loopt")
        made.append(
            services.request_register(
                actor=admin, client=person, kind="access", received_on=timezone.localdate(), description="x"
            )
        )
    return made


def test_privacy_pages(client, functional_admin, organisation):
    [first] = _add(functional_admin, organisation, 1)
    client.force_login(functional_admin)
    urls = [
        reverse("privacy:overview"),
        reverse("privacy:client", args=[first.client.uuid]),
        reverse("privacy:request", args=[first.uuid]),
    ]
    small = {url: _queries(client, url) for url in urls}
    _add(functional_admin, organisation, 10)
    services.hold_set(actor=functional_admin, client=first.client, reason="Tweede zaak")
    _add(functional_admin, organisation, 0)
    for url in urls:
        assert _queries(client, url) == small[url] <= 16, (url, small[url])
