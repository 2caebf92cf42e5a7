"""The outbox (each message once, retried with backoff, failures visible) and the worker that resumes the
tasks of a worker that died (docs/operations.md)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waardewerk.core import outbox, worker_health
from waardewerk.core.models import OutboxMessage, WorkerHeartbeat
from waardewerk.core.tests.slow_tasks import slow

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queue(key="k-1", **extra):
    return outbox.queue(
        key=key,
        channel=outbox.EMAIL,
        destination="pia@example.org",
        subject="Onderwerp",
        body="Tekst met een link",
        purpose="test",
        **extra,
    )


@pytest.mark.django_db
def test_the_same_key_is_one_message_sent_once():
    first, created = _queue()
    again, created_again = _queue()
    assert created and not created_again and first.pk == again.pk
    assert len(mail.outbox) == 1
    first.refresh_from_db()
    assert first.status == "sent" and first.body == "" and first.subject == ""
    assert outbox.send_now(first.pk) == "skipped"  # a task run twice sends nothing twice
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_failures_are_retried_with_backoff_then_marked_failed(monkeypatch, settings):
    settings.WAARDEWERK_OUTBOX_MAX_ATTEMPTS = 3
    calls = []

    def refuse(message):
        calls.append(message.pk)
        raise ConnectionRefusedError

    monkeypatch.setitem(outbox.TRANSPORTS, outbox.EMAIL, refuse)
    message, _ = _queue()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert outbox.backoff(1) == dt.timedelta(seconds=30) and outbox.backoff(2) == dt.timedelta(minutes=2)
    assert outbox.retry() == 0  # not due yet
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox.retry()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox.retry()
    message.refresh_from_db()
    assert (message.status, message.attempts, len(calls)) == ("failed", 3, 3)
    assert outbox.summary()["counts"]["failed"] == 1


@pytest.mark.django_db
def test_an_interrupted_send_is_never_sent_blindly_again():
    """A worker killed after claiming a message (status "sending") may have handed it to the mail server:
    the task run again marks it unknown for the administrator instead of sending it twice."""
    message = OutboxMessage.objects.create(
        key="k-2", channel="email", destination="pia@example.org", body="Tekst", purpose="test"
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status="sending", attempts=1)  # claimed, then killed
    assert outbox.send_now(message.pk) == "skipped"
    message.refresh_from_db()
    assert message.status == "unknown" and len(mail.outbox) == 0
    assert outbox.retry(include_unknown=True) == 1  # the administrator decides to send it again
    message.refresh_from_db()
    assert message.status == "sent" and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_administrator_sees_failed_messages_without_address_or_text(
    client, functional_admin, monkeypatch
):
    monkeypatch.setitem(outbox.TRANSPORTS, outbox.EMAIL, lambda m: (_ for _ in ()).throw(OSError))
    monkeypatch.setattr(outbox, "max_attempts", lambda: 1)
    _queue()
    client.force_login(functional_admin)
    page = client.get(reverse("accounts:background_tasks")).content.decode()
    assert "OSError" in page and "pia@example.org" not in page and "Tekst met een link" not in page


@pytest.mark.django_db
def test_a_running_task_of_a_dead_worker_is_put_back(settings):
    settings.TASKS = QUEUE
    result = slow.enqueue("/nonexistent", 0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=["dead"], started_at=timezone.now() - dt.timedelta(minutes=5)
    )
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=timezone.now() - dt.timedelta(minutes=5))
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=slow.module_path,
        backend_name="default",
        run_after=timezone.now(),
        status="RUNNING",
        worker_ids=["alive"],
        started_at=timezone.now(),
    )
    worker_health.beat("alive")
    assert worker_health.reclaim() == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1  # the live worker's task stays


def _worker(env, log):
    return subprocess.Popen(  # noqa: S603 (our own command)
        [
            sys.executable,
            "-m",
            "waardewerk.manage",
            "worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
            "--batch",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_with_sigkill_mid_task_is_resumed_once(settings, tmp_path):
    """A real worker process killed with SIGKILL while its task runs: the task stays RUNNING; the next
    worker puts it back once the dead one's heartbeat is old, runs it, and it finishes exactly once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite run: the worker process needs a database the test's process shares (PostgreSQL)")
    settings.TASKS = QUEUE
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{host}/{db['NAME']}",
        "WAARDEWERK_DEBUG": "1",
        "WAARDEWERK_TASKS": "database",
        "DJANGO_SETTINGS_MODULE": "waardewerk.conf.settings",
        "WAARDEWERK_WORKER_HEARTBEAT_SECONDS": "0.5",
        "WAARDEWERK_WORKER_DEAD_SECONDS": "2",
    }
    result = slow.enqueue(str(tmp_path), 3)
    log = (tmp_path / "worker.log").open("w")
    first = _worker(env, log)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("start-*")):
        assert time.monotonic() < deadline and first.poll() is None, (tmp_path / "worker.log").read_text()
        time.sleep(0.1)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    assert not (tmp_path / "done").exists()
    time.sleep(2.5)  # the dead worker's heartbeat grows old
    second = _worker(env, log)
    assert second.wait(timeout=60) == 0
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and len(row.worker_ids) == 2
    assert Path(tmp_path / "done").read_text() == "done\n"  # finished once, nothing lost
    assert len(list(tmp_path.glob("start-*"))) == 2
