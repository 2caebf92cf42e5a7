"""Helpers of the login-security tests: a clock to move, and TOTP codes for a user's app."""

import contextlib
import datetime as dt
from unittest import mock

from django.utils import timezone

from waardewerk.accounts import totp
from waardewerk.accounts.models import TOTPDevice


@contextlib.contextmanager
def clock(moment: dt.datetime):
    """Freeze ``django.utils.timezone.now`` (services, middleware and session clocks all read it)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def code_for(user, at: dt.datetime | None = None) -> str:
    device = TOTPDevice.objects.get(user=user)
    return totp.totp(device.secret, (at or timezone.now()).timestamp())


def confirmed_device(user, at: dt.datetime | None = None) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=user, secret=totp.generate_secret(), confirmed_at=at or timezone.now()
    )


def setup_link(user) -> str:
    """A one-time set-up link for the user's authenticator app, as the operator's command makes it."""
    from django.urls import reverse

    from waardewerk.accounts import services

    _enrolment, token = services.two_factor_reset(actor=None, user=user, reason="test", by_operator=True)
    return reverse("accounts:two_factor_enrol", args=[token])


def log_in_with_password(client, username, password, next_url=None):
    data = {"username": username, "password": password}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


@contextlib.contextmanager
def file_database_on_sqlite(directory):
    """Run a test with threads on a database file when the suite runs on SQLite.

    The test database on SQLite lives in memory with a shared cache, where a second writer is refused at
    once ("database table is locked") instead of waiting for the lock, unlike the database file the app
    runs on. For a concurrency test the in-memory database (with the test's data) is copied to a file, and
    every thread, the test's own included, uses that file; afterwards the in-memory database is back. On
    PostgreSQL nothing changes.
    """
    import sqlite3

    from django.db import connection, connections

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = directory / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = connections.settings["default"]
    original_name, original = settings_dict["NAME"], connections["default"]
    settings_dict["NAME"] = str(path)
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = original
        settings_dict["NAME"] = original_name
