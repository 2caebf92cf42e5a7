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


def log_in_with_password(client, username, password, next_url=None):
    data = {"username": username, "password": password}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)
