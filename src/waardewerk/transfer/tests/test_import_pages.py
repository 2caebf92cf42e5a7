"""The functional administrator's import pages: upload, a preview of every row's problems, confirm without
uploading again; the pending file encrypted and short-lived; bad files a clear 422, never a 500."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import OrganisationFactory, UserFactory
from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT, now_seconds
from waardewerk.clients.models import Client
from waardewerk.transfer import services
from waardewerk.transfer.models import PendingImport

GOOD = "voornaam;achternaam;geboortedatum;bsn\nJan;Dijk;01-02-1980;111222333\nKees;Goed;01-01-1990;\n"
ONE_BAD = GOOD + "Piet;Puk;31-02-1980;\n"


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def _verified(client, user):
    client.force_login(user)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = now_seconds()
    session.save()
    return client


def _upload(c, text, name="clients.csv", kind="clients", raw=None):
    data = raw if raw is not None else text.encode("utf-8")
    return c.post(
        reverse("transfer:import_upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
        HTTP_ACCEPT_LANGUAGE="nl",
    )


def test_upload_preview_confirm(client, functional_admin):
    c = _verified(client, functional_admin)
    response = _upload(c, GOOD)
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    # Kept encrypted: the column holds a token, not the file.
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, filename FROM transfer_pendingimport")
        content, filename = cursor.fetchone()
    assert "Dijk" not in content and "clients.csv" not in filename
    assert pending.expires_at <= timezone.now() + services.PENDING_TIME
    preview = c.get(response["Location"])
    assert preview.status_code == 200
    assert "geen problemen" in preview.content.decode()
    assert Client.objects.count() == 0
    done = c.post(reverse("transfer:import_confirm", args=[pending.uuid]))
    assert done.status_code == 302
    assert Client.objects.count() == 2
    assert not PendingImport.objects.exists()


def test_preview_names_every_problem_and_confirm_refuses_unless_partial(client, functional_admin):
    c = _verified(client, functional_admin)
    response = _upload(c, ONE_BAD)
    pending = PendingImport.objects.get()
    page = c.get(response["Location"]).content.decode()
    assert "geboortedatum" in page and "Geen datum" in page
    refused = c.post(reverse("transfer:import_confirm", args=[pending.uuid]))
    assert refused.status_code == 422
    assert Client.objects.count() == 0
    assert PendingImport.objects.exists()
    partial = c.post(reverse("transfer:import_confirm", args=[pending.uuid]), {"partial": "on"})
    assert partial.status_code == 302
    assert Client.objects.count() == 2


@pytest.mark.parametrize(
    ("raw", "name", "message"),
    [
        (b"", "leeg.csv", ""),  # Django refuses an empty upload itself
        (b"\xd0\xcf\x11\xe0rest", "oud.xls", ".xls"),
        (b"PK\x03\x04kapot", "kapot.xlsx", "geen geldig Excel-bestand"),
        (b"\x00\x01binary", "foto.csv", "geen CSV-bestand"),
        (b"\x81\x8d\x8f", "raar.csv", "tekencodering"),
        (b"schoenmaat;kleur\n44;rood\n", "fout.csv", "Onbekende kolom"),
    ],
)
def test_bad_files_get_a_clear_422(client, functional_admin, raw, name, message):
    c = _verified(client, functional_admin)
    response = _upload(c, "", name=name, raw=raw)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()


def test_a_huge_file_is_refused_by_the_form(client, functional_admin):
    c = _verified(client, functional_admin)
    response = _upload(c, "", raw=b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 422
    assert "groter dan 5 MB" in response.content.decode()


def test_another_administrators_or_an_expired_pending_import_is_not_found(client, functional_admin):
    other_admin = UserFactory(organisation=OrganisationFactory(), role=functional_admin.role)
    colleague_admin = UserFactory(organisation=functional_admin.organisation, role=functional_admin.role)
    c = _verified(client, functional_admin)
    _upload(c, GOOD)
    pending = PendingImport.objects.get()
    for user in (other_admin, colleague_admin):
        c = _verified(client, user)
        assert c.get(reverse("transfer:import_preview", args=[pending.uuid])).status_code == 404
        assert c.post(reverse("transfer:import_confirm", args=[pending.uuid])).status_code == 404
    PendingImport.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    c = _verified(client, functional_admin)
    assert c.get(reverse("transfer:import_preview", args=[pending.uuid])).status_code == 404
    assert services.import_purge() == 1


def test_preview_reads_a_fixed_number_of_queries(client, functional_admin, django_assert_max_num_queries):
    c = _verified(client, functional_admin)
    response = _upload(c, GOOD)
    with django_assert_max_num_queries(30):
        assert c.get(response["Location"]).status_code == 200


def test_the_pages_speak_dutch_and_english(client, functional_admin):
    from tests.test_dutch_screens import problems

    c = _verified(client, functional_admin)
    preview_url = _upload(c, ONE_BAD)["Location"]
    c.cookies["django_language"] = "nl"
    for url in (reverse("transfer:index"), preview_url):
        html = c.get(url).content.decode()
        assert not problems(html), (url, problems(html))
    c.cookies["django_language"] = "en"
    with translation.override("en"):
        assert "Import and export" in c.get(reverse("transfer:index")).content.decode()
        page = c.get(preview_url).content.decode()
    assert "Check the import" in page and "Not a date: write it as 31-12-1980." in page
