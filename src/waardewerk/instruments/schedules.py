"""When a trajectory's next measurements are due: the effective schedule per instrument for an
organisation (its own, or the definition's default) and the due dates it gives. Reads only; services
(``refresh_due``) and selectors (``due_overview``) both use them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, IntegerField, QuerySet
from django.utils import timezone

from waardewerk.core import sql
from waardewerk.instruments import versions
from waardewerk.instruments.models import Instrument, InstrumentSchedule


@dataclass(frozen=True)
class Schedule:
    instrument_id: int
    key: str
    active: bool
    interval_days: int
    first_within_days: int
    from_organisation: bool
    titles: dict | None = None
    respondents: tuple[str, ...] = ("client",)


def with_own_schedules(instruments: QuerySet[Instrument], organisation_id: int) -> QuerySet[Instrument]:
    """The instruments with the organisation's own schedule, if any (``own_active``, ``own_interval``,
    ``own_first``), so ``schedules_for`` needs no query of its own: subqueries on the unique index
    (organisation, instrument), in SQL (``core.sql.RowSQL``; the trajectory section reads them on every
    request)."""
    own = "FROM instruments_instrumentschedule WHERE organisation_id = %s AND instrument_id = {outer}.id"
    return instruments.annotate(
        own_active=sql.RowSQL(f"SELECT active {own}", (organisation_id,), output_field=BooleanField()),
        own_interval=sql.RowSQL(
            f"SELECT interval_days {own}", (organisation_id,), output_field=IntegerField()
        ),
        own_first=sql.RowSQL(
            f"SELECT first_within_days {own}", (organisation_id,), output_field=IntegerField()
        ),
    )


def schedules_for(organisation_id: int, instruments: list[Instrument] | None = None) -> list[Schedule]:
    """The effective schedule of every instrument for an organisation: one query; none when the instruments
    with their current version come from ``with_own_schedules`` (one more when they come without it)."""
    if instruments is None:
        current = (
            Instrument.objects.select_related("current").defer("current__definition").exclude(current=None)
        )
        instruments = list(with_own_schedules(current, organisation_id))
        versions.attach_current(instruments)  # the definitions, read once per process
    elif instruments and not hasattr(instruments[0], "own_active"):
        overrides = {
            s.instrument_id: s for s in InstrumentSchedule.objects.filter(organisation_id=organisation_id)
        }
        for instrument in instruments:
            own = overrides.get(instrument.pk)
            instrument.own_active = own.active if own else None
            instrument.own_interval = own.interval_days if own else None
            instrument.own_first = own.first_within_days if own else None
    out = []
    for instrument in sorted(instruments, key=lambda i: i.key):
        definition = instrument.current.definition
        default = definition.get("schedule")
        titles = definition.get("short_title") or definition.get("title")
        respondents = tuple(definition.get("respondents") or ("client",))
        if instrument.own_active is not None:
            out.append(
                Schedule(
                    instrument.pk,
                    instrument.key,
                    instrument.own_active,
                    instrument.own_interval,
                    instrument.own_first,
                    True,
                    titles,
                    respondents,
                )
            )
        elif default:
            out.append(
                Schedule(
                    instrument.pk,
                    instrument.key,
                    True,
                    default["interval_days"],
                    default["first_within_days"],
                    False,
                    titles,
                    respondents,
                )
            )
    return out


@dataclass(frozen=True)
class Due:
    schedule: Schedule
    last_taken_on: dt.date | None
    due_on: dt.date

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()


def due_for(trajectory, schedules: list[Schedule], last_taken: dict[int, dt.date]) -> list[Due]:
    """``trajectory`` needs only a ``start_date``."""
    out = []
    for schedule in schedules:
        if not schedule.active:
            continue
        last = last_taken.get(schedule.instrument_id)
        if last is not None:
            due_on = last + dt.timedelta(days=schedule.interval_days)
        else:
            due_on = trajectory.start_date + dt.timedelta(days=schedule.first_within_days)
        out.append(Due(schedule, last, due_on))
    return out
