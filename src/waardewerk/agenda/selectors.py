"""Reads of the agenda: one query per list, scoped by ``policies``."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from waardewerk.agenda import policies
from waardewerk.agenda.models import Appointment, CalendarFeed
from waardewerk.agenda.services import digest
from waardewerk.core.access import get_for_actor

# The calendar feed carries the appointments of this window around today.
FEED_PAST_DAYS, FEED_FUTURE_DAYS, FEED_LIMIT = 31, 366, 2000


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def between(actor, first: dt.date, last: dt.date) -> QuerySet[Appointment]:
    """The actor's appointments from ``first`` up to and including ``last`` (cancelled ones too), with the
    client of each: one query."""
    return (
        policies.visible_appointments(actor)
        .filter(starts_at__gte=_start_of(first), starts_at__lt=_start_of(last + dt.timedelta(days=1)))
        .select_related("trajectory__client")
        .defer("trajectory__client__bsn", "trajectory__question", "trajectory__end_note")
        .order_by("starts_at", "id")
    )


def readable_appointment(actor, public_id) -> Appointment:
    """One of the actor's appointments; the same 404 for one that does not exist and one of someone else."""
    return get_for_actor(
        policies.visible_appointments(actor).select_related("trajectory__client"),
        public_id,
        known=lambda: policies.visible_appointments(actor),
    )


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def coming_for_client(actor, trajectory, now=None) -> list[Appointment]:
    """The client's coming appointments of this trajectory (portal): not cancelled, from today on."""
    now = now or timezone.now()
    return list(
        policies.client_appointments(actor)
        .filter(trajectory=trajectory, starts_at__gte=_start_of(timezone.localtime(now).date()))
        .select_related("owner")
        .order_by("starts_at", "id")[:50]
    )


def feed_owner(token: str):
    """The user whose feed this secret opens (an active case worker), or None."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.filter(token_digest=digest(token)).select_related("user").first()
    if feed is None or not policies.may_use_agenda(feed.user):
        return None
    return feed.user


def feed_appointments(user, now=None) -> list[Appointment]:
    today = timezone.localtime(now or timezone.now()).date()
    return list(
        between(
            user, today - dt.timedelta(days=FEED_PAST_DAYS), today + dt.timedelta(days=FEED_FUTURE_DAYS)
        ).only(
            "uuid",
            "kind",
            "starts_at",
            "duration",
            "version",
            "cancelled_at",
            "updated_at",
            "trajectory",
            "trajectory__client",
            "trajectory__client__first_name",
            "trajectory__client__last_name",
        )[:FEED_LIMIT]
    )


def feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()
