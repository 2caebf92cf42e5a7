"""When a trajectory's next measurements are due: the effective schedule per instrument for an
organisation (its own, or the definition's default) and the due dates it gives. Reads only; services
(``refresh_due``) and selectors (``due_overview``) both use them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

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


@dataclass(slots=True)
class CurrentVersion:
    id: int
    checksum: str
    definition: dict | None = None  # the stored definition, from this process (``versions.attach_current``)


@dataclass(slots=True)
class CurrentInstrument:
    """An instrument with its current version (without the definition) and the organisation's own schedule,
    if any, read as one row (``current_with_own``), not as model instances."""

    id: int
    key: str
    current: CurrentVersion
    own_active: bool | None
    own_interval: int | None
    own_first: int | None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def current_id(self) -> int:
        return self.current.id


def current_with_own(organisation_id: int) -> list[CurrentInstrument]:
    """Every instrument that has a current version, with its checksum and the organisation's own schedule,
    in one query written as SQL: the trajectory section and the effect view read it on every request, and
    as a queryset (the current version joined, its definition deferred, three annotations) compiling it
    cost more Python than the database takes to run it (docs/performance.md)."""
    instrument = Instrument._meta.db_table
    version = Instrument._meta.get_field("current").related_model._meta.db_table
    schedule = InstrumentSchedule._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.id, i.key, v.id, v.checksum, s.active, s.interval_days, s.first_within_days "  # noqa: S608 - table names from the models
            f"FROM {instrument} i JOIN {version} v ON v.id = i.current_id "
            f"LEFT JOIN {schedule} s ON s.instrument_id = i.id AND s.organisation_id = %s",
            [organisation_id],
        )
        rows = cursor.fetchall()
    instruments = [
        CurrentInstrument(
            pk,
            key,
            CurrentVersion(version_id, checksum),
            None if active is None else bool(active),
            every,
            first,
        )
        for pk, key, version_id, checksum, active, every, first in rows
    ]
    versions.attach_current(instruments)  # the definitions, read once per process
    return instruments


def schedules_for(organisation_id: int, instruments: list[Instrument] | None = None) -> list[Schedule]:
    """The effective schedule of every instrument for an organisation: one query; none when the instruments
    with their current version come from ``current_with_own`` (one more when they come without it)."""
    if instruments is None:
        instruments = current_with_own(organisation_id)
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
