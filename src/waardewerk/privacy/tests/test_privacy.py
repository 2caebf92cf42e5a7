"""Retention, erasure, legal holds and data-subject requests (docs/privacy.md)."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import ConversationFactory, TrajectoryFactory, lwc_answers, make_measurement
from tests.portal_helpers import portal_account
from waardewerk.accounts.models import LoginAttempt
from waardewerk.audit.models import AccessEvent
from waardewerk.audit.services import verify
from waardewerk.clients.models import Client
from waardewerk.instruments.models import Measurement
from waardewerk.portal.models import PortalAccount
from waardewerk.privacy import services, tasks
from waardewerk.privacy.models import (
    AnonymisedFile,
    DataSubjectRequest,
    DestructionList,
    ErasureRecord,
    LegalHold,
    one_month_after,
)
from waardewerk.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _closed(professional, *, days_ago: int):
    end = timezone.localdate() - dt.timedelta(days=days_ago)
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=end - dt.timedelta(days=200),
        end_date=end,
        end_reason="work",
    )
    make_measurement(trajectory, "lwc", lwc_answers())
    ConversationFactory(trajectory=trajectory)
    portal_account(trajectory.client)
    return trajectory


def test_one_month_after_receipt():
    assert one_month_after(dt.date(2026, 3, 14)) == dt.date(2026, 4, 14)
    assert one_month_after(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert one_month_after(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)
    assert one_month_after(dt.date(2026, 12, 15)) == dt.date(2027, 1, 15)


def test_erasure_destroys_the_whole_file_and_keeps_facts_without_a_person(professional):
    trajectory = _closed(professional, days_ago=800)
    client = trajectory.client
    record = services.erase_client(actor=None, client=client, cause="retention", rule="client_file")
    assert not Client.objects.filter(pk=client.pk).exists()
    assert not Trajectory.objects.filter(pk=trajectory.pk).exists()
    assert not Measurement.objects.filter(trajectory_id=trajectory.pk).exists()
    assert not PortalAccount.objects.filter(client_id=client.pk).exists()
    assert record.counts["clients.Client"] == 1
    assert record.counts["trajectories.Trajectory"] == 1
    assert record.counts["instruments.Measurement"] == 1
    assert record.trajectories == [
        {
            "team": trajectory.team_id,
            "context": trajectory.context,
            "start": trajectory.start_date.strftime("%Y-%m"),
            "end": trajectory.end_date.strftime("%Y-%m"),
            "end_reason": "work",
        }
    ]
    stored = json.dumps([record.counts, record.trajectories])
    assert client.last_name not in stored and client.first_name not in stored
    event = AccessEvent.objects.get(action="delete", object_uuid=record.uuid)
    assert event.client_uuid == client.uuid and event.on_behalf_of == "retention"
    assert client.last_name not in json.dumps(event.detail)
    assert verify() == []  # the hash chain still verifies: its rows were never touched


def _approved(functional_admin, team_lead):
    """Propose this organisation's destruction list and approve it by two people."""
    proposed = services.propose(functional_admin.organisation_id)
    services.approve(actor=functional_admin, destruction_list=proposed)
    return services.approve(actor=team_lead, destruction_list=proposed)


def test_legal_hold_blocks_erasure_with_its_reason(professional, functional_admin, team_lead):
    trajectory = _closed(professional, days_ago=800)
    hold = services.hold_set(
        actor=functional_admin, client=trajectory.client, reason="Beroep bij de rechtbank"
    )
    with pytest.raises(services.ErasureRefused, match="Beroep bij de rechtbank"):
        services.erase_client(actor=functional_admin, client=trajectory.client, cause="request")
    plan = services.plan(organisation_id=functional_admin.organisation_id)
    [entry] = [e for e in plan if e.rule.key == "client_file"]
    assert (entry.count, entry.held) == (0, 1)
    assert services.propose(functional_admin.organisation_id) is None  # nothing to propose
    assert Client.objects.filter(pk=trajectory.client_id).exists()
    event = AccessEvent.objects.get(object_uuid=hold.uuid)
    assert "Beroep" not in event.reason + json.dumps(event.detail)  # the reason stays out of the log
    services.hold_lift(actor=functional_admin, hold=hold, reason="Uitspraak onherroepelijk")
    assert services.carry_out(_approved(functional_admin, team_lead)) == {"done": 1}
    assert Client.objects.get(pk=trajectory.client_id).last_name != trajectory.client.last_name


def test_open_trajectory_refuses_erasure(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    with pytest.raises(services.ErasureRefused, match="open tra"):
        services.erase_client(actor=None, client=trajectory.client, cause="request")


def test_run_dry_run_changes_nothing_and_the_real_run_keeps_what_is_in_term(
    professional, functional_admin, team_lead, settings
):
    old = _closed(professional, days_ago=800)
    recent = _closed(professional, days_ago=100)
    open_ = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    LoginAttempt.objects.create(username="x", at=timezone.now() - dt.timedelta(days=40))
    LoginAttempt.objects.create(username="y", at=timezone.now() - dt.timedelta(days=2))
    counted = services.run(dry_run=True)
    assert counted["client_file"] == 1 and counted["login_attempts"] == 1
    assert Client.objects.count() == 3 and LoginAttempt.objects.count() == 2
    out = io.StringIO()
    call_command("retention", "plan", "--list", stdout=out)
    assert str(old.client.uuid) in out.getvalue() and str(recent.client.uuid) not in out.getvalue()
    done = services.run()
    # Log-in attempts go at once; client files wait for the two approvals of the proposed list.
    assert done["login_attempts"] == 1 and done["proposed"] == 1 and "client_file" not in done
    services.approve(actor=functional_admin, destruction_list=DestructionList.objects.get())
    services.approve(actor=team_lead, destruction_list=DestructionList.objects.get())
    assert services.run()["client_file"] == 1
    assert set(
        Client.objects.exclude(pk__in=AnonymisedFile.objects.values("client_id")).values_list("pk", flat=True)
    ) == {
        recent.client_id,
        open_.client_id,
    }
    settings.WAARDEWERK_RETENTION_CLIENT_FILE_DAYS = 30  # the installation's default is a setting
    assert services.run()["proposed"] == 1
    assert [i.client_id for i in DestructionList.objects.get(status="proposed").items.all()] == [
        recent.client_id
    ]


@pytest.mark.django_db(transaction=True)
def test_the_daily_run_is_queued_once_and_requeues_itself(settings):
    settings.TASKS = QUEUE
    assert tasks.schedule() is True
    assert tasks.schedule() is False  # one waiting run, never two
    [waiting] = DBTaskResult.objects.filter(task_path=tasks.retention_daily.module_path)
    assert waiting.run_after > timezone.now()
    assert timezone.localtime(waiting.run_after).hour == 3
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)  # not yet due: stays
    assert DBTaskResult.objects.get(pk=waiting.pk).status == "READY"
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now() - dt.timedelta(seconds=1))
    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert DBTaskResult.objects.get(pk=waiting.pk).status == "SUCCESSFUL"
    assert (
        DBTaskResult.objects.filter(task_path=tasks.retention_daily.module_path, status="READY").count() == 1
    )


def test_requests_are_registered_handled_and_answered(functional_admin, professional):
    trajectory = _closed(professional, days_ago=10)
    found = services.request_register(
        actor=functional_admin,
        client=trajectory.client,
        kind="rectification",
        received_on=dt.date(2026, 1, 31),
        description="Mijn adres klopt niet",
    )
    assert found.deadline == dt.date(2026, 2, 28)
    with pytest.raises(Exception, match="answer"):
        services.request_update(
            actor=functional_admin, found=found, version=1, status="granted", handling="", answer=""
        )
    found = services.request_update(
        actor=functional_admin,
        found=found,
        version=1,
        status="in_progress",
        handling="Adres nagevraagd",
        answer="",
        extend_reason="Gegevens bij drie afdelingen",
    )
    assert found.deadline == dt.date(2026, 4, 28)
    found = services.request_update(
        actor=functional_admin, found=found, version=2, status="granted", handling="", answer="Aangepast"
    )
    assert found.answered_on == timezone.localdate()
    with pytest.raises(services.ConcurrentEditError):
        services.request_update(
            actor=functional_admin, found=found, version=2, status="refused", handling="", answer="x"
        )


def _request(admin, client, kind):
    return services.request_register(
        actor=admin, client=client, kind=kind, received_on=timezone.localdate(), description="Verzoek"
    )


def test_erasure_on_request_through_the_pages(client, functional_admin, professional):
    trajectory = _closed(professional, days_ago=10)
    found = _request(functional_admin, trajectory.client, "erasure")
    client.force_login(functional_admin)
    url = reverse("privacy:request_erase", args=[found.uuid])
    response = client.post(url)
    assert response.status_code == 200 and Client.objects.filter(pk=trajectory.client_id).exists()
    hold = services.hold_set(actor=functional_admin, client=trajectory.client, reason="Fraudeonderzoek loopt")
    page = client.get(reverse("privacy:request", args=[found.uuid]))
    assert "Fraudeonderzoek loopt" in page.content.decode()
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 403 and "Fraudeonderzoek loopt" in response.content.decode()
    assert Client.objects.filter(pk=trajectory.client_id).exists()
    services.hold_lift(actor=functional_admin, hold=hold, reason="Afgerond")
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    assert not Client.objects.filter(pk=trajectory.client_id).exists()
    found.refresh_from_db()
    assert found.client is None and found.status == "granted" and found.description == ""
    record = ErasureRecord.objects.get(request=found)
    assert record.cause == "request" and record.erased_by == functional_admin
    assert client.get(reverse("privacy:request", args=[found.uuid])).status_code == 200


def test_access_request_exports_the_my_data_collection(client, functional_admin, professional):
    trajectory = _closed(professional, days_ago=10)
    found = _request(functional_admin, trajectory.client, "access")
    client.force_login(functional_admin)
    response = client.get(reverse("privacy:request_export", args=[found.uuid]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert trajectory.client.last_name in json.dumps(data)
    assert AccessEvent.objects.filter(action="export", client_uuid=trajectory.client.uuid).exists()


def test_bad_input_is_a_clear_422_and_nothing_is_stored(client, functional_admin, professional):
    trajectory = _closed(professional, days_ago=10)
    client.force_login(functional_admin)
    response = client.post(reverse("privacy:hold_set", args=[trajectory.client.uuid]), {"reason": ""})
    assert response.status_code == 422 and not LegalHold.objects.exists()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("privacy:request_new", args=[trajectory.client.uuid]),
        {"kind": "access", "received_on": future, "description": "x"},
    )
    assert response.status_code == 422 and not DataSubjectRequest.objects.exists()
    response = client.post(
        reverse("privacy:request_new", args=[trajectory.client.uuid]),
        {"kind": "nonsense", "received_on": "gisteren", "description": "x" * 5000},
    )
    assert response.status_code == 422 and not DataSubjectRequest.objects.exists()
    response = client.post(reverse("privacy:overview"), {"bsn": "", "public_id": "zz"})
    assert response.status_code == 422


def test_client_page_writes_a_read_to_the_access_log(client, functional_admin, professional):
    trajectory = _closed(professional, days_ago=10)
    client.force_login(functional_admin)
    response = client.post(reverse("privacy:overview"), {"public_id": str(trajectory.client.uuid)})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert AccessEvent.objects.filter(action="view", client_uuid=trajectory.client.uuid).exists()
