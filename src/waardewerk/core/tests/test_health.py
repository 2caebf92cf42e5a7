"""/healthz and /readyz (docs/operations.md, "Health")."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.core import health

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _task(**fields):
    defaults = {
        "task_path": "waardewerk.instruments.tasks.draw_effect_charts",
        "args_kwargs": {"args": [1], "kwargs": {}},
        "status": "READY",
        "backend_name": "default",
        "run_after": get_date_max(),  # what the queue stores for "no delay"
    }
    defaults.update(fields)
    task = DBTaskResult.objects.create(**defaults)
    if "enqueued_at" in fields:  # auto_now_add overrides what create() was given
        DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=fields["enqueued_at"])
    return task


def _get(client, path):
    response = client.get(path)
    return response, json.loads(response.content)


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any use of the database would fail this test.
    response, body = _get(client, "/healthz")
    assert response.status_code == 200 and body == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert len(response["X-Request-ID"]) >= 8


@pytest.mark.django_db
def test_readyz_is_ready_with_database_cache_migrations_and_no_waiting_task(client, settings):
    settings.TASKS = QUEUE
    response, body = _get(client, "/readyz")
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["cache"] == {"ok": True}
    assert body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert body["checks"]["tasks"]["ok"] is True
    assert body["checks"]["tasks"]["oldest_waiting_seconds"] is None


@pytest.mark.django_db
def test_readyz_is_503_when_a_migration_is_not_applied(client):
    MigrationRecorder.Migration.objects.filter(app="audit").order_by("-id").first().delete()
    response, body = _get(client, "/readyz")
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["migrations"] == {"ok": False, "unapplied": 1}


@pytest.mark.django_db
def test_readyz_is_503_when_the_oldest_waiting_task_waits_too_long(client, settings):
    settings.TASKS = QUEUE
    settings.WAARDEWERK_READY_TASK_LAG_SECONDS = 300
    _task(enqueued_at=timezone.now() - dt.timedelta(seconds=30))
    response, body = _get(client, "/readyz")
    assert response.status_code == 200
    assert 25 <= body["checks"]["tasks"]["oldest_waiting_seconds"] <= 60

    _task(enqueued_at=timezone.now() - dt.timedelta(minutes=20))
    response, body = _get(client, "/readyz")
    assert response.status_code == 503
    assert body["checks"]["tasks"]["ok"] is False
    assert body["checks"]["tasks"]["oldest_waiting_seconds"] >= 1200
    assert body["checks"]["tasks"]["threshold_seconds"] == 300

    settings.WAARDEWERK_READY_TASK_LAG_SECONDS = 0  # the queue left out of the check
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_tasks_that_wait_on_purpose_or_already_ran_do_not_count_as_lag(client, settings):
    settings.TASKS = QUEUE
    long_ago = timezone.now() - dt.timedelta(hours=2)
    _task(enqueued_at=long_ago, run_after=timezone.now() + dt.timedelta(hours=1))  # scheduled for later
    _task(enqueued_at=long_ago, status="SUCCESSFUL", finished_at=long_ago)
    _task(enqueued_at=long_ago, status="FAILED", finished_at=long_ago)
    response, body = _get(client, "/readyz")
    assert response.status_code == 200 and body["checks"]["tasks"]["oldest_waiting_seconds"] is None
    # A task due since ten minutes (queued two hours ago) waits ten minutes, not two hours.
    _task(enqueued_at=long_ago, run_after=timezone.now() - dt.timedelta(minutes=10))
    assert 590 <= health.oldest_waiting_task_seconds() <= 660


@pytest.mark.django_db
def test_without_the_queue_the_task_check_passes(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    response, body = _get(client, "/readyz")
    assert response.status_code == 200 and body["checks"]["tasks"] == {"ok": True, "queue": False}


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_fails(client, monkeypatch):
    from django.core.cache import caches

    def broken(*args, **kwargs):
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setattr(caches["default"], "get", broken)
    response, body = _get(client, "/readyz")
    assert response.status_code == 503
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert b"secret-host" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/healthz/", "/readyz/"])
@pytest.mark.parametrize("role", [None, *Role.values])
def test_same_answer_for_everyone_no_login_redirect_and_no_access_log(path, role, organisation, settings):
    """No authentication, no redirect to the log-in page or to HTTPS, no session, no access-log entry;
    the same answer signed in (any role) or not."""
    from tests.factories import UserFactory

    settings.WAARDEWERK_REQUIRE_2FA = True
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    if role is not None:
        client.force_login(UserFactory(organisation=organisation, role=role))
    before = AccessEvent.objects.count()
    response = client.get(path)
    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "ok"
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert AccessEvent.objects.count() == before


@pytest.mark.django_db
def test_only_get_and_head(client):
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import OperationalError

    def unreachable():
        raise OperationalError('connection to server at "db.internal" failed: password for user "ww"')

    monkeypatch.setattr(connection, "ensure_connection", unreachable)
    response, body = _get(client, "/readyz")
    assert response.status_code == 503
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["migrations"]["ok"] is False and body["checks"]["tasks"]["ok"] is False
    assert b"db.internal" not in response.content
    assert client.get("/healthz").status_code == 200  # alive all the same: nothing to restart
    monkeypatch.undo()
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_takes_a_fixed_handful_of_queries(client, settings, django_assert_max_num_queries):
    settings.TASKS = QUEUE
    client.get("/readyz")  # the first call of a process also reads the migration files
    for _ in range(30):
        _task(enqueued_at=timezone.now())
    with django_assert_max_num_queries(6):
        assert client.get("/readyz").status_code == 200
