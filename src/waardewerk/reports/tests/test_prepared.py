"""The report prepared by the background worker (core.prepared, docs/operations.md)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import TrajectoryFactory
from waardewerk.audit.models import AccessEvent
from waardewerk.core import prepared
from waardewerk.core.models import PreparedFile
from waardewerk.privacy import services as privacy

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)


def _prepare(http, trajectory, audience="file", lang="nl"):
    return http.post(reverse("reports:prepare", args=[trajectory.uuid]), {"audience": audience, "lang": lang})


def test_prepared_in_the_worker_stored_encrypted_and_downloaded_once_ready(client, professional, trajectory):
    client.force_login(professional)
    response = _prepare(client, trajectory)
    assert response.status_code == 302
    job = PreparedFile.objects.get()
    assert response["Location"] == reverse("reports:prepared", args=[job.uuid])
    assert job.status == "ready" and job.size > 0
    assert not bytes(job.content).startswith(b"%PDF")  # encrypted at rest
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'http-equiv="refresh"' not in page.content.decode()
    download = client.get(reverse("reports:prepared_download", args=[job.uuid]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"
    assert AccessEvent.objects.filter(action="print", client_uuid=trajectory.client.uuid).count() == 1
    assert AccessEvent.objects.filter(action="export", client_uuid=trajectory.client.uuid).exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_request_twice_is_one_job(client, professional, trajectory, settings):
    settings.TASKS = QUEUE
    client.force_login(professional)
    first = _prepare(client, trajectory)
    second = _prepare(client, trajectory)
    assert first["Location"] == second["Location"]
    assert PreparedFile.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=prepared.prepare_file.module_path).count() == 1
    page = client.get(first["Location"])
    assert 'http-equiv="refresh"' in page.content.decode()  # waiting: refreshes itself, no script
    assert (
        client.get(reverse("reports:prepared_download", args=[PreparedFile.objects.get().uuid])).status_code
        == 302
    )
    _prepare(client, trajectory, lang="en")  # another request: another job
    assert PreparedFile.objects.count() == 2
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert set(PreparedFile.objects.values_list("status", flat=True)) == {"ready"}


def test_only_the_requester_sees_the_file(client, professional, colleague, trajectory):
    client.force_login(professional)
    _prepare(client, trajectory)
    job = PreparedFile.objects.get()
    client.force_login(colleague)
    assert client.get(reverse("reports:prepared", args=[job.uuid])).status_code == 404
    assert client.get(reverse("reports:prepared_download", args=[job.uuid])).status_code == 404


def test_bad_input_is_422_and_queues_nothing(client, professional, trajectory):
    client.force_login(professional)
    assert _prepare(client, trajectory, audience="everyone").status_code == 422
    assert _prepare(client, trajectory, lang="fr").status_code == 422
    assert _prepare(client, trajectory, audience="employer").status_code == 403  # no consent
    assert not PreparedFile.objects.exists()


def test_an_expired_file_is_not_served_and_the_retention_run_destroys_it(client, professional, trajectory):
    client.force_login(professional)
    _prepare(client, trajectory)
    job = PreparedFile.objects.get()
    PreparedFile.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(reverse("reports:prepared_download", args=[job.uuid])).status_code == 302
    assert "is verlopen" in client.get(reverse("reports:prepared", args=[job.uuid])).content.decode()
    assert privacy.run()["prepared_files"] == 1
    assert not PreparedFile.objects.exists()
    _prepare(client, trajectory)  # asked again after expiry: a new job
    assert PreparedFile.objects.get().status == "ready"


def test_a_failed_build_is_visible_and_a_new_request_tries_again(
    client, professional, trajectory, monkeypatch
):
    def broken(actor, params):
        raise RuntimeError("drawing failed")

    monkeypatch.setitem(prepared.BUILDERS, "reports.trajectory", broken)
    client.force_login(professional)
    response = _prepare(client, trajectory)
    job = PreparedFile.objects.get()
    assert job.status == "failed" and job.error == "RuntimeError"
    assert "kon niet worden gemaakt" in client.get(response["Location"]).content.decode()
    monkeypatch.undo()
    _prepare(client, trajectory)
    assert PreparedFile.objects.filter(status="ready").count() == 1
