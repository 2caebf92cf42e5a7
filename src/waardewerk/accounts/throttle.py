"""Throttling with counters in the database that stay exact under concurrency.

Reserve, then check: a caller takes a *ticket* before it does the thing an attacker wants to repeat
(checking a password or a code, opening a portal link). ``acquire`` counts the hit in one short transaction
that locks the counter rows (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the settings make every
transaction ``BEGIN IMMEDIATE``, which takes the database's write lock at once). The hit that reaches a
rule's limit blocks the key in that same transaction, so of any number of simultaneous requests exactly
``limit`` get through, whatever the number of processes. Afterwards the caller reports the outcome:
``succeeded`` (each rule resets, refunds its hit or keeps it) or ``refund`` (the hit did not count).

A rule counts hits in a fixed window that starts at the first hit. A *hard* rule blocks the key for one
window once the limit is reached. A *back-off* rule (``first_delay``) lets every hit after the limit through
one at a time, each followed by a block twice as long as the one before (up to one window); the count
starts again only when a whole window passed after the last block.

Keys (a user name, an address) are stored as an HMAC under the secret key, so the table holds neither.
Rows are pruned when they no longer mean anything (``expires_at``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from waardewerk.accounts.models import LoginAttempt, Throttle

logger = logging.getLogger(__name__)
PRUNE_EVERY = dt.timedelta(minutes=1)
_last_prune: dt.datetime | None = None


class OnSuccess(StrEnum):
    RESET = "reset"  # a success starts the count again
    REFUND = "refund"  # a success does not count
    KEEP = "keep"  # every hit counts (request rate limits)


@dataclass(frozen=True)
class Rule:
    scope: str
    limit: int
    window: dt.timedelta
    first_delay: dt.timedelta | None = None
    on_success: OnSuccess = OnSuccess.KEEP


class Throttled(Exception):
    """A key of ``scope`` is blocked until ``until`` (aware datetime)."""

    def __init__(self, until: dt.datetime, scope: str):
        self.until = until
        self.scope = scope
        super().__init__(f"{scope} blocked until {until.isoformat()}")


@dataclass
class _Hit:
    pk: int
    rule: Rule
    blocked_until: dt.datetime | None  # the block this hit started, if any
    strikes_before: int


@dataclass
class Ticket:
    """One counted hit on every rule it was acquired for."""

    hits: list[_Hit] = field(default_factory=list)

    @property
    def blocked(self) -> list[_Hit]:
        """The rules whose limit this hit reached: the caller's next attempt will be refused."""
        return [hit for hit in self.hits if hit.blocked_until is not None]

    def blocked_until(self) -> dt.datetime | None:
        return max((hit.blocked_until for hit in self.blocked), default=None)

    def succeeded(self, *, now: dt.datetime | None = None) -> None:
        self._settle(now or timezone.now(), success=True)

    def refund(self, *, now: dt.datetime | None = None) -> None:
        """Take the hit back on every rule (it turned out not to be an attempt, e.g. a right password
        before the second factor)."""
        self._settle(now or timezone.now(), success=False)

    def _settle(self, now: dt.datetime, *, success: bool) -> None:
        with transaction.atomic():
            locked = Throttle.objects.select_for_update().filter(pk__in=[hit.pk for hit in self.hits])
            rows = {row.pk: row for row in locked.order_by("scope", "key")}
            for hit in self.hits:
                row = rows.get(hit.pk)
                if row is None:  # pruned meanwhile: nothing left to undo
                    continue
                if success and hit.rule.on_success == OnSuccess.KEEP:
                    continue
                if success and hit.rule.on_success == OnSuccess.RESET:
                    row.hits, row.strikes, row.blocked_until, row.window_start = 0, 0, None, now
                else:
                    row.hits = max(0, row.hits - 1)
                    if hit.blocked_until is not None and row.blocked_until == hit.blocked_until:
                        row.blocked_until = None  # the block this hit started
                        row.strikes = hit.strikes_before
                row.save(update_fields=["hits", "strikes", "blocked_until", "window_start"])
        self.hits = []


def digest(scope: str, key: str) -> str:
    return salted_hmac("waardewerk.accounts.throttle", f"{scope}\x00{key}", algorithm="sha256").hexdigest()


def _lock(wanted) -> dict:
    """The rows of these (scope, key) pairs, locked in one fixed order (no deadlock between tickets)."""
    query = Q()
    for scope, key in wanted:
        query |= Q(scope=scope, key=key)
    rows = Throttle.objects.select_for_update().filter(query).order_by("scope", "key")
    return {(row.scope, row.key): row for row in rows}


def _hit(row: Throttle, rule: Rule, now: dt.datetime) -> _Hit:
    strikes_before = row.strikes
    if now >= row.window_start + rule.window:
        # A new window. A back-off rule stays in back-off until a whole window passed after its last
        # delay, so a steady attack never gets the free attempts again.
        quiet = row.blocked_until is None or row.blocked_until + rule.window <= now
        if rule.first_delay is None or quiet:
            row.hits, row.strikes, row.blocked_until = 0, 0, None
        row.window_start = now
        strikes_before = row.strikes
    row.hits += 1
    started = None
    if row.hits >= rule.limit:
        if rule.first_delay is None:
            started = now + rule.window
        else:
            started = now + min(rule.window, rule.first_delay * 2**row.strikes)
            row.strikes += 1
        row.blocked_until = started
    row.expires_at = max(row.window_start, row.blocked_until or now) + rule.window
    row.save(update_fields=["hits", "strikes", "blocked_until", "window_start", "expires_at"])
    return _Hit(pk=row.pk, rule=rule, blocked_until=started, strikes_before=strikes_before)


def acquire(checks: list[tuple[Rule, str]], *, now: dt.datetime | None = None) -> Ticket:
    """Count one hit for each (rule, key), or raise ``Throttled`` (counting nothing) when a key is blocked.

    Without a database transaction around it the hit is committed at once, so other processes see it.
    """
    now = now or timezone.now()
    wanted = {(rule.scope, digest(rule.scope, key)): rule for rule, key in checks}
    created = False
    with transaction.atomic():
        rows = _lock(wanted)
        missing = [key for key in wanted if key not in rows]
        if missing:
            Throttle.objects.bulk_create(
                [Throttle(scope=s, key=k, window_start=now, expires_at=now) for s, k in missing],
                ignore_conflicts=True,
            )
            rows = _lock(wanted)
            created = True
        blocks = [
            (row.blocked_until, scope)
            for (scope, _key), row in rows.items()
            if row.blocked_until is not None and now < row.blocked_until
        ]
        if blocks:
            until, scope = max(blocks)
            raise Throttled(until, scope)
        ticket = Ticket([_hit(rows[key], rule, now) for key, rule in sorted(wanted.items())])
    if created:
        prune_if_due(now)
    return ticket


def prune(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete throttle rows that no longer block or count anything, and login attempts older than
    ``WAARDEWERK_LOGIN_ATTEMPT_DAYS``. Returns the numbers deleted."""
    now = now or timezone.now()
    throttles, _ = Throttle.objects.filter(expires_at__lt=now).delete()
    cutoff = now - dt.timedelta(days=settings.WAARDEWERK_LOGIN_ATTEMPT_DAYS)
    attempts, _ = LoginAttempt.objects.filter(at__lt=cutoff).delete()
    return throttles, attempts


def prune_if_due(now: dt.datetime) -> None:
    """Prune at most once a minute per process, when a new key appeared (so the table cannot grow
    without bound under a flood of new addresses or names)."""
    global _last_prune
    if _last_prune is not None and _last_prune <= now < _last_prune + PRUNE_EVERY:
        return
    _last_prune = now
    deleted = prune(now)
    if any(deleted):
        logger.info("Pruned %d throttle rows and %d login attempts.", *deleted)
