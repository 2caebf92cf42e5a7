"""Reads of instruments and measurements, shaped for the pages (a fixed number of queries each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, QuerySet

from waardewerk.instruments import policies, versions
from waardewerk.instruments.definition import Definition, localised
from waardewerk.instruments.models import Instrument, InstrumentVersion, Measurement, MeasurementStatus
from waardewerk.instruments.schedules import Due, due_for, schedules_for


def catalogue() -> list[tuple[Instrument, Definition]]:
    instruments = Instrument.objects.select_related("current").exclude(current=None).order_by("key")
    return [(instrument, Definition(instrument.current.definition)) for instrument in instruments]


def definitions_by_key() -> dict[str, Definition]:
    """The current definition of every instrument, by key (for titles and summaries; cached)."""
    return {key: definition for key, (_current, definition) in versions.current_definitions().items()}


def instrument_detail(key: str) -> tuple[Instrument, Definition, list[InstrumentVersion]] | None:
    instrument = Instrument.objects.select_related("current").filter(key=key).exclude(current=None).first()
    if instrument is None:
        return None
    versions = list(instrument.versions.defer("definition").order_by("-version"))
    return instrument, Definition(instrument.current.definition), versions


def measurement_queryset(actor) -> QuerySet[Measurement]:
    return policies.visible_measurements(actor).select_related(
        "trajectory__client", "instrument", "instrument_version", "entered_by", "corrects"
    )


def _current_only(queryset: QuerySet[Measurement]) -> QuerySet[Measurement]:
    """Submitted measurements that no submitted correction replaces."""
    corrected = Measurement.objects.filter(corrects=OuterRef("pk"), status=MeasurementStatus.SUBMITTED)
    return queryset.filter(status=MeasurementStatus.SUBMITTED).exclude(Exists(corrected))


def definitions_for(measurements) -> dict[int, Definition]:
    """The definitions of the versions these measurements were taken with (a query only for versions
    this process has not read before)."""
    return versions.definitions(m.instrument_version_id for m in measurements)


def trajectory_measurements(trajectory) -> list[Measurement]:
    """The trajectory's current submitted measurements, oldest first (corrections replace originals)."""
    return list(
        _current_only(Measurement.objects.filter(trajectory=trajectory))
        .select_related("instrument", "entered_by")
        .order_by("taken_on", "submitted_at", "id")
    )


@dataclass(frozen=True)
class TrajectoryMeasurements:
    current: list[Measurement]  # as trajectory_measurements
    drafts: list[Measurement]  # as trajectory_drafts
    last_taken: dict[int, dt.date]  # per instrument id: the latest date of a submitted measurement


def trajectory_measurement_sets(trajectory) -> TrajectoryMeasurements:
    """The trajectory's current measurements, its drafts and the last date per instrument, from one query
    (the effect view). A trajectory has tens of measurements, so sorting them out here costs less than
    asking the database three times."""
    rows = list(
        Measurement.objects.filter(trajectory=trajectory)
        .select_related("instrument")
        .defer("answers", "notes", "correction_reason")  # the view shows scores, not answers or notes
        .order_by("taken_on", "submitted_at", "id")
    )
    submitted = [m for m in rows if m.status == MeasurementStatus.SUBMITTED]
    corrected = {m.corrects_id for m in submitted if m.corrects_id is not None}
    drafts = [m for m in rows if m.status == MeasurementStatus.DRAFT and not m.entered_by_client]
    last_taken: dict[int, dt.date] = {}
    for m in submitted:
        last_taken[m.instrument_id] = max(m.taken_on, last_taken.get(m.instrument_id, m.taken_on))
    return TrajectoryMeasurements(
        current=[m for m in submitted if m.pk not in corrected],
        drafts=sorted(drafts, key=lambda m: m.updated_at, reverse=True),
        last_taken=last_taken,
    )


def trajectory_drafts(trajectory) -> list[Measurement]:
    """The professionals' drafts; a draft the client saves in the portal is the client's to finish (the
    portal card shows it)."""
    return list(
        Measurement.objects.filter(
            trajectory=trajectory, status=MeasurementStatus.DRAFT, entered_by_client=False
        )
        .select_related("instrument", "entered_by")
        .order_by("-updated_at")
    )


def correction_chain(measurement: Measurement) -> list[Measurement]:
    """The measurement's earlier versions (what it corrects, and so on) and later corrections."""
    chain = [measurement]
    earlier = measurement.corrects
    while earlier is not None and len(chain) < 50:
        chain.append(earlier)
        earlier = Measurement.objects.select_related("corrects", "entered_by").get(pk=earlier.pk).corrects
    later = list(
        Measurement.objects.filter(corrects=measurement).select_related("entered_by").order_by("submitted_at")
    )
    return later + chain


@dataclass(frozen=True)
class DueRow:
    key: str
    title: str
    due: Due
    instrument_id: int


def due_overview(trajectory, last_taken: dict[int, dt.date] | None = None) -> list[DueRow]:
    """Per scheduled instrument: last measurement and when the next one is due (2 queries, 1 with
    ``last_taken``, the latest date of a submitted measurement per instrument id)."""
    if not trajectory.is_open:
        return []
    schedules = schedules_for(trajectory.organisation_id)
    prefetched = getattr(trajectory, "_prefetched_objects_cache", {}).get("measurements")
    if last_taken is not None:
        last = last_taken
    elif prefetched is not None:  # the trajectory page prefetches the submitted measurements
        last: dict = {}
        for m in prefetched:
            if m.instrument_id not in last or m.taken_on > last[m.instrument_id]:
                last[m.instrument_id] = m.taken_on
    else:
        last = dict(
            Measurement.objects.filter(trajectory=trajectory, status=MeasurementStatus.SUBMITTED)
            .values_list("instrument_id")
            .annotate(last=Max("taken_on"))
        )
    return [
        DueRow(due.schedule.key, localised(due.schedule.titles), due, due.schedule.instrument_id)
        for due in due_for(trajectory, schedules, last)
    ]


def overdue_count(trajectories: QuerySet, today: dt.date) -> int:
    return trajectories.filter(end_date__isnull=True, measurement_due_on__lt=today).count()
