"""Writes of the accounts area: login attempts and the lockout, the authenticator app (TOTP).

The lockout counts per user name, whether or not the name exists, so it reveals nothing about which names
exist. A wrong password and a wrong second-factor code count the same. Attempts while a name is locked are
not checked and not counted, so the lock ends at the time the message gives.
"""

import datetime as dt
import ipaddress
import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from waardewerk.accounts import selectors, totp
from waardewerk.accounts.models import LoginAttempt, TOTPDevice

logger = logging.getLogger(__name__)


class AccountLockedError(ValidationError):
    """The user name is locked until ``until`` (aware datetime)."""

    def __init__(self, until: dt.datetime):
        self.until = until
        shown = timezone.localtime(_round_up_to_minute(until))
        super().__init__(
            _("This account is temporarily locked. Try again at %(time)s.")
            % {"time": formats.time_format(shown, "H:i")},
            code="locked",
        )


def _round_up_to_minute(moment: dt.datetime) -> dt.datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + dt.timedelta(minutes=1)


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR; a proxy must pass the client's address there)."""
    value = (request.META.get("REMOTE_ADDR") or "") if request is not None else ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def login_attempt_record(*, username: str, ip: str | None, succeeded: bool, now=None) -> LoginAttempt:
    return LoginAttempt.objects.create(
        username=_key(username), ip=ip, succeeded=succeeded, at=now or timezone.now()
    )


def login_locked_until(*, username: str, now=None) -> dt.datetime | None:
    """When the lock on this user name ends, or None when it is not locked.

    ``WAARDEWERK_LOCKOUT_ATTEMPTS`` failed attempts in a row (no success between them) within
    ``WAARDEWERK_LOCKOUT_MINUTES`` lock the name for that many minutes from the last of them. Attempts are
    not recorded while the name is locked, so the lock can only come from the latest attempts.
    """
    now = now or timezone.now()
    limit = settings.WAARDEWERK_LOCKOUT_ATTEMPTS
    period = dt.timedelta(minutes=settings.WAARDEWERK_LOCKOUT_MINUTES)
    recent = list(
        LoginAttempt.objects.filter(username=_key(username), at__gt=now - 2 * period, at__lte=now)
        .order_by("-at")
        .values_list("at", "succeeded")[:limit]
    )
    if len(recent) < limit or any(succeeded for _, succeeded in recent):
        return None
    last, first = recent[0][0], recent[-1][0]
    if first <= last - period or last + period <= now:
        return None
    return last + period


def _refuse(*, username: str, ip: str | None, now, error: ValidationError):
    """Count a failed attempt; raise the lock when this attempt completed it, else ``error``."""
    login_attempt_record(username=username, ip=ip, succeeded=False, now=now)
    until = login_locked_until(username=username, now=now)
    if until is not None:
        logger.warning("Login locked after repeated failures (user name %r, until %s)", _key(username), until)
        raise AccountLockedError(until)
    raise error


def login_authenticate(*, request, username: str, password: str, now=None):
    """The user with this user name and password, or a ValidationError (locked, or a neutral refusal).

    When the user needs no second factor, the login is complete and counts as a success here; otherwise
    the verification of the code does (``two_factor_verify``).
    """
    now = now or timezone.now()
    ip = client_ip(request)
    until = login_locked_until(username=username, now=now)
    if until is not None:
        raise AccountLockedError(until)
    user = authenticate(request, username=username, password=password)
    if user is None:
        _refuse(
            username=username,
            ip=ip,
            now=now,
            error=ValidationError(_("The user name or password is not correct."), code="invalid_login"),
        )
    if not selectors.two_factor_required(user=user):
        login_attempt_record(username=username, ip=ip, succeeded=True, now=now)
    return user


def totp_device_start(*, user) -> TOTPDevice:
    """The user's authenticator app waiting for confirmation, with a new secret when there is none yet."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, defaults={"secret": totp.generate_secret()}
    )
    if device.is_confirmed:
        raise ValidationError(_("Two-step verification is already on."), code="already_on")
    return device


def totp_device_confirm(*, user, code: str, now=None) -> TOTPDevice:
    """Turn the app on once the user typed a correct code from it."""
    now = now or timezone.now()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.is_confirmed:
            raise ValidationError(_("Start the set-up again."), code="no_device")
        step = totp.matching_step(device.secret, code, now.timestamp())
        if step is None:
            raise ValidationError({"code": _("This code is not correct. Type the code your app shows now.")})
        device.confirmed_at = now
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step"])
    return device


def _totp_code_use(*, user, code: str, now) -> bool:
    """Whether ``code`` is valid for the user's confirmed app now; a valid code is used up at once."""
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = totp.matching_step(device.secret, code, now.timestamp(), after_step=device.last_used_step)
    if step is None:
        return False
    # Conditional update: of two requests with the same code only one gets the step.
    used = (
        TOTPDevice.objects.filter(pk=device.pk)
        .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
        .update(last_used_step=step)
    )
    return used == 1


def two_factor_verify(*, user, code: str, ip: str | None, now=None) -> None:
    """Check the second factor at login. A wrong or reused code counts as a failed login."""
    now = now or timezone.now()
    username = user.get_username()
    until = login_locked_until(username=username, now=now)
    if until is not None:
        raise AccountLockedError(until)
    if not _totp_code_use(user=user, code=code, now=now):
        _refuse(
            username=username,
            ip=ip,
            now=now,
            error=ValidationError(
                {"code": _("This code is not correct or was already used. Wait for the next code.")}
            ),
        )
    login_attempt_record(username=username, ip=ip, succeeded=True, now=now)


def reauthentication_confirm(*, request, password: str, code: str = "", now=None) -> None:
    """The signed-in user proves again who they are: password, and a code when two-step verification is
    on. Failures count towards the lockout like failed logins."""
    now = now or timezone.now()
    user = request.user
    username = user.get_username()
    ip = client_ip(request)
    until = login_locked_until(username=username, now=now)
    if until is not None:
        raise AccountLockedError(until)
    if authenticate(request, username=username, password=password) is None:
        _refuse(
            username=username,
            ip=ip,
            now=now,
            error=ValidationError({"password": _("This password is not correct.")}),
        )
    if selectors.two_factor_required(user=user):
        two_factor_verify(user=user, code=code, ip=ip, now=now)
    else:
        login_attempt_record(username=username, ip=ip, succeeded=True, now=now)
