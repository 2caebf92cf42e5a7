"""Writes of the accounts area: login attempts and the lockout, the authenticator app (TOTP), recovery
codes, set-up links and the administrator's reset of a second factor.

The lockout counts per user name, whether or not the name exists, so it reveals nothing about which names
exist, and per address (``login_throttle_checks``). A wrong password and a wrong second-factor code count
the same. Every attempt is counted *before* its check (``accounts.throttle``), so simultaneous attempts
cannot get more checks than the limit. Attempts while a name is locked are not checked and not counted, so
the lock ends at the time the message gives.
"""

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from waardewerk.accounts import policies, selectors, throttle, totp
from waardewerk.accounts.models import (
    LoginAttempt,
    RecoveryCode,
    Team,
    TOTPDevice,
    TwoFactorEnrolment,
    User,
)
from waardewerk.accounts.signals import security_event_send
from waardewerk.core import network, outbox
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError

logger = logging.getLogger(__name__)


class AccountLockedError(ValidationError):
    """Attempts are refused until ``until`` (aware datetime): for this user name, or (``network``) for
    every user name from this address."""

    def __init__(self, until: dt.datetime, *, network: bool = False):
        self.until = until
        shown = formats.time_format(timezone.localtime(_round_up_to_minute(until)), "H:i")
        if network:
            message = _("Too many failed login attempts from your network. Try again at %(time)s.")
        else:
            message = _("This account is temporarily locked. Try again at %(time)s.")
        super().__init__(message % {"time": shown}, code="locked")


def _round_up_to_minute(moment: dt.datetime) -> dt.datetime:
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + dt.timedelta(minutes=1)


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def client_ip(request) -> str | None:
    """The client's address (``waardewerk.core.network``: REMOTE_ADDR or the trusted proxy header)."""
    return network.client_ip(request)


def login_attempt_record(*, username: str, ip: str | None, succeeded: bool, now=None) -> LoginAttempt:
    return LoginAttempt.objects.create(
        username=_key(username), ip=ip, succeeded=succeeded, at=now or timezone.now()
    )


LOGIN_PAIR = "login-pair"
LOGIN_USER = "login-user"
LOGIN_IP = "login-ip"


def login_throttle_checks(*, username: str, ip: str | None) -> list[tuple[throttle.Rule, str]]:
    """The throttle rules of one login attempt (docs/security.md, "Lockout and throttling"):

    - the user name from this address: ``WAARDEWERK_LOCKOUT_ATTEMPTS`` failures in
      ``WAARDEWERK_LOCKOUT_MINUTES`` lock it for that many minutes; a success starts the count again;
    - the user name from every address together: ``WAARDEWERK_LOCKOUT_USER_ATTEMPTS`` (twice the above, so
      one address alone never reaches it), then one attempt per delay, doubling from
      ``WAARDEWERK_LOCKOUT_DELAY_SECONDS`` up to the lockout period;
    - the address for every user name: ``WAARDEWERK_LOCKOUT_IP_ATTEMPTS`` failures block it.
    """
    window = dt.timedelta(minutes=settings.WAARDEWERK_LOCKOUT_MINUTES)
    name = _key(username)
    ip = network.throttle_key(ip) if ip else None
    checks = [
        (
            throttle.Rule(
                LOGIN_PAIR, settings.WAARDEWERK_LOCKOUT_ATTEMPTS, window, on_success=throttle.OnSuccess.RESET
            ),
            f"{name}\x00{ip or ''}",
        ),
        (
            throttle.Rule(
                LOGIN_USER,
                settings.WAARDEWERK_LOCKOUT_USER_ATTEMPTS,
                window,
                first_delay=dt.timedelta(seconds=settings.WAARDEWERK_LOCKOUT_DELAY_SECONDS),
                on_success=throttle.OnSuccess.REFUND,
            ),
            name,
        ),
    ]
    if ip:
        rule = throttle.Rule(
            LOGIN_IP, settings.WAARDEWERK_LOCKOUT_IP_ATTEMPTS, window, on_success=throttle.OnSuccess.REFUND
        )
        checks.append((rule, ip))
    return checks


def _locked(until: dt.datetime, scope: str) -> AccountLockedError:
    return AccountLockedError(until, network=scope == LOGIN_IP)


def login_throttle_acquire(*, username: str, ip: str | None, now) -> throttle.Ticket:
    """Count an attempt before its check; raises ``AccountLockedError`` when attempts are refused now."""
    try:
        return throttle.acquire(login_throttle_checks(username=username, ip=ip), now=now)
    except throttle.Throttled as exc:
        raise _locked(exc.until, exc.scope) from None


def _checked(*, username: str, ip: str | None, now, check, refusal: ValidationError, complete=None):
    """Run ``check`` (a password or code check) as one counted attempt: refused without checking while
    locked; recorded; a failure that reached a limit raises the lock, any other failure ``refusal``.
    When ``complete(result)`` says a success is not the whole login yet (a second factor follows), it
    does not count either way, so knowing the password does not buy more guesses at the code."""
    ticket = login_throttle_acquire(username=username, ip=ip, now=now)
    result = check()
    if result:
        if complete is None or complete(result):
            login_attempt_record(username=username, ip=ip, succeeded=True, now=now)
            ticket.succeeded(now=now)
        else:
            ticket.refund(now=now)
        return result
    login_attempt_record(username=username, ip=ip, succeeded=False, now=now)
    for hit in ticket.blocked:
        logger.warning(
            "Login attempts refused after repeated failures (%s, user name %r, until %s)",
            hit.rule.scope,
            _key(username),
            hit.blocked_until,
        )
    if ticket.blocked:
        hit = max(ticket.blocked, key=lambda h: h.blocked_until)
        raise _locked(hit.blocked_until, hit.rule.scope)
    raise refusal


def login_authenticate(*, request, username: str, password: str, now=None):
    """The user with this user name and password, or a ValidationError (locked, or a neutral refusal).

    When the user needs no second factor, the login is complete and counts as a success here; otherwise
    the verification of the code does (``two_factor_verify``).
    """
    now = now or timezone.now()
    return _checked(
        username=username,
        ip=client_ip(request),
        now=now,
        check=lambda: authenticate(request, username=username, password=password),
        refusal=ValidationError(_("The user name or password is not correct."), code="invalid_login"),
        complete=lambda user: not selectors.two_factor_required(user=user),
    )


def totp_device_start(*, user) -> TOTPDevice:
    """The user's authenticator app waiting for confirmation, with a new secret when there is none yet."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, defaults={"secret": totp.generate_secret()}
    )
    if device.is_confirmed:
        raise ValidationError(_("Two-step verification is already on."), code="already_on")
    return device


def totp_device_confirm(
    *, user, code: str, enrolment: TwoFactorEnrolment | None = None, now=None
) -> TOTPDevice:
    """Turn the app on once the user typed a correct code from it. ``enrolment`` (the set-up link that
    allowed this first set-up) is used up in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None or device.is_confirmed:
            raise ValidationError(_("Start the set-up again."), code="no_device")
        step = totp.matching_step(device.secret, code, now.timestamp())
        if step is None:
            raise ValidationError({"code": _("This code is not correct. Type the code your app shows now.")})
        if enrolment is not None and not _enrolments_open(now).filter(pk=enrolment.pk, user=user).update(
            used_at=now
        ):
            raise ValidationError(_("This set-up link no longer works. Ask for a new one."), code="link_gone")
        device.confirmed_at = now
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step"])
    security_event_send(
        actor=user,
        action="change",
        user=user,
        event="two-step verification set up",
        detail={"with_link": enrolment is not None},
    )
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
    _checked(
        username=user.get_username(),
        ip=ip,
        now=now,
        check=lambda: _totp_code_use(user=user, code=code, now=now),
        refusal=ValidationError(
            {"code": _("This code is not correct or was already used. Wait for the next code.")}
        ),
    )


def reauthentication_confirm(*, request, password: str, code: str = "", now=None) -> None:
    """The signed-in user proves again who they are: password, and a code when two-step verification is
    on. Failures count towards the lockout like failed logins."""
    now = now or timezone.now()
    user = request.user
    username = user.get_username()
    ip = client_ip(request)
    with_code = selectors.two_factor_required(user=user)
    _checked(
        username=username,
        ip=ip,
        now=now,
        check=lambda: authenticate(request, username=username, password=password) is not None,
        refusal=ValidationError({"password": _("This password is not correct.")}),
        complete=lambda _ok: not with_code,
    )
    if with_code:
        two_factor_verify(user=user, code=code, ip=ip, now=now)


# Recovery codes -------------------------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 12  # 60 bits
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U
_LOOK_ALIKES = str.maketrans("ILO", "110")


def _recovery_digest(code: str, salt: str, secret: str) -> str:
    return salted_hmac(
        "waardewerk.accounts.recovery-code", f"{salt}:{code}", secret=secret, algorithm="sha256"
    ).hexdigest()


def normalise_recovery_code(text: str) -> str:
    """What the user typed, in capitals, without dashes or spaces, with I, L and O read as 1, 1 and 0."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned.translate(_LOOK_ALIKES)[: RECOVERY_CODE_LENGTH + 1]


def recovery_codes_generate(*, user, now=None) -> list[str]:
    """Ten new recovery codes for the user's own second factor; the earlier ones stop working. Returns the
    codes for showing once (as XXXX-XXXX-XXXX); only salted HMACs are stored."""
    if not selectors.has_confirmed_totp_device(user=user):
        raise ValidationError(_("Turn on two-step verification first."), code="no_device")
    now = now or timezone.now()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(
            RecoveryCode(
                user=user, salt=salt, digest=_recovery_digest(code, salt, settings.SECRET_KEY), created_at=now
            )
        )
    with transaction.atomic():
        unused = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(rows)
    security_event_send(
        actor=user,
        action="create",
        user=user,
        event="recovery codes made",
        detail={"count": RECOVERY_CODE_COUNT, "unused_replaced": unused},
    )
    return ["-".join(code[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)) for code in codes]


def _recovery_code_use(*, user, code: str, now) -> bool:
    """Whether ``code`` is one of the user's unused recovery codes; a valid one is used up at once."""
    code = normalise_recovery_code(code)
    if len(code) != RECOVERY_CODE_LENGTH:
        return False
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    found = None
    for row in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        for key in keys:
            if hmac.compare_digest(_recovery_digest(code, row.salt, key), row.digest) and found is None:
                found = row
    if found is None:
        return False
    # Conditional update: of two requests with the same code only one uses it.
    return RecoveryCode.objects.filter(pk=found.pk, used_at__isnull=True).update(used_at=now) == 1


def two_factor_recover(*, user, code: str, ip: str | None, now=None) -> int:
    """The second login step with a recovery code instead of the app. Counts towards the lockout like a
    code; returns how many unused codes are left."""
    now = now or timezone.now()
    _checked(
        username=user.get_username(),
        ip=ip,
        now=now,
        check=lambda: _recovery_code_use(user=user, code=code, now=now),
        refusal=ValidationError({"code": _("This recovery code is not correct or was already used.")}),
    )
    left = selectors.recovery_codes_left(user=user)
    security_event_send(
        actor=user, action="change", user=user, event="logged in with a recovery code", detail={"left": left}
    )
    return left


# Set-up links and the administrator's reset ----------------------------------------------------------------


def _enrolments_open(now):
    return TwoFactorEnrolment.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def enrolment_find(token: str, *, now=None) -> TwoFactorEnrolment | None:
    """The open set-up link with this token, or None (unknown, used, revoked or expired)."""
    if not token or len(token) > 100:
        return None
    return (
        _enrolments_open(now or timezone.now())
        .select_related("user")
        .filter(token_digest=_token_digest(token))
        .first()
    )


def enrolment_open_for(*, user, enrolment_uuid, now=None) -> TwoFactorEnrolment | None:
    """The user's own open set-up link with this public id, or None."""
    if not enrolment_uuid:
        return None
    return _enrolments_open(now or timezone.now()).filter(uuid=enrolment_uuid, user=user).first()


def two_factor_reset(*, actor, user, reason: str, now=None, by_operator: bool = False):
    """Remove the user's authenticator app and recovery codes and make a one-time set-up link (a functional
    administrator for someone in their organisation, not themselves; or the server's operator with
    ``waardewerk two_factor link``). Earlier open links stop working. Returns (enrolment, token): the token
    is shown once, to be handed to the user in person or by phone."""
    if not by_operator and not policies.can_reset_two_factor(actor, user):
        raise PermissionDeniedError
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason, for the access log.")})
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        had_app = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        TOTPDevice.objects.filter(user=user).delete()
        codes, _detail = RecoveryCode.objects.filter(user=user).delete()
        _enrolments_open(now).filter(user=user).update(revoked_at=now, updated_at=now)
        enrolment = TwoFactorEnrolment.objects.create(
            user=user,
            token_digest=_token_digest(token),
            created_by=None if by_operator else actor,
            expires_at=now + dt.timedelta(hours=settings.WAARDEWERK_2FA_ENROLMENT_HOURS),
        )
    security_event_send(
        actor=actor,
        action="change",
        user=user,
        event="second factor reset, set-up link made",
        reason=reason,
        detail={
            "user": user.get_username(),
            "had_app": had_app,
            "recovery_codes_removed": codes,
            "via": "command" if by_operator else "page",
        },
    )
    return enrolment, token


# The organisation's users and teams (the functional administrator) ---------------------------------------


def _seen(user) -> str:
    return user.updated_at.isoformat() if user.updated_at else ""


def _check_user(actor, data: dict, *, user=None) -> dict:
    errors: dict[str, str] = {}
    teams = list(data.get("teams") or [])
    if any(team.organisation_id != actor.organisation_id for team in teams):
        errors["teams"] = _("Choose teams of your own organisation.")
    if user is None and User.objects.filter(username__iexact=data.get("username", "")).exists():
        errors["username"] = _("This user name is taken. Choose another one.")
    if user is not None and not policies.may_give_role(actor, user, data.get("role")):
        errors["role"] = _("You cannot change your own role: ask another functional administrator.")
    if errors:
        raise ValidationError(errors)
    return {
        "first_name": data["first_name"].strip(),
        "last_name": data["last_name"].strip(),
        "email": (data.get("email") or "").strip(),
        "role": data["role"],
        "profession": data.get("profession") or "",
    }


def user_create(*, actor, data: dict) -> User:
    """A new user of the actor's organisation, without a usable password: they set one with the link the
    administrator sends (``password_link_send``)."""
    if not policies.can_manage_users(actor):
        raise PermissionDeniedError
    fields = _check_user(actor, data)
    with transaction.atomic():
        user = User(username=data["username"], organisation_id=actor.organisation_id, **fields)
        user.set_unusable_password()
        user.save()
        user.teams.set(data.get("teams") or [])
        security_event_send(
            actor=actor,
            action="create",
            user=user,
            event="user created",
            detail={"user": user.username, "role": user.role, "teams": len(data.get("teams") or [])},
        )
    return user


def user_update(*, actor, user: User, data: dict, seen: str) -> User:
    if not policies.can_manage_users(actor) or user.organisation_id != actor.organisation_id:
        raise PermissionDeniedError
    if seen != _seen(user):
        raise ConcurrentEditError(_("Someone changed this user meanwhile. Check the data and save again."))
    fields = _check_user(actor, data, user=user)
    with transaction.atomic():
        before = {"role": user.role, "teams": sorted(str(t.uuid) for t in user.teams.all())}
        for name, value in fields.items():
            setattr(user, name, value)
        user.save()
        user.teams.set(data.get("teams") or [])
        security_event_send(
            actor=actor,
            action="change",
            user=user,
            event="user changed",
            detail={
                "user": user.username,
                "role": user.role,
                "role_before": before["role"],
                "teams_changed": before["teams"] != sorted(str(t.uuid) for t in data.get("teams") or []),
            },
        )
    return user


def user_set_active(*, actor, user: User, active: bool) -> User:
    """Deactivate a user (they can no longer log in; their history stays) or activate them again."""
    if not policies.can_deactivate_user(actor, user):
        raise PermissionDeniedError(
            _("You cannot deactivate yourself: ask another functional administrator.")
        )
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active", "updated_at"])
        security_event_send(
            actor=actor,
            action="change",
            user=user,
            event="user activated" if active else "user deactivated",
            detail={"user": user.username},
        )
    return user


def password_link_send(*, actor, user: User, link_for) -> None:
    """E-mail the user a one-time link to set their password (Django's token: it stops working once the
    password is set or after ``PASSWORD_RESET_TIMEOUT``). The link is never shown to the administrator, so
    nobody but the user can use it."""
    if not policies.can_manage_users(actor) or user.organisation_id != actor.organisation_id:
        raise PermissionDeniedError
    if not user.is_active:
        raise ValidationError(_("This user is deactivated: activate them first."))
    if not user.email:
        raise ValidationError(_("This user has no e-mail address: add one first."))
    link = link_for(user, default_token_generator.make_token(user))
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    body = _(
        "Hello %(name)s,\n\nSet your password for Waardewerk with this link (it works once, for %(days)s "
        "days):\n%(link)s\n\nYour user name is %(username)s.\n"
    ) % {"name": user.get_full_name() or user.username, "days": days, "link": link, "username": user.username}
    # Through the outbox (core.outbox): sent by the worker, retried with backoff, never twice; a failure
    # shows on the administrator's background-tasks page.
    outbox.queue(
        key=f"password-link:{user.pk}:{hashlib.sha256(link.encode()).hexdigest()[:32]}",
        channel=outbox.EMAIL,
        destination=user.email,
        subject=_("Set your password for Waardewerk"),
        body=body,
        purpose="password link",
    )
    security_event_send(
        actor=actor, action="change", user=user, event="password link sent", detail={"user": user.username}
    )


def password_set(*, user: User, token: str, password: str) -> None:
    if not user.is_active or not default_token_generator.check_token(user, token):
        raise ValidationError(
            _("This link no longer works. Ask your functional administrator for a new one.")
        )
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    security_event_send(actor=user, action="change", user=user, event="password set with a link")


def team_save(*, actor, team: Team | None, name: str, kind: str) -> Team:
    if not policies.can_manage_users(actor) or (
        team is not None and team.organisation_id != actor.organisation_id
    ):
        raise PermissionDeniedError
    name = (name or "").strip()
    clash = Team.objects.filter(organisation_id=actor.organisation_id, name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if not name:
        raise ValidationError({"name": _("Give the team a name.")})
    if clash.exists():
        raise ValidationError({"name": _("Your organisation already has a team with this name.")})
    with transaction.atomic():
        created = team is None
        if created:
            team = Team(organisation_id=actor.organisation_id)
        team.name, team.kind = name, kind or ""
        team.save()
        security_event_send(
            actor=actor,
            action="create" if created else "change",
            user=team,
            event="team created" if created else "team changed",
            detail={"team": str(team.uuid), "name": name},
        )
    return team
