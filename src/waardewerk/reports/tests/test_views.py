"""The report pages: the page that offers the three versions, the PDF download, and bad input."""

import pytest
from django.urls import reverse

from tests.factories import ConversationFactory, lwc_answers, make_measurement
from waardewerk.audit.models import AccessEvent
from waardewerk.reports.tests.conftest import MARKERS, record_everything

pytestmark = pytest.mark.django_db


def _url(trajectory, **query):
    url = reverse("reports:trajectory", args=[trajectory.uuid])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_download_is_a_pdf_attachment_that_is_not_cached_and_is_logged(client, professional, recorded):
    client.force_login(professional)
    response = client.get(_url(recorded, audience="commissioner", lang="en"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="rapportage-opdrachtgever-')
    assert recorded.client.last_name.lower() not in response["Content-Disposition"].lower()
    assert response.content.startswith(b"%PDF")
    event = AccessEvent.objects.get(action="print")
    assert event.actor_id == professional.pk and event.client_uuid == recorded.client.uuid
    assert event.detail == {"audience": "commissioner", "report": "trajectory"}


@pytest.mark.parametrize("query", [{}, {"audience": "manager"}, {"audience": "file", "lang": "fr"}])
def test_an_unknown_version_or_language_gets_the_choice_page_with_a_message(
    client, professional, recorded, query
):
    client.force_login(professional)
    response = client.get(_url(recorded, **query), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert reverse("reports:trajectory", args=[recorded.uuid]) + "?audience=employer&amp;lang=nl" in page
    assert not AccessEvent.objects.filter(action="print").exists()


def test_the_choice_page_explains_the_versions_and_links_to_them(client, professional, recorded):
    client.force_login(professional)
    response = client.get(reverse("reports:choose", args=[recorded.uuid]))
    assert response.status_code == 200
    page = response.content.decode()
    for audience in ("file", "commissioner", "employer"):
        assert f"?audience={audience}&amp;lang=nl" in page
        assert f"?audience={audience}&amp;lang=en" in page
    assert MARKERS["conversation"] not in page  # the page describes the versions, it shows no dossier text
    view = AccessEvent.objects.get(action="view", object_uuid=recorded.uuid)
    assert view.detail == {"page": "report"}


def test_an_assigned_colleague_may_print_and_a_past_responsible_may_not(client, professional, colleague):
    import datetime as dt

    from django.utils import timezone

    from waardewerk.trajectories.models import TrajectoryAssignment

    trajectory = record_everything(professional, closed=False)
    client.force_login(colleague)
    assert client.get(_url(trajectory, audience="file")).status_code == 404
    TrajectoryAssignment.objects.create(
        trajectory=trajectory,
        user=colleague,
        kind="substitute",
        starts_on=timezone.localdate() - dt.timedelta(days=1),
        created_by=professional,
    )
    assert client.get(_url(trajectory, audience="file")).status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_trajectory(
    client, professional, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    trajectory = record_everything(professional, closed=False)
    client.force_login(professional)
    # Each count is of a second request: the first one draws the new charts into the shared cache (as a
    # measurement submit does) and fills the process's caches.
    client.get(_url(trajectory, audience="file"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(trajectory, audience="file")).status_code == 200
    for n in range(8):
        ConversationFactory(trajectory=trajectory, summary=f"Gesprek {n}")
        make_measurement(trajectory, "lwc", lwc_answers(a=5, b=4, c=n % 5 + 1))
    client.get(_url(trajectory, audience="file"))
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url(trajectory, audience="file")).status_code == 200
    assert len(large) == len(small)
    from django.utils import timezone

    from waardewerk.clients.models import Consent

    Consent.objects.create(
        client=trajectory.client, kind="employer", given_at=timezone.now(), given_via="professional"
    )
    with django_assert_max_num_queries(len(small) + 1):  # + the consent check
        assert client.get(_url(trajectory, audience="employer")).status_code == 200


READERS = [("file", "dossier"), ("commissioner", "opdrachtgever"), ("employer", "werkgever")]


@pytest.mark.parametrize(("audience", "reader"), READERS)
def test_each_version_downloads_under_its_readers_name(client, professional, recorded, audience, reader):
    from django.utils import timezone

    client.force_login(professional)
    response = client.get(_url(recorded, audience=audience, lang="nl"))
    assert response.status_code == 200
    name = f"rapportage-{reader}-{recorded.client.uuid.hex[:8]}-{timezone.localdate().isoformat()}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    choose = client.get(reverse("reports:choose", args=[recorded.uuid])).content.decode()
    assert f"<code>{name}</code>" in choose
