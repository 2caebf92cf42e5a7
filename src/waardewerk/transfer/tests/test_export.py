"""The export of an organisation's whole data (docs/export.md): round trip on counts, decrypted fields,
no other organisation's rows, no secrets, the data dictionary, the access log, the command and the page."""

import csv
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import ClientFactory, OrganisationFactory, TrajectoryFactory, UserFactory
from waardewerk.accounts.middleware import REAUTH_AT, TWO_FACTOR_VERIFIED_AT, now_seconds
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.models import Client
from waardewerk.sampledata.demo import ORGANISATION_NAME
from waardewerk.trajectories.models import Trajectory
from waardewerk.transfer import export, making
from waardewerk.transfer.models import ExportStatus, OrganisationExport

BSN = "111222333"


def _zip(path_or_bytes) -> zipfile.ZipFile:
    if isinstance(path_or_bytes, bytes):
        return zipfile.ZipFile(io.BytesIO(path_or_bytes))
    return zipfile.ZipFile(path_or_bytes)


def _json(archive, entity):
    return json.loads(archive.read(f"json/{entity}.json"))


def _csv(archive, entity):
    return list(csv.DictReader(io.StringIO(archive.read(f"csv/{entity}.csv").decode("utf-8"))))


@pytest.fixture
def other_client(db):
    other = OrganisationFactory(name="Elders")
    return ClientFactory(organisation=other, first_name="Vreemd", last_name="Anders")


def test_round_trip_of_the_demo_organisation_on_counts(db, tmp_path):
    call_command("demo", stdout=StringIO())
    from waardewerk.accounts.models import Organisation

    organisation = Organisation.objects.get(name=ORGANISATION_NAME)
    out = StringIO()
    path = tmp_path / "export.zip"
    call_command("export", "organisation", ORGANISATION_NAME, str(path), stdout=out)
    assert "rows" in out.getvalue()
    archive = _zip(path)
    manifest = json.loads(archive.read("manifest.json"))
    found, skipped = export.entities()
    assert set(manifest["counts"]) == {entity.label for entity in found}
    for entity in found:
        expected = entity.queryset(organisation).count()
        assert manifest["counts"][entity.label] == expected, entity.label
        assert len(_json(archive, entity.label)) == expected, entity.label
        assert len(_csv(archive, entity.label)) == expected, entity.label
    clients = Client.objects.filter(organisation=organisation).count()
    assert manifest["counts"]["clients.client"] == clients > 0
    assert (
        manifest["counts"]["trajectories.trajectory"]
        == Trajectory.objects.filter(organisation=organisation).count()
    )
    assert manifest["counts"]["timeline.timelineentry"] > 0
    # Secrets and the installation's content are named as not exported.
    assert "accounts.totpdevice" in manifest["not_exported"]
    assert "instruments.instrument" in manifest["not_exported"]
    for row in _json(archive, "accounts.user"):
        assert "password" not in row
    # The export itself is in the access log, from the command line.
    event = AccessEvent.objects.filter(action="export", object_type="accounts.organisation").latest("id")
    assert event.on_behalf_of == "command line"
    assert event.object_uuid == organisation.uuid
    assert event.detail["rows"] == sum(manifest["counts"].values())


def test_encrypted_fields_are_decrypted_and_other_organisations_left_out(
    tmp_path, professional, other_client
):
    mine = ClientFactory(organisation=professional.organisation, bsn=BSN, first_name="Eigen")
    TrajectoryFactory(client=mine, responsible=professional, question="Rugklachten en schulden")
    path = tmp_path / "export.zip"
    making.export_to_file(organisation=professional.organisation, path=path)
    archive = _zip(path)
    clients = _json(archive, "clients.client")
    assert [row["bsn"] for row in clients] == [BSN]
    assert "bsn_index" not in clients[0]
    assert _csv(archive, "clients.client")[0]["bsn"] == BSN
    assert _json(archive, "trajectories.trajectory")[0]["question"] == "Rugklachten en schulden"
    names = {row["first_name"] for row in clients}
    assert "Vreemd" not in names
    organisations = _json(archive, "accounts.organisation")
    assert [row["id"] for row in organisations] == [professional.organisation_id]


def test_data_dictionary_describes_every_exported_field(tmp_path, organisation):
    path = tmp_path / "export.zip"
    making.export_to_file(organisation=organisation, path=path)
    archive = _zip(path)
    dictionary = json.loads(archive.read("data-dictionary.json"))
    found, _ = export.entities()
    assert [entry["entity"] for entry in dictionary] == [entity.label for entity in found]
    client = next(entry for entry in dictionary if entry["entity"] == "clients.client")
    fields = {field["field"]: field for field in client["fields"]}
    assert fields["bsn"]["type"] == "text (stored encrypted, exported decrypted)"
    assert fields["date_of_birth"]["type"] == "date (YYYY-MM-DD)"
    assert fields["organisation"]["column"] == "organisation_id"
    assert all(field["meaning"] for entry in dictionary for field in entry["fields"])
    trajectory = next(entry for entry in dictionary if entry["entity"] == "trajectories.trajectory")
    assert "choices" in {f["field"]: f for f in trajectory["fields"]}["phase"]
    rows = list(csv.DictReader(io.StringIO(archive.read("data-dictionary.csv").decode("utf-8"))))
    assert len(rows) == sum(len(entry["fields"]) for entry in dictionary)


def test_every_model_is_exported_or_named_with_a_reason(db):
    from django.apps import apps

    found, skipped = export.entities()
    labels = {entity.label for entity in found} | set(skipped)
    ours = {m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("waardewerk.")}
    assert labels == ours
    assert not {entity.label for entity in found} & set(export.EXCLUDED)


def test_command_refuses_unknown_organisation_and_existing_file(tmp_path, organisation):
    with pytest.raises(CommandError, match="No such organisation"):
        call_command("export", "organisation", "Bestaat niet", str(tmp_path / "x.zip"))
    existing = tmp_path / "x.zip"
    existing.write_bytes(b"")
    with pytest.raises(CommandError, match="exists already"):
        call_command("export", "organisation", str(organisation.uuid), str(existing))


def _verified(client, user, *, reauthenticated=False):
    client.force_login(user)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = now_seconds()
    if reauthenticated:
        session[REAUTH_AT] = now_seconds()
    session.save()
    return client


def test_the_administrator_starts_an_export_in_the_worker_and_downloads_it(
    client, functional_admin, professional, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    ClientFactory(organisation=functional_admin.organisation, bsn=BSN)
    c = _verified(client, functional_admin, reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("transfer:export_start"))
    assert response.status_code == 302
    item = OrganisationExport.objects.get()
    # The test settings run tasks at once (the worker in production).
    assert item.status == ExportStatus.DONE
    assert item.counts["clients.client"] == 1
    stored = making.export_path(item).read_bytes()
    assert b"PK" not in stored[:4] and BSN.encode() not in stored  # encrypted at rest
    page = c.get(reverse("transfer:index"))
    assert page.status_code == 200
    download = c.get(reverse("transfer:export_download", args=[item.uuid]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = _zip(download.content)
    assert _json(archive, "clients.client")[0]["bsn"] == BSN
    events = AccessEvent.objects.filter(actor_id=functional_admin.pk, action="export")
    assert {event.reason for event in events} == {"organisation export", "organisation export downloaded"}


def test_download_asks_to_confirm_the_password_and_expired_exports_are_gone(
    client, functional_admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    c = _verified(client, functional_admin)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("transfer:export_start"))
    item = OrganisationExport.objects.get()
    response = c.get(reverse("transfer:export_download", args=[item.uuid]))
    assert response.status_code == 302 and "confirm" in response["Location"]
    from django.utils import timezone

    OrganisationExport.objects.filter(pk=item.pk).update(expires_at=timezone.now())
    assert making.export_purge() == 1
    c = _verified(client, functional_admin, reauthenticated=True)
    assert c.get(reverse("transfer:export_download", args=[item.uuid])).status_code == 404


def test_another_organisations_export_is_not_found(
    client, functional_admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path
    other_admin = UserFactory(organisation=OrganisationFactory(), role=functional_admin.role)
    c = _verified(client, other_admin)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("transfer:export_start"))
    item = OrganisationExport.objects.get()
    c = _verified(client, functional_admin, reauthenticated=True)
    assert c.get(reverse("transfer:export_download", args=[item.uuid])).status_code == 404


def test_the_page_reads_a_fixed_number_of_queries(client, functional_admin, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _verified(client, functional_admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("transfer:index")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(15):
        OrganisationExport.objects.create(
            organisation=functional_admin.organisation, requested_by=functional_admin
        )
    assert count() == few <= 12
