"""Query budgets of the privacy pages: they do not grow with the number of requests, holds or erasures."""

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ClientFactory, TrajectoryFactory
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


def test_retention_and_destruction_pages(client, functional_admin, team_lead, organisation, professional):
    """The terms page does not grow with the history; a destruction list's page not with its files (also
    on a later page, and filtered)."""

    def closed():
        end = timezone.localdate() - dt.timedelta(days=900)
        TrajectoryFactory(
            responsible=professional,
            client__organisation=organisation,
            start_date=end - dt.timedelta(days=100),
            end_date=end,
            end_reason="work",
        )

    closed()
    services.term_set(
        actor=functional_admin, rule_key="client_file", days=730, action="anonymise", reason="Eerste"
    )
    first = services.propose(organisation.pk)
    client.force_login(functional_admin)
    urls = [
        reverse("privacy:retention"),
        reverse("privacy:destruction_lists"),
        reverse("privacy:destruction_list", args=[first.uuid]),
        reverse("privacy:overview"),
        reverse("privacy:destruction_list", args=[first.uuid]) + "?action=anonymise&result=waiting",
    ]
    small = {url: _queries(client, url) for url in urls}
    for n in range(10):
        services.term_set(
            actor=functional_admin, rule_key="measurement_drafts", days=30 + n, action="destroy", reason="x"
        )
        closed()
    # The list grows: the same list, now with eleven files (the first was replaced as out of date).
    first.items.all().delete()
    for person in services.expired_clients(
        timezone.localdate() - dt.timedelta(days=730), organisation_id=organisation.pk
    ):
        first.items.create(client=person, client_uuid=person.uuid, action="anonymise", last_end=None)
    # And files of clients since gone, so the list has several pages.
    first.items.bulk_create(
        first.items.model(destruction_list=first, client_uuid=uuid.uuid4(), action="destroy")
        for _ in range(3 * settings.WAARDEWERK_PAGE_SIZE)
    )
    assert first.items.count() > 3 * settings.WAARDEWERK_PAGE_SIZE
    for url in urls:
        assert _queries(client, url) == small[url] <= 16, (url, small[url])
    # Every page of the list costs the same; the last one too.
    assert _queries(client, urls[2] + "?page=2") == small[urls[2]]
    assert _queries(client, urls[2] + "?page=3&action=destroy") == small[urls[2]]
    client.force_login(team_lead)
    assert _queries(client, urls[2]) <= 16
