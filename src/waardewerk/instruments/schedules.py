"""When a trajectory's next measurements are due: the effective schedule per instrument for an
organisation (its own, or the definition's default) and the due dates it gives (reads only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from waardewerk.instruments import versions
from waardewerk.instruments.models import InstrumentSchedule


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


def schedules_for(organisation_id: int) -> list[Schedule]:
    """The effective schedule of every instrument for an organisation (one query, and the shared cache's
    list of current versions)."""
    overrides = {
        s.instrument_id: s for s in InstrumentSchedule.objects.filter(organisation_id=organisation_id)
    }
    out = []
    for key, (current, parsed) in sorted(versions.current_definitions().items()):
        own = overrides.get(current.instrument_id)
        definition = parsed.data
        default = definition.get("schedule")
        titles = definition.get("short_title") or definition.get("title")
        respondents = tuple(definition.get("respondents") or ("client",))
        if own is not None:
            out.append(
                Schedule(
                    current.instrument_id,
                    key,
                    own.active,
                    own.interval_days,
                    own.first_within_days,
                    True,
                    titles,
                    respondents,
                )
            )
        elif default:
            out.append(
                Schedule(
                    current.instrument_id,
                    key,
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
