"""The portal log-in: invitation link (single use, expiry, re-send, guessing), one-time code (attempts,
expiry), the portal session (separate from staff, rotated, timed out, ended by the professional)."""

import datetime as dt
import secrets

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waardewerk.audit.models import AccessEvent
from waardewerk.portal import session as portal_session
from waardewerk.portal.models import PortalAccount, PortalInvitation
from waardewerk.portal.tests.conftest import code_from_outbox

pytestmark = pytest.mark.django_db


def _link(token):
    return reverse("portal:invitation", args=[token])


def _log_in(client, token):
    client.post(_link(token))
    return client.post(reverse("portal:code"), {"code": code_from_outbox()})


def test_the_whole_log_in(client, invite, trajectory):
    invitation, token = invite()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jan.jansen@example.org"]
    assert _link(token) in mail.outbox[0].body
    # Only the digest of the token is stored.
    assert token not in str(PortalInvitation.objects.filter(pk=invitation.pk).values().get())
    # Opening the link (GET) shows a button and uses nothing up: a mail scanner may fetch it.
    for _ in range(2):
        page = client.get(_link(token))
        assert page.status_code == 200 and b'<form method="post"' in page.content
    assert len(mail.outbox) == 1
    response = client.post(_link(token))
    assert response.status_code == 302 and response["Location"] == reverse("portal:code")
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["jan.jansen@example.org"]
    pending_key = client.session.session_key
    response = client.post(reverse("portal:code"), {"code": code_from_outbox()})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.session.session_key != pending_key  # a new session key at log-in
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and "Jan" in home.content.decode()
    account = PortalAccount.objects.get(client=trajectory.client)
    assert account.activated_at and account.last_login_at
    event = AccessEvent.objects.filter(detail__event="portal log-in").get()
    assert event.actor_id is None and event.actor_role == "client"
    assert event.on_behalf_of.startswith(f"client {trajectory.client.uuid}")


def test_a_link_works_once(client, invite):
    _invitation, token = invite()
    assert _log_in(client, token).status_code == 302
    other = client.__class__()
    assert other.get(_link(token)).status_code == 410
    assert other.post(_link(token)).status_code == 410


def test_a_link_expires(client, invite, settings):
    invitation, token = invite()
    PortalInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(_link(token)).status_code == 410
    assert client.post(_link(token)).status_code == 410
    assert len(mail.outbox) == 1  # no code was sent


def test_expiry_is_a_setting(invite, settings):
    settings.WAARDEWERK_PORTAL_INVITATION_HOURS = 2
    invitation, _token = invite()
    assert dt.timedelta(hours=1, minutes=59) < invitation.expires_at - timezone.now() <= dt.timedelta(hours=2)


def test_sending_again_revokes_the_earlier_link(client, invite):
    _first, old = invite()
    _second, new = invite()
    assert client.get(_link(old)).status_code == 410
    assert client.get(_link(new)).status_code == 200


def test_a_guessed_or_mangled_token_is_a_404(client, invite):
    _invitation, token = invite()
    for guess in (secrets.token_urlsafe(32), token[:-1], token + "A", "x" * 500, "' OR 1=1 --"):
        assert client.get(_link(guess)).status_code == 404
        assert client.post(_link(guess)).status_code == 404
    assert len(mail.outbox) == 1


def test_tokens_have_256_bits_and_codes_6_digits(invite):
    tokens = {invite()[1] for _ in range(5)}
    assert len(tokens) == 5 and all(len(t) >= 43 for t in tokens)


def test_five_wrong_codes_spend_the_link(client, invite):
    _invitation, token = invite()
    client.post(_link(token))
    right = code_from_outbox()
    wrong = f"{(int(right) + 1) % 1000000:06d}"
    for _attempt in range(5):
        response = client.post(reverse("portal:code"), {"code": wrong})
        assert response.status_code == 422
    assert "new link" in response.content.decode() or "nieuwe link" in response.content.decode()
    # The right code no longer works either, and the link cannot send a new one.
    response = client.post(reverse("portal:code"), {"code": right})
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    assert client.post(_link(token)).status_code == 410
    assert client.get(reverse("portal:home")).status_code == 302
    assert AccessEvent.objects.filter(detail__event="wrong code").count() == 5


def test_the_code_expires(client, invite, settings):
    invitation, token = invite()
    client.post(_link(token))
    PortalInvitation.objects.filter(pk=invitation.pk).update(code_expires_at=timezone.now())
    response = client.post(reverse("portal:code"), {"code": code_from_outbox()})
    assert response.status_code == 422
    assert client.get(reverse("portal:home")).status_code == 302


def test_the_code_page_without_an_opened_link_goes_to_the_log_in(client):
    response = client.get(reverse("portal:code"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")


def test_a_code_with_spaces_is_accepted(client, invite):
    _invitation, token = invite()
    client.post(_link(token))
    code = code_from_outbox()
    response = client.post(reverse("portal:code"), {"code": f"{code[:3]} {code[3:]}"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_a_portal_log_in_logs_staff_out_and_staff_cannot_open_portal_pages(client, invite, professional):
    client.force_login(professional)
    assert client.get(reverse("portal:home")).status_code == 403
    _invitation, token = invite()
    _log_in(client, token)
    assert client.get(reverse("portal:home")).status_code == 200
    staff = client.get(reverse("trajectories:caseload"))
    assert staff.status_code == 302 and staff["Location"].startswith(reverse("login"))


def test_a_staff_log_in_ends_the_portal_session(client, invite, professional):
    _invitation, token = invite()
    _log_in(client, token)
    client.force_login(professional)
    assert portal_session.CLIENT not in client.session
    assert client.get(reverse("portal:home")).status_code == 403


def test_ending_access_ends_open_portal_sessions_at_once(client, invite, professional, trajectory):
    from waardewerk.portal import services

    _invitation, token = invite()
    _log_in(client, token)
    services.portal_access_end(actor=professional, trajectory=trajectory)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    # A new invitation gives access again.
    _invitation, token = invite()
    fresh = client.__class__()
    _log_in(fresh, token)
    assert fresh.get(reverse("portal:home")).status_code == 200


def test_idle_and_absolute_time_outs(client, invite, settings):
    _invitation, token = invite()
    _log_in(client, token)
    session = client.session
    session[portal_session.LAST_ACTIVITY] -= settings.WAARDEWERK_SESSION_IDLE_SECONDS
    session.save()
    assert client.get(reverse("portal:home")).status_code == 302
    _invitation, token = invite()
    _log_in(client, token)
    session = client.session
    session[portal_session.LOGIN_AT] -= settings.SESSION_COOKIE_AGE
    session.save()
    assert client.get(reverse("portal:home")).status_code == 302


def test_log_out(client, invite):
    _invitation, token = invite()
    _log_in(client, token)
    assert client.post(reverse("portal:logout")).status_code == 302
    assert client.get(reverse("portal:home")).status_code == 302


def test_invitation_needs_an_address(invite, trajectory):
    from django.core.exceptions import ValidationError

    trajectory.client.email = ""
    trajectory.client.save()
    with pytest.raises(ValidationError):
        invite("email")
    assert not PortalInvitation.objects.exists()


def test_sms_is_refused_when_not_configured_and_logged_in_development(invite, settings, caplog, client):
    from django.core.exceptions import ValidationError

    settings.WAARDEWERK_SMS_BACKEND = ""
    with pytest.raises(ValidationError):
        invite("sms")
    settings.WAARDEWERK_SMS_BACKEND = "log"
    with caplog.at_level("WARNING", logger="waardewerk.portal.messaging"):
        _invitation, token = invite("sms")
    assert "SMS NOT SENT" in caplog.text and token in caplog.text and "…78" in caplog.text
    assert "12345678" not in caplog.text  # the number is encrypted at rest, and masked in the log
    assert not mail.outbox


def test_http_sms_gateway(invite, settings, monkeypatch):
    import json

    settings.WAARDEWERK_SMS_BACKEND = "http"
    settings.WAARDEWERK_SMS_HTTP_URL = "https://sms.example.test/send"
    settings.WAARDEWERK_SMS_HTTP_TOKEN = "secret-token"
    sent = []

    class Response:
        status = 202

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    def fake_urlopen(request, timeout):
        sent.append((request.full_url, request.headers, json.loads(request.data)))
        return Response()

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    invite("sms")
    url, headers, body = sent[0]
    assert url == "https://sms.example.test/send" and headers["Authorization"] == "Bearer secret-token"
    assert body["to"] == "06-12345678" and "/portal/invitation/" in body["body"]


QUEUE_ONLY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _queued_deliveries():
    from django.tasks import default_task_backend

    return [result for result in default_task_backend.results if result.task.name == "deliver"]


def test_the_invitation_and_the_code_are_queued_not_sent_in_the_request(
    login, professional, trajectory, settings
):
    """The request stores the message in the outbox and queues its delivery; the worker sends it."""
    from waardewerk.core import outbox
    from waardewerk.core.models import OutboxMessage

    settings.TASKS = QUEUE_ONLY
    browser = login(professional)
    response = browser.post(reverse("portal:invite", args=[trajectory.uuid]), {"channel": "email"})
    assert response.status_code == 302
    assert not mail.outbox  # nothing sent inside the request
    (message,) = OutboxMessage.objects.all()
    assert (message.status, message.purpose, message.destination) == (
        "pending",
        "portal invitation",
        "jan.jansen@example.org",
    )
    assert [result.args for result in _queued_deliveries()] == [[message.pk]]
    assert outbox.send_now(message.pk) == "sent"  # what the worker does
    assert len(mail.outbox) == 1 and "/portal/invitation/" in mail.outbox[0].body
    token = mail.outbox[0].body.split("/portal/invitation/", 1)[1].split("/", 1)[0]

    visitor = Client()
    assert visitor.post(_link(token)).status_code == 302
    assert len(mail.outbox) == 1  # the code is queued, not sent yet
    code_message = OutboxMessage.objects.get(purpose="portal code")
    assert code_message.status == "pending" and [r.args for r in _queued_deliveries()][-1] == [
        code_message.pk
    ]
    assert outbox.send_now(code_message.pk) == "sent"
    assert visitor.post(reverse("portal:code"), {"code": code_from_outbox()}).status_code == 302


def test_a_failed_send_is_retried_and_delivered_once(invite, monkeypatch):
    """The mail server refuses the first attempt: the invitation stands (the earlier link is replaced as
    asked), the message waits for its retry, and the worker then delivers it exactly once, also when the
    delivery task runs again."""
    from django.utils import timezone

    from waardewerk.core import outbox
    from waardewerk.core.models import OutboxMessage

    def refuse(message):
        raise ConnectionRefusedError

    monkeypatch.setitem(outbox.TRANSPORTS, outbox.EMAIL, refuse)
    invitation, token = invite()
    assert PortalInvitation.objects.get().pk == invitation.pk
    (message,) = OutboxMessage.objects.all()
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "ConnectionRefusedError")
    assert not mail.outbox
    monkeypatch.undo()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.retry() == 1
    assert outbox.send_now(message.pk) == "skipped"  # the task delivered again: nothing twice
    message.refresh_from_db()
    assert (message.status, message.attempts, message.body) == ("sent", 2, "")
    assert len(mail.outbox) == 1 and _link(token) in mail.outbox[0].body


def test_development_shows_the_link_to_the_professional(client, professional, trajectory, settings):
    settings.WAARDEWERK_PORTAL_DEV_SECRETS = True
    client.force_login(professional)
    response = client.post(reverse("portal:invite", args=[trajectory.uuid]), {"channel": "email"})
    assert response.status_code == 200
    assert "/portal/invitation/" in response.content.decode()
    settings.WAARDEWERK_PORTAL_DEV_SECRETS = False
    response = client.post(reverse("portal:invite", args=[trajectory.uuid]), {"channel": "email"})
    assert response.status_code == 302
    assert "/portal/invitation/" not in client.get(response["Location"]).content.decode()
