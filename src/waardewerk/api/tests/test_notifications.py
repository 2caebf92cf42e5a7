"""Notifications: subscriptions per application, signed with HMAC-SHA256, delivered by the background
worker with retries and back-off, in a delivery log the administrator sees (docs/api.md)."""

import datetime as dt
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from waardewerk.api import delivery, tasks, tokens
from waardewerk.api.models import Delivery, DeliveryStatus, Event
from waardewerk.api.services import application_revoke, subscription_add
from waardewerk.api.tests.conftest import register
from waardewerk.trajectories import services as trajectory_services


class Receiver:
    """A local HTTP server that records what it receives and answers with the statuses it is given."""

    def __init__(self, statuses=(204,)):
        self.received: list[dict] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _change_phase(world):
    trajectory = world["trajectory"]
    trajectory.refresh_from_db()
    trajectory_services.trajectory_change_phase(
        actor=world["professional"],
        trajectory=trajectory,
        to_phase="plan",
        reason="Verder",
        version=trajectory.version,
    )


@pytest.mark.django_db(transaction=False)
def test_a_phase_change_is_delivered_signed(world_a, world_b, django_capture_on_commit_callbacks):
    application, _token = register(world_a)
    with Receiver() as receiver:
        _sub, secret = subscription_add(
            actor=world_a["admin"], application=application, event=Event.PHASE_CHANGED, url=receiver.url
        )
        # Another organisation's application hears nothing of A.
        other, _t = register(world_b)
        subscription_add(
            actor=world_b["admin"], application=other, event=Event.PHASE_CHANGED, url=receiver.url
        )
        with django_capture_on_commit_callbacks(execute=True):
            _change_phase(world_a)
    assert len(receiver.received) == 1
    sent = receiver.received[0]
    assert tokens.verify(secret, sent["headers"]["Waardewerk-Signature"], sent["body"])
    assert not tokens.verify("whsec_wrong", sent["headers"]["Waardewerk-Signature"], sent["body"])
    payload = json.loads(sent["body"])
    assert payload["event"] == "trajectory.phase_changed"
    assert payload["data"] == {"trajectory": str(world_a["trajectory"].uuid), "phase": "plan"}
    assert "Achternaam" not in sent["body"].decode() and "Client" not in sent["body"].decode()
    found = Delivery.objects.get(subscription__application=application)
    assert found.status == DeliveryStatus.DELIVERED and found.attempts == 1 and found.last_status_code == 204


@pytest.mark.django_db
def test_measurement_and_placement_events(world_a, django_capture_on_commit_callbacks):
    from tests.factories import lwc_answers
    from waardewerk.instruments.services import current_version, measurement_save

    application, _token = register(world_a)
    with Receiver() as receiver:
        for event in (Event.MEASUREMENT_SUBMITTED, Event.PLACEMENT_STARTED):
            subscription_add(actor=world_a["admin"], application=application, event=event, url=receiver.url)
        version = current_version("lwc")
        framings = version.definition["framings"]
        with django_capture_on_commit_callbacks(execute=True):
            measurement = measurement_save(
                actor=world_a["professional"],
                trajectory=world_a["trajectory"],
                version=version,
                respondent="client",
                framing=framings[0]["key"] if framings else "",
                taken_on=timezone.localdate(),
                answers=lwc_answers(),
                submit=True,
            )
    payloads = [json.loads(item["body"]) for item in receiver.received]
    assert [p["event"] for p in payloads] == ["measurement.submitted"]
    assert payloads[0]["data"]["measurement"] == str(measurement.uuid)


@pytest.mark.django_db
def test_failures_are_retried_with_back_off_then_given_up(world_a):
    application, _token = register(world_a)
    with Receiver(statuses=[500]) as receiver:
        subscription, _secret = subscription_add(
            actor=world_a["admin"], application=application, event=Event.PHASE_CHANGED, url=receiver.url
        )
        _change_phase(world_a)  # in a test the commit never comes: the worker's part is called below
        found = Delivery.objects.get()
        started = timezone.now()
        for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
            found = delivery.attempt(found)
            assert found.attempts == attempt
            assert found.last_status_code == 500
            if attempt < delivery.MAX_ATTEMPTS:
                assert found.status == DeliveryStatus.PENDING
                assert found.next_attempt_at >= started + delivery.BACKOFF[attempt - 1]
        assert found.status == DeliveryStatus.FAILED and found.next_attempt_at is None
        assert len(receiver.received) == delivery.MAX_ATTEMPTS


@pytest.mark.django_db
def test_an_unreachable_receiver_is_a_failed_attempt_not_an_error(world_a):
    application, _token = register(world_a)
    subscription_add(
        actor=world_a["admin"],
        application=application,
        event=Event.PHASE_CHANGED,
        url="http://127.0.0.1:9/hook",
    )
    _change_phase(world_a)
    found = delivery.attempt(Delivery.objects.get())
    assert found.status == DeliveryStatus.PENDING and found.last_error and found.last_status_code is None
    # The sweep sends what is due.
    Delivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert tasks.send_due.call() == 1
    Delivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    out = io.StringIO()
    call_command("notifications", "send", stdout=out)
    assert out.getvalue().startswith("1 ")


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
def test_the_worker_queues_the_retry_for_its_time(world_a):
    from django.tasks import default_task_backend

    application, _token = register(world_a)
    with Receiver(statuses=[503]) as receiver:
        subscription_add(
            actor=world_a["admin"], application=application, event=Event.PHASE_CHANGED, url=receiver.url
        )
        _change_phase(world_a)
        found = Delivery.objects.get()
        assert tasks.deliver.call(found.pk) == DeliveryStatus.PENDING
    queued = default_task_backend.results
    assert queued and queued[-1].args == [found.pk]
    found.refresh_from_db()
    assert queued[-1].task.run_after == found.next_attempt_at


@pytest.mark.django_db
def test_a_revoked_application_gets_no_notifications(world_a):
    application, _token = register(world_a)
    subscription_add(
        actor=world_a["admin"],
        application=application,
        event=Event.PHASE_CHANGED,
        url="https://example.org/h",
    )
    application_revoke(actor=world_a["admin"], application=application)
    _change_phase(world_a)
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_the_administrator_registers_revokes_and_sees_the_delivery_log(world_a, world_b, client):
    admin = world_a["admin"]
    client.force_login(admin)
    response = client.post(
        reverse("api_admin:application_new"),
        {"name": "Zaaksysteem", "scopes": ["clients:read"], "expires_on": "2999-01-01"},
    )
    assert response.status_code == 422
    assert "expires_on" in response.context["form"].errors
    expires = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    response = client.post(
        reverse("api_admin:application_new"),
        {"name": "Zaaksysteem", "scopes": ["clients:read", "trajectories:read"], "expires_on": expires},
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token in response.content.decode()
    application = response.context["application"]
    page = client.get(reverse("api_admin:application", args=[application.uuid]))
    assert token not in page.content.decode()
    response = client.post(
        reverse("api_admin:application", args=[application.uuid]),
        {"event": Event.PHASE_CHANGED, "url": "https://example.org/hook"},
    )
    assert response.status_code == 200 and response.context["secret"].startswith("whsec_")
    _change_phase(world_a)
    page = client.get(reverse("api_admin:application", args=[application.uuid]))
    assert page.context["deliveries"][0].event == Event.PHASE_CHANGED
    client.post(reverse("api_admin:application_revoke", args=[application.uuid]))
    application.refresh_from_db()
    assert application.revoked_at is not None
    # Another organisation's administrator does not know it.
    client.force_login(world_b["admin"])
    assert client.get(reverse("api_admin:application", args=[application.uuid])).status_code == 404


@pytest.mark.django_db(transaction=False)
def test_a_placement_started_through_matching_is_delivered_signed(
    world_a, world_b, django_capture_on_commit_callbacks
):
    """End to end: the matching service records a placement; the subscribed application of the same
    organisation receives one signed notification naming the trajectory and the placement (no client data),
    which it can then read through the API; another organisation's application hears nothing."""
    from waardewerk.api.tests.conftest import api_client
    from waardewerk.matching import services as matching_services

    application, token = register(world_a)
    with Receiver() as receiver:
        _sub, secret = subscription_add(
            actor=world_a["admin"], application=application, event=Event.PLACEMENT_STARTED, url=receiver.url
        )
        # The same organisation's phase subscription hears nothing of a placement.
        subscription_add(
            actor=world_a["admin"], application=application, event=Event.PHASE_CHANGED, url=receiver.url
        )
        other, _t = register(world_b)
        subscription_add(
            actor=world_b["admin"], application=other, event=Event.PLACEMENT_STARTED, url=receiver.url
        )
        with django_capture_on_commit_callbacks(execute=True):
            placement = matching_services.placement_create(
                actor=world_a["professional"],
                trajectory=world_a["trajectory"],
                job=world_a["job"],
                start_date=timezone.localdate(),
                contract="temporary",
                hours=20,
                support="Jobcoach",
            )
    assert len(receiver.received) == 1
    sent = receiver.received[0]
    assert sent["headers"]["Content-Type"].startswith("application/json")
    assert tokens.verify(secret, sent["headers"]["Waardewerk-Signature"], sent["body"])
    assert not tokens.verify("whsec_wrong", sent["headers"]["Waardewerk-Signature"], sent["body"])
    payload = json.loads(sent["body"])
    assert payload["event"] == "placement.started"
    assert payload["data"] == {
        "trajectory": str(world_a["trajectory"].uuid),
        "placement": str(placement.uuid),
    }
    body = sent["body"].decode()
    assert "ClientA" not in body and "Jobcoach" not in body and "Werkgever" not in body
    found = Delivery.objects.get(subscription__application=application)
    assert found.status == DeliveryStatus.DELIVERED and found.attempts == 1 and found.last_status_code == 204
    assert found.event == Event.PLACEMENT_STARTED
    assert not Delivery.objects.filter(subscription__application=other).exists()
    # The receiver can read what the notification names.
    response = api_client(token).get(reverse("api:placement", args=[payload["data"]["placement"]]))
    assert response.status_code == 200
    assert response.json()["id"] == str(placement.uuid)


@pytest.mark.django_db
def test_an_application_subscribes_only_to_what_its_scopes_can_read(world_a):
    from django.core.exceptions import ValidationError

    application, _token = register(world_a, scopes=["trajectories:read"])
    with pytest.raises(ValidationError) as exc:
        subscription_add(
            actor=world_a["admin"],
            application=application,
            event=Event.PLACEMENT_STARTED,
            url="https://example.org/h",
        )
    assert "matching:read" in str(exc.value.message_dict["event"])
    assert not application.subscriptions.exists()
    subscription_add(
        actor=world_a["admin"],
        application=application,
        event=Event.PHASE_CHANGED,
        url="https://example.org/h",
    )
