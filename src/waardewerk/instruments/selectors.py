"""Reads of instruments and measurements, shaped for the pages (a fixed number of queries each)."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse

from waardewerk.core import sql
from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.formats import day
from waardewerk.instruments import policies, versions
from waardewerk.instruments.definition import Definition, by_order, localised
from waardewerk.instruments.models import Instrument, InstrumentVersion, Measurement, MeasurementStatus
from waardewerk.instruments.schedules import Due, current_with_own, due_for, schedules_for
from waardewerk.trajectories import instrument_roles
from waardewerk.trajectories import policies as trajectory_policies
from waardewerk.trajectories.models import Trajectory


def catalogue() -> list[tuple[Instrument, Definition]]:
    instruments = Instrument.objects.select_related("current").exclude(current=None).order_by("key")
    return [(instrument, Definition(instrument.current.definition)) for instrument in instruments]


def current_instruments(organisation_id: int | None = None) -> list[tuple[Instrument, Definition]]:
    """Every instrument with its current definition, in the effect view's order (one query). Pages that need
    both the schedules and the instruments' roles load this once and pass it on; with ``organisation_id``
    the organisation's own schedules come along (``schedules.current_with_own``)."""
    # The definitions themselves (tens of kilobytes of JSON each) are read and parsed once per process
    # (``versions``; checked against the version's checksum): a fresh process asks once more.
    if organisation_id is not None:  # the pages opened most: one row per instrument, no queryset
        instruments = current_with_own(organisation_id)
    else:
        instruments = list(
            Instrument.objects.select_related("current").defer("current__definition").exclude(current=None)
        )
        versions.attach_current(instruments)
    pairs = [(i, versions.definition(i.current_id, i.current_id)) for i in instruments]
    return sorted(pairs, key=lambda pair: (pair[1].roles.order, pair[0].key))


def definitions_by_key(
    instruments: list[tuple[Instrument, Definition]] | None = None,
) -> dict[str, Definition]:
    """The current definition of every instrument, by key, in the effect view's order (one query, or none
    when ``instruments`` from ``current_instruments`` is given)."""
    if instruments is None:
        instruments = current_instruments()
    return {instrument.key: definition for instrument, definition in instruments}


def outcome_definition(definitions: dict[str, Definition] | None = None) -> Definition | None:
    """The instrument whose level is the evaluation's outcome (``roles.outcome: level``), first in order."""
    return instrument_roles.outcome_definition(
        definitions if definitions is not None else definitions_by_key()
    )


def matching_instrument(
    instruments: list[tuple[Instrument, Definition]] | None = None,
) -> tuple[Instrument, Definition] | None:
    """The instrument whose measurements are the client's side of the value fit (``roles.matching:
    work_values``, docs/matching.md), first in order; None when no instrument declares it."""
    if instruments is None:
        instruments = current_instruments()
    return next(((i, d) for i, d in instruments if d.roles.matching == "work_values"), None)


def role_instrument_keys(role: str, value: str) -> QuerySet:
    """The keys of the instruments whose current definition declares ``roles.<role>: <value>``, by key: for a
    subquery where :func:`matching_instrument` would cost a query of its own (a start-page signal). Read in
    the stored definition, the same place ``Definition.roles`` reads."""
    return (
        Instrument.objects.exclude(current=None)
        .filter(**{f"current__definition__roles__{role}": value})
        .order_by("key")
        .values("key")
    )


def latest_scores(instrument_id: int, trajectory_ids) -> dict[int, tuple[dt.date, dict]]:
    """Per trajectory the date and score of its latest current submitted measurement of an instrument
    (corrections replace originals), in one query. Callers scope the trajectories by a policy."""
    rows = (
        _current_only(
            Measurement.objects.filter(trajectory_id__in=trajectory_ids, instrument_id=instrument_id)
        )
        .order_by("trajectory_id", "-taken_on", "-submitted_at", "-id")
        .values_list("trajectory_id", "taken_on", "score")
    )
    latest: dict[int, tuple[dt.date, dict]] = {}
    for trajectory_id, taken_on, score in rows:
        latest.setdefault(trajectory_id, (taken_on, score or {}))
    return latest


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


@dataclass(frozen=True)
class Definitions:
    """``versions``: per version id the definition it holds, with the roles of its instrument's current
    version (an older version may have none); ``current``: per key the current definition, in order."""

    versions: dict[int, Definition]
    current: dict[str, Definition]


def _definitions(measurements, *, every_instrument: bool) -> Definitions:
    """One small query for which versions are needed and which are current (ids only); the definitions
    themselves come from ``versions``, which reads each stored definition once per process."""
    ids = {m.instrument_version_id for m in measurements}
    current_of = Instrument.objects.exclude(current=None)
    if not every_instrument:
        if not ids:
            return Definitions({}, {})
        current_of = current_of.filter(pk__in={m.instrument_id for m in measurements})
    rows = list(
        InstrumentVersion.objects.filter(
            Q(pk__in=ids) | Q(pk__in=current_of.values("current_id"))
        ).values_list("pk", "instrument__current_id")
    )
    versions.load({pk for pk, _current in rows} | {current for _pk, current in rows if current})
    currents = {current for pk, current in rows if pk == current}
    return Definitions(
        {pk: versions.definition(pk, current) for pk, current in rows if pk in ids},
        {d.key: d for d in by_order(versions.definition(pk, pk) for pk in sorted(currents))},
    )


def definitions_for(measurements, instruments=None) -> dict[int, Definition]:
    """The definitions of the versions these measurements were taken with, each with the roles of its
    instrument's current version (one query; none with ``instruments`` from ``current_instruments``, which
    name every instrument's current version already)."""
    if instruments is None:
        return _definitions(measurements, every_instrument=False).versions
    current = {instrument.pk: instrument.current_id for instrument, _definition in instruments}
    used = {m.instrument_version_id: current.get(m.instrument_id) for m in measurements}
    versions.load(used.keys())  # the definitions this process does not hold yet
    return {pk: versions.definition(pk, current_id) for pk, current_id in used.items()}


def definition_set(measurements=()) -> Definitions:
    """The definitions of these measurements' versions and the current definition of every instrument, in
    one query: for pages that show measurements and also need every instrument's roles (the evaluation, the
    reports)."""
    return _definitions(measurements, every_instrument=True)


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
    submitted: list[Measurement]  # every submitted one, corrected or not (for what is due)


# What the effect view reads of a measurement (``effect.build``, its table, what is due and the drafts).
EFFECT_COLUMNS = (
    "trajectory",
    "uuid",
    "instrument__key",
    "instrument_version",
    "respondent",
    "phase",
    "taken_on",
    "status",
    "score",
    "entered_by_client",
    "submitted_at",
    "updated_at",
    "corrects",
)


# The effect view's two queries, compiled once per process (``core.compiled``: building and compiling them
# cost the page more Python than the database took to run them); each request gives its values.
_EFFECT_TRAJECTORY = CompiledQuery(
    lambda *, scope, key: (
        Trajectory.objects.filter(pk__in=scope, uuid=key)
        .select_related("client")
        .defer("question", "end_note", "client__bsn")[:1]
    ),
    rows="objects",
)
_EFFECT_MEASUREMENTS = CompiledQuery(
    lambda *, trajectory_id: (
        Measurement.objects.filter(trajectory_id=trajectory_id)
        .select_related("instrument")
        .only(*EFFECT_COLUMNS)  # the view shows scores, not answers or notes
        .order_by("taken_on", "submitted_at", "id")
    ),
    rows="objects",
)


def effect_trajectory(actor):
    """A function that finds a trajectory the actor may see (``policies.visible_trajectory_ids``) by its
    UUID for the effect view, or gives None (for ``readable_trajectory``): with its client, without the
    encrypted columns the page does not show (the question, the closing note, the BSN: not decrypted)."""

    def find(key):
        found = _EFFECT_TRAJECTORY(scope=trajectory_policies.visible_trajectory_ids(actor), key=key)
        return found[0] if found else None

    return find


def trajectory_measurement_sets(trajectory) -> TrajectoryMeasurements:
    """The trajectory's current measurements, its drafts and all its submitted ones, from one query (the
    effect view). A trajectory has tens of measurements, so sorting them out here costs less than asking
    the database three times."""
    rows = _EFFECT_MEASUREMENTS(trajectory_id=trajectory.pk)
    submitted = [m for m in rows if m.status == MeasurementStatus.SUBMITTED]
    corrected = {m.corrects_id for m in submitted if m.corrects_id is not None}
    drafts = [m for m in rows if m.status == MeasurementStatus.DRAFT and not m.entered_by_client]
    return TrajectoryMeasurements(
        current=[m for m in submitted if m.pk not in corrected],
        drafts=sorted(drafts, key=lambda m: m.updated_at, reverse=True),
        submitted=submitted,
    )


class InstrumentRef(NamedTuple):
    id: int
    key: str


@dataclass(frozen=True, slots=True)
class PageMeasurement:
    """A measurement as the trajectory section shows it (no answers, scores or notes): what is due, the
    phase checklist and the drafts to finish. Read from the trajectory's row (``page_measurement_rows``),
    not as model instances; ``display`` gives its choices' labels as it does a ``Measurement``'s."""

    _meta: ClassVar = Measurement._meta  # the choices' labels (the ``display`` filter)

    id: int
    uuid: uuid_module.UUID
    instrument: InstrumentRef
    respondent: str
    phase: str
    taken_on: dt.date
    status: str
    entered_by_client: bool
    updated_at: dt.datetime

    @property
    def instrument_id(self) -> int:
        return self.instrument.id


def page_measurement_rows() -> sql.RowSQL:
    """The annotation on a trajectory's row (``measurement_rows``) that ``page_measurements`` reads: its
    submitted measurements and the professionals' drafts, as one JSON array (a subquery on the measurements'
    trajectory index; no query of its own, no query to compile per request)."""
    measurement = Measurement._meta.db_table
    instrument = Instrument._meta.db_table
    columns = ("id", "uuid", "respondent", "phase", "taken_on", "status", "entered_by_client", "updated_at")
    return sql.json_rows(
        {**{column: f"m.{column}" for column in columns}, "instrument_id": "i.id", "key": "i.key"},
        f"FROM {measurement} m JOIN {instrument} i ON i.id = m.instrument_id "
        "WHERE m.trajectory_id = {outer}.id"
        " AND (m.status = %s OR (m.status = %s AND NOT m.entered_by_client))",
        (MeasurementStatus.SUBMITTED.value, MeasurementStatus.DRAFT.value),
    )


def page_measurements(trajectory, *, drafts: bool) -> tuple[list[PageMeasurement], list[PageMeasurement]]:
    """For the trajectory section, from the trajectory's ``measurement_rows`` (``page_measurement_rows``),
    newest first: the submitted measurements (instrument key, respondent, phase, day: for what is due and
    the phase checklist) and, with ``drafts``, the professionals' drafts (as ``trajectory_drafts``)."""
    rows = [
        PageMeasurement(
            row["id"],
            uuid_module.UUID(row["uuid"]),
            InstrumentRef(row["instrument_id"], row["key"]),
            row["respondent"],
            row["phase"],
            sql.read_date(row["taken_on"]),
            row["status"],
            bool(row["entered_by_client"]),
            sql.read_datetime(row["updated_at"]),
        )
        for row in sql.read_json(trajectory.measurement_rows)
    ]
    rows.sort(key=lambda m: (m.updated_at, m.id), reverse=True)
    submitted = [m for m in rows if m.status == MeasurementStatus.SUBMITTED]
    return submitted, [m for m in rows if m.status == MeasurementStatus.DRAFT] if drafts else []


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
    """A row of the table of what is due, with its dates and link formatted once (the table is on the
    trajectory section and the effect view)."""

    key: str
    title: str
    due: Due
    instrument_id: int
    last_day: str = ""  # the last measurement's date as shown, "" for none
    due_day: str = ""
    new_url: str = ""  # the measurement form (``instruments:new``)
    several_respondents: bool = False


def due_overview(
    trajectory, instruments: list[tuple[Instrument, Definition]] | None = None, submitted=None
) -> list[DueRow]:
    """Per scheduled instrument: last measurement and when the next one is due. Two queries; one less with
    ``instruments`` from ``current_instruments(organisation_id)`` and one less with the submitted
    measurements at hand (``submitted``, as ``page_measurements`` gives them)."""
    if not trajectory.is_open:
        return []
    schedules = schedules_for(
        trajectory.organisation_id, [i for i, _d in instruments] if instruments is not None else None
    )
    if submitted is not None:
        last: dict = {}
        for m in submitted:
            if m.instrument_id not in last or m.taken_on > last[m.instrument_id]:
                last[m.instrument_id] = m.taken_on
    else:
        last = dict(
            Measurement.objects.filter(trajectory=trajectory, status=MeasurementStatus.SUBMITTED)
            .values_list("instrument_id")
            .annotate(last=Max("taken_on"))
        )
    new_url = reverse("instruments:new", args=[trajectory.uuid, _KEY])  # one reverse, filled in per row
    return [
        DueRow(
            due.schedule.key,
            localised(due.schedule.titles),
            due,
            due.schedule.instrument_id,
            last_day=day(due.last_taken_on),
            due_day=day(due.due_on),
            new_url=new_url.replace(_KEY, due.schedule.key),
            several_respondents=len(due.schedule.respondents) > 1,
        )
        for due in due_for(trajectory, schedules, last)
    ]


_KEY = "instrument-key"  # a placeholder the key's URL converter (slug) accepts


def overdue_count(trajectories: QuerySet, today: dt.date) -> int:
    return trajectories.filter(end_date__isnull=True, measurement_due_on__lt=today).count()
