"""Synthetic data at scale: ``waardewerk generate --clients N --seed S``.

Where ``waardewerk demo`` builds one small, hand-shaped organisation, the generator fills a database with
tens or hundreds of thousands of clients and everything that belongs to them, in proportions that resemble
practice (docs/performance.md, "Generated data"), for load tests and the benchmark suite (``make bench``).

- **Deterministic.** Every value comes from ``random.Random(seed)`` and the base date (``today``, by
  default the current date; pin it with ``--today``). Public ids are derived from the seed, the table and
  the row's primary key (a BLAKE2 hash), so the same seed on the same database gives the same data, ids
  and access-log hashes.
- **Fast.** Rows are written with ``COPY`` (PostgreSQL) or ``executemany`` (SQLite) through
  :class:`waardewerk.sampledata.bulk.TableWriter`, in chunks of clients, all in one transaction.
- **Honest.** Encrypted fields are encrypted as on any save; BSNs pass the elfproef and are unique; the
  access-log rows are chained with the same hash function as ``audit_record`` (``audit.services.canonical``),
  continuing the existing chain, so ``waardewerk audit verify`` passes.
- **Careful.** It refuses a database that already holds clients unless ``append=True`` (``--append``),
  which adds a new, separate set of organisations next to what is there.

Names, places and texts come from the same data files as the demo's (``sampledata/data/``); nothing is
downloaded. Measurements are made for every loaded instrument from its definition (``measurements.py``) and
scored with the instruments app's own ``scoring.score``; the cycle (plan versions with agreement, progress
notes, adjustments, evaluations; conversation guide topics) follows the same rules as the demo
(``cycle.py``, ``plans.py``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import math
import random
import time
import uuid as uuid_lib
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from waardewerk.accounts.models import (
    Organisation,
    OrganisationKind,
    Profession,
    Role,
    Team,
    TeamMembership,
    User,
)
from waardewerk.audit.models import AccessEvent, AuditAction
from waardewerk.audit.services import GENESIS, canonical
from waardewerk.clients.models import Client, Consent, ConsentKind, ConsentVia
from waardewerk.instruments import projection as instrument_projection
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.instruments.services import due_for, schedules_for
from waardewerk.intervision.models import Experiment, IntervisionGroup, IntervisionSession
from waardewerk.intervision.services import METHODS
from waardewerk.knowledge.models import PlanChoiceEntry
from waardewerk.knowledge.selectors import current_guide
from waardewerk.portal import projection as portal_projection
from waardewerk.sampledata import cycle, measurements, names, plans
from waardewerk.sampledata.bulk import PreparedJSON, TableWriter, indexes_deferred, large_cache
from waardewerk.sampledata.generator_version import GENERATOR_VERSION  # noqa: F401 (re-exported)
from waardewerk.sampledata.measurements import InstrumentModel, Planned
from waardewerk.sampledata.texts import load
from waardewerk.sampledata.timeline import Row, meta
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories import projection
from waardewerk.trajectories.models import (
    Action,
    ActionStatus,
    Adjustment,
    AssignmentKind,
    Context,
    Conversation,
    ConversationMode,
    EndReason,
    Evaluation,
    Handover,
    Phase,
    PhaseChange,
    PlanAgreement,
    PlanVersion,
    ProgressNote,
    Trajectory,
    TrajectoryAssignment,
)

# The source of each kind of row in its timeline entries (``_meta.label_lower``).
META = {
    model._meta.model_name: meta(model)
    for model in (
        Consent,
        Trajectory,
        PhaseChange,
        Conversation,
        Action,
        Handover,
        TrajectoryAssignment,
        Measurement,
        PlanVersion,
        PlanAgreement,
        ProgressNote,
        Adjustment,
        Evaluation,
    )
}

# ---------------------------------------------------------------------------------------------------------
# Proportions (documented in docs/performance.md, "Generated data")
# ---------------------------------------------------------------------------------------------------------

CLIENTS_PER_PROFESSIONAL = 60
PROFESSIONALS_PER_TEAM = 8
CHUNK_CLIENTS = 1000
# Below this many clients one municipality holds everything; from it on, four organisations of different
# kinds share the clients (the largest, a municipality, holds half).
MULTI_ORGANISATION_FROM = 10_000
ORGANISATION_PLAN = tuple(  # kind, name, share of the clients (data/organisations.yaml)
    (row["kind"], row["name"], row["share"]) for row in load("organisations")["organisations"]
)
TOWNS = tuple(load("places")["towns"])
# Contexts of the trajectories per kind of organisation (weights).
CONTEXT_MIX = {
    OrganisationKind.MUNICIPALITY: {
        Context.PARTICIPATION_ACT: 80,
        Context.OTHER: 12,
        Context.DISABILITY: 5,
        Context.UNEMPLOYMENT: 3,
    },
    OrganisationKind.BENEFITS_AGENCY: {
        Context.UNEMPLOYMENT: 50,
        Context.DISABILITY: 35,
        Context.OTHER: 10,
        Context.SECOND_TRACK: 5,
    },
    OrganisationKind.REINTEGRATION_COMPANY: {
        Context.SECOND_TRACK: 35,
        Context.DISABILITY: 20,
        Context.FIRST_TRACK: 15,
        Context.UNEMPLOYMENT: 15,
        Context.PARTICIPATION_ACT: 15,
    },
    OrganisationKind.OCCUPATIONAL_HEALTH: {Context.FIRST_TRACK: 70, Context.SECOND_TRACK: 30},
}
PROFESSION_MIX = {
    OrganisationKind.MUNICIPALITY: {Profession.CLIENT_MANAGER: 70, Profession.JOB_COACH: 30},
    OrganisationKind.BENEFITS_AGENCY: {
        Profession.EMPLOYMENT_EXPERT: 50,
        Profession.CLIENT_MANAGER: 30,
        Profession.JOB_COACH: 20,
    },
    OrganisationKind.REINTEGRATION_COMPANY: {
        Profession.JOB_COACH: 50,
        Profession.EMPLOYMENT_EXPERT: 30,
        Profession.OTHER: 20,
    },
    OrganisationKind.OCCUPATIONAL_HEALTH: {Profession.EMPLOYMENT_EXPERT: 80, Profession.OTHER: 20},
}
TEAM_NAMES = tuple(load("organisations")["team_names"])
TEAM_PREFIX = dict(load("organisations")["team_prefix"])
OPEN_SHARE = 0.8  # clients with an open trajectory; the others' trajectories are all closed
EARLIER_TRAJECTORY_SHARE = 0.2  # clients with an open trajectory who had an earlier, closed one
SECOND_CLOSED_SHARE = 0.15  # clients without an open trajectory who had two closed ones
BSN_SHARE = 0.7
ASSIGNMENT_SHARE = 0.06  # open trajectories with an active colleague (co-professional or substitute)
PAST_ASSIGNMENT_SHARE = 0.04  # trajectories with an assignment that has ended
HANDOVER_SHARE = 0.1
RESEARCH_CONSENT_SHARE = 0.35  # clients who consented to use in research (pseudonymised)
RESEARCH_WITHDRAWN_SHARE = 0.1  # of those, the share who withdrew it later
INTERVISION_SESSIONS = 8  # sessions of each team's OT-groep in the last year, every six weeks
INTERVISION_INTERVAL_DAYS = 42
TEAM_LEAD_CASELOAD = 0.05  # a team lead's caseload, relative to a full-time professional's
# Access-log rows besides those of every write: dossier views per conversation, and how often the
# trajectory page is opened too; caseload searches per professional per working day (the last year).
DOSSIER_VIEWS_PER_CONVERSATION = 1
TRAJECTORY_VIEW_SHARE = 0.3
CASELOAD_SEARCHES_PER_DAY = 0.6
# Measurements: the instruments came into use this long before the base date; older trajectories have none.
MEASUREMENTS_SINCE_DAYS = 730
EFFECT_VIEW_SHARE = 0.5  # after a round of measurements, the professional opens the effect view
CORRECTION_SHARE = 0.1  # trajectories with a repeated measurement whose last one was corrected
START_RANGE = {  # days ago an open trajectory in this phase started
    Phase.INTAKE: (3, 60),
    Phase.PLAN: (30, 120),
    Phase.EXECUTION: (60, 400),
    Phase.MONITORING: (90, 540),
    Phase.ADJUSTING: (120, 600),
    Phase.EVALUATION: (180, 720),
}
PARTICIPANTS = ["client", "professional"]
PARTICIPANTS_AT_WORK = ["client", "professional", "employer"]
SUFFIXES = ("", "", "", "a", "b")  # house number suffixes
END_REASON_MIX = {
    Context.FIRST_TRACK: {EndReason.WORK_OWN_EMPLOYER: 75, EndReason.HEALTH: 15, EndReason.OTHER: 10},
    Context.SECOND_TRACK: {
        EndReason.PAID_WORK: 55,
        EndReason.HEALTH: 20,
        EndReason.CLIENT_STOPPED: 10,
        EndReason.NO_LONGER_ELIGIBLE: 15,
    },
    Context.UNEMPLOYMENT: {
        EndReason.PAID_WORK: 60,
        EndReason.NO_LONGER_ELIGIBLE: 25,
        EndReason.EDUCATION: 5,
        EndReason.MOVED: 10,
    },
    Context.DISABILITY: {
        EndReason.PAID_WORK: 30,
        EndReason.HEALTH: 35,
        EndReason.OTHER_SUPPORT: 20,
        EndReason.CLIENT_STOPPED: 15,
    },
    Context.PARTICIPATION_ACT: {
        EndReason.PAID_WORK: 35,
        EndReason.EDUCATION: 10,
        EndReason.OTHER_SUPPORT: 20,
        EndReason.MOVED: 10,
        EndReason.CLIENT_STOPPED: 15,
        EndReason.HEALTH: 10,
    },
    Context.OTHER: {
        EndReason.PAID_WORK: 40,
        EndReason.OTHER_SUPPORT: 25,
        EndReason.CLIENT_STOPPED: 20,
        EndReason.OTHER: 15,
    },
}

# Access-log object types, as audit_record writes them (obj._meta.label_lower or a name).
(
    KIND_NONE,
    KIND_CLIENT,
    KIND_TRAJECTORY,
    KIND_CONVERSATION,
    KIND_ACTION,
    KIND_ASSIGNMENT,
    KIND_CASELOAD,
    KIND_MEASUREMENT,
    KIND_PLAN,
    KIND_AGREEMENT,
    KIND_NOTE,
    KIND_ADJUSTMENT,
    KIND_EVALUATION,
) = range(13)
OBJECT_TYPES = {
    KIND_NONE: "",
    KIND_CLIENT: Client._meta.label_lower,
    KIND_TRAJECTORY: Trajectory._meta.label_lower,
    KIND_CONVERSATION: Conversation._meta.label_lower,
    KIND_ACTION: Action._meta.label_lower,
    KIND_ASSIGNMENT: TrajectoryAssignment._meta.label_lower,
    KIND_CASELOAD: "caseload",
    KIND_MEASUREMENT: Measurement._meta.label_lower,
    KIND_PLAN: PlanVersion._meta.label_lower,
    KIND_AGREEMENT: PlanAgreement._meta.label_lower,
    KIND_NOTE: ProgressNote._meta.label_lower,
    KIND_ADJUSTMENT: Adjustment._meta.label_lower,
    KIND_EVALUATION: Evaluation._meta.label_lower,
}
ACTIONS = list(AuditAction.values)
A_VIEW, A_SEARCH, A_CREATE, A_CHANGE = (ACTIONS.index(a) for a in ("view", "search", "create", "change"))
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class _StartDate:
    """What ``instruments.services.due_for`` reads of a trajectory."""

    start_date: dt.date


class GenerateError(Exception):
    """The data cannot be generated here; the message says why."""


@dataclass
class GenerateResult:
    seed: int
    clients: int
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0
    organisations: list[str] = field(default_factory=list)
    encryption: dict[str, tuple[int, float]] = field(default_factory=dict)  # values and seconds per table


@dataclass
class _Org:
    id: int
    uuid: uuid_lib.UUID
    name: str
    kind: str
    town: str
    index: int
    clients: int
    professionals: list[_Staff] = field(default_factory=list)
    teams: list[_TeamInfo] = field(default_factory=list)
    cum_weights: list[float] = field(default_factory=list)
    case_workers: list[_Staff] = field(default_factory=list)


@dataclass
class _TeamInfo:
    id: int
    name: str
    lead: _Staff | None = None
    members: list[_Staff] = field(default_factory=list)


@dataclass
class _Staff:
    index: int
    id: int
    username: str
    role: str
    org: _Org
    team: _TeamInfo | None
    weight: float
    ip: str
    first_name: str = ""  # the name as the timeline shows a colleague (handovers, assignments)
    last_name: str = ""


def _weighted(mix: dict) -> tuple[list, list[float]]:
    values = list(mix)
    return values, list(accumulate(mix[v] for v in values))


class Generator:
    def __init__(
        self,
        *,
        clients: int,
        seed: int,
        today: dt.date | None = None,
        password: str | None = None,
        append: bool = False,
        progress: Callable[[str], None] | None = None,
    ):
        if clients < 1:
            raise GenerateError("Give at least one client (--clients).")
        self.n_clients = clients
        self.seed = seed
        self.today = today or timezone.localdate()
        self.last_day = self.today - dt.timedelta(days=1)  # nothing happens later than yesterday
        self.password = password
        self.append = append
        self.progress = progress or (lambda message: None)
        self.rng = random.Random(seed)
        # A second stream for what came later (consents, intervision), so the rest stays as it was.
        self.side_rng = random.Random(seed * 7919 + 13)
        self.open_trajectories: dict[int, list[int]] = {}  # professional id -> some open trajectories
        self.tz = timezone.get_default_timezone()
        self.timer: dict[str, float] = {}
        self._day_epoch: dict[dt.date, int] = {}
        self._detail_index: dict[str, int] = {}
        self.details: list[dict] = []
        self.detail({})  # index 0: no detail
        # The access log, one entry per event in parallel arrays, written in time order at the end.
        self.ev_at = array("q")
        self.ev_actor = array("l")
        self.ev_client = array("q")
        self.ev_kind = array("b")
        self.ev_obj = array("q")
        self.ev_action = array("b")
        self.ev_detail = array("l")
        self.staff: list[_Staff] = []
        self._uuid_prefix = f"waardewerk-generate|{seed}|"
        self._build_pools()

    # -- helpers --------------------------------------------------------------------------------------------

    def uuid(self, table: str, pk: int) -> uuid_lib.UUID:
        """The public id of a row: a hash of the seed, the table and the primary key (version 4 layout)."""
        digest = hashlib.blake2b(f"{self._uuid_prefix}{table}|{pk}".encode(), digest_size=16).digest()
        return uuid_lib.UUID(bytes=digest, version=4)

    def day_epoch(self, day: dt.date) -> int:
        """Local midnight of ``day`` in microseconds since the epoch (cached)."""
        value = self._day_epoch.get(day)
        if value is None:
            midnight = timezone.make_aware(dt.datetime.combine(day, dt.time()), self.tz)
            value = self._day_epoch[day] = int(midnight.timestamp()) * 1_000_000
        return value

    def moment_us(self, day: dt.date, earliest: int = 8, latest: int = 17) -> int:
        """A time during office hours on ``day``, in microseconds since the epoch."""
        seconds = self.rng.randrange(earliest * 3600, latest * 3600)
        return self.day_epoch(day) + seconds * 1_000_000 + self.rng.randrange(1_000_000)

    @staticmethod
    def as_datetime(us: int) -> dt.datetime:
        return EPOCH + dt.timedelta(microseconds=us)

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def choose(self, values: list, cum_weights: list[float]):
        return values[bisect.bisect(cum_weights, self.rng.random() * cum_weights[-1])]

    def detail(self, value: dict) -> int:
        key = repr(sorted(value.items()))
        index = self._detail_index.get(key)
        if index is None:
            index = self._detail_index[key] = len(self.details)
            self.details.append(value)
        return index

    def event(
        self, at_us: int, actor: _Staff, action: int, kind: int, obj: int, client: int, detail: int = 0
    ):
        self.ev_at.append(at_us)
        self.ev_actor.append(actor.index)
        self.ev_action.append(action)
        self.ev_kind.append(kind)
        self.ev_obj.append(obj)
        self.ev_client.append(client)
        self.ev_detail.append(detail)

    def timeline(self, entry: dict) -> None:
        """Queue a timeline entry (made by a ``projection`` function from a row, as the services make it)."""
        writer = self.w[TimelineEntry]
        writer.add(entry | {"id": writer.new_id()})

    def timed(self, label: str, started: float) -> None:
        self.timer[label] = self.timer.get(label, 0.0) + time.perf_counter() - started

    # -- word lists -----------------------------------------------------------------------------------------

    def _build_pools(self) -> None:
        self.origins, self.origin_weights = _weighted(names.origin_mix())
        self.employers = names.employers()
        self.open_phases, self.open_phase_weights = _weighted(cycle.OPEN_PHASE_MIX)
        self.end_reasons = {context: _weighted(mix) for context, mix in END_REASON_MIX.items()}
        self.places = load("places")

    def person(self) -> names.Person:
        rng = self.rng
        origin = self.choose(self.origins, self.origin_weights)
        female = rng.random() < 0.5
        age = rng.randint(19, 66)
        first, infix, last = names.random_name(rng, origin, female, age)
        return names.Person(first, infix, last, female, origin, age)

    # -- the run --------------------------------------------------------------------------------------------

    def run(self) -> GenerateResult:
        started = time.perf_counter()
        result = GenerateResult(seed=self.seed, clients=self.n_clients, today=self.today)
        with large_cache(connection), transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # The access-log chain continues from its last row: no other writer in between
                    # (as audit.services._write does when it must wait for other writers).
                    cursor.execute("LOCK TABLE audit_accessevent IN SHARE ROW EXCLUSIVE MODE")
            existing = Client.objects.count()
            if existing and not self.append:
                raise GenerateError(
                    f"The database already holds {existing} clients. Generate into an empty database, or "
                    "add a separate set of organisations next to them with --append."
                )
            self.taken_bsns = set()
            self.taken_usernames = set()
            if self.append:
                self.taken_bsns = {b for b in Client.objects.exclude(bsn="").values_list("bsn", flat=True)}
                self.taken_usernames = set(User.objects.values_list("username", flat=True))
            self.w = {
                model: TableWriter(model, connection)
                for model in (
                    Organisation,
                    Team,
                    User,
                    TeamMembership,
                    Client,
                    Consent,
                    Trajectory,
                    PhaseChange,
                    Conversation,
                    Action,
                    TrajectoryAssignment,
                    Handover,
                    Measurement,
                    PlanVersion,
                    PlanChoiceEntry,
                    PlanAgreement,
                    ProgressNote,
                    Adjustment,
                    Evaluation,
                    TimelineEntry,
                    AccessEvent,
                )
            }
            self.instruments_setup()
            self.organisations_and_staff()
            self.flush()
            done = 0
            for org in self.orgs:
                for offset in range(0, org.clients, CHUNK_CLIENTS):
                    for _ in range(min(CHUNK_CLIENTS, org.clients - offset)):
                        self.client(org)
                    self.flush()
                    done += min(CHUNK_CLIENTS, org.clients - offset)
                    self.progress(
                        f"  clients {done:,}/{self.n_clients:,} "
                        f"({time.perf_counter() - started:.1f} s, {len(self.ev_at):,} log events queued)"
                    )
            self.caseload_searches()
            intervision_counts = self.intervision_groups()
            self.access_log()
            for writer in self.w.values():
                writer.reset_sequence()
        analyse_started = time.perf_counter()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for writer in self.w.values():
                    cursor.execute(f'ANALYZE "{writer.table}"')
            else:
                cursor.execute("ANALYZE")
        self.timer["analyze"] = time.perf_counter() - analyse_started
        for model, writer in self.w.items():
            label = model._meta.db_table
            result.counts[label] = writer.count
            result.seconds[label] = self.timer.get(label, 0.0) + writer.write_seconds
            if writer.encrypted_values:
                result.encryption[label] = (writer.encrypted_values, writer.encrypt_seconds)
        result.seconds["analyze"] = self.timer.get("analyze", 0.0)
        if "audit_accessevent (indexes)" in self.timer:  # part of the access log's time, shown apart
            result.seconds["audit_accessevent (indexes)"] = self.timer["audit_accessevent (indexes)"]
        result.counts.update(intervision_counts)
        result.total_seconds = time.perf_counter() - started
        result.organisations = [org.name for org in self.orgs]
        return result

    def flush(self) -> None:
        for writer in self.w.values():  # parents before children
            writer.flush()

    # -- organisations, teams, staff ------------------------------------------------------------------------

    def organisations_and_staff(self) -> None:
        started = time.perf_counter()
        rng = self.rng
        plan = ORGANISATION_PLAN if self.n_clients >= MULTI_ORGANISATION_FROM else ORGANISATION_PLAN[:1]
        towns = list(TOWNS)
        rng.shuffle(towns)
        total_share = sum(share for _, _, share in plan)
        sizes = [math.floor(self.n_clients * share / total_share) for _, _, share in plan]
        sizes[0] += self.n_clients - sum(sizes)
        founded = self.days_ago(6 * 365)
        founded_us = self.moment_us(founded)
        self.password_hash = make_password(self.password)  # None: an unusable password
        self.orgs: list[_Org] = []
        for index, ((kind, name, _share), size, town) in enumerate(zip(plan, sizes, towns, strict=False)):
            writer = self.w[Organisation]
            pk = writer.new_id()
            org = _Org(pk, self.uuid("organisation", pk), name.format(town=town), kind, town, index, size)
            writer.add(
                {
                    "id": pk,
                    "uuid": org.uuid,
                    "name": org.name,
                    "kind": kind,
                    "created_at": self.as_datetime(founded_us),
                    "updated_at": self.as_datetime(founded_us),
                }
            )
            self.orgs.append(org)
            self.staff_of(org, founded)
        self.timed(Organisation._meta.db_table, started)

    def staff_of(self, org: _Org, founded: dt.date) -> None:
        rng = self.rng
        n_professionals = max(2, round(org.clients / CLIENTS_PER_PROFESSIONAL))
        n_teams = max(1, round(n_professionals / PROFESSIONALS_PER_TEAM))
        professions, profession_weights = _weighted(PROFESSION_MIX[org.kind])
        team_names = [f"{TEAM_PREFIX[org.kind]} {TEAM_NAMES[i % len(TEAM_NAMES)]}" for i in range(n_teams)]
        team_names = [
            name if i < len(TEAM_NAMES) else f"{name} {i // len(TEAM_NAMES) + 1}"
            for i, name in enumerate(team_names)
        ]
        for name in team_names:
            pk = self.w[Team].new_id()
            at = self.as_datetime(self.moment_us(founded))
            self.w[Team].add(
                {
                    "id": pk,
                    "uuid": self.uuid("team", pk),
                    "organisation_id": org.id,
                    "name": name,
                    "kind": org.kind,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            org.teams.append(_TeamInfo(pk, name))
        office_ip = f"198.51.100.{(org.index * 16) % 240 + 1}"  # documentation range (RFC 5737)

        def add_user(role: str, profession: str, team: _TeamInfo | None, weight: float) -> _Staff:
            person = self.person()
            initial = names.ascii_name(person.first_name)[:1]
            base = f"{initial}.{names.ascii_name(person.infix + person.last_name)}"
            username, n = base, 1
            while username in self.taken_usernames:
                n += 1
                username = f"{base}{n}"
            self.taken_usernames.add(username)
            last_name = " ".join(p for p in (person.infix, person.last_name) if p)
            pk = self.w[User].new_id()
            joined = self.as_datetime(self.moment_us(founded + dt.timedelta(days=rng.randint(0, 5 * 365))))
            self.w[User].add(
                {
                    "id": pk,
                    "uuid": self.uuid("user", pk),
                    "password": self.password_hash,
                    "username": username,
                    "first_name": person.first_name,
                    "last_name": last_name,
                    "email": f"{username}@{names.ascii_name(org.town)}.example",
                    "date_joined": joined,
                    "created_at": joined,
                    "updated_at": joined,
                    "organisation_id": org.id,
                    "role": role,
                    "profession": profession,
                }
            )
            staff = _Staff(
                len(self.staff),
                pk,
                username,
                role,
                org,
                team,
                weight,
                office_ip,
                person.first_name,
                last_name,
            )
            self.staff.append(staff)
            if team is not None:
                self.w[TeamMembership].add(
                    {"id": self.w[TeamMembership].new_id(), "user_id": pk, "team_id": team.id}
                )
                team.members.append(staff)
            return staff

        for team in org.teams:
            team.lead = add_user(Role.TEAM_LEAD, "", team, TEAM_LEAD_CASELOAD)
        for i in range(n_professionals):
            team = org.teams[i % n_teams]
            staff = add_user(
                Role.PROFESSIONAL,
                self.choose(professions, profession_weights),
                team,
                rng.uniform(0.6, 1.3),  # part-time and full-time caseloads
            )
            org.professionals.append(staff)
        add_user(Role.FUNCTIONAL_ADMIN, "", None, 0.0)
        org.case_workers = [s for s in self.staff if s.org is org and s.role != Role.FUNCTIONAL_ADMIN]
        org.cum_weights = list(accumulate(s.weight for s in org.case_workers))

    # -- clients and their trajectories ---------------------------------------------------------------------

    def client(self, org: _Org) -> None:
        rng = self.rng
        started = time.perf_counter()
        person = self.person()
        responsible = self.choose(org.case_workers, org.cum_weights)
        # Which trajectories: (start, end or None, final phase), oldest first.
        plans = []
        if rng.random() < OPEN_SHARE:
            phase = self.choose(self.open_phases, self.open_phase_weights)
            low, high = START_RANGE[phase]
            start = self.days_ago(rng.randint(low, high))
            if rng.random() < EARLIER_TRAJECTORY_SHARE:
                end = start - dt.timedelta(days=rng.randint(60, 3 * 365))
                plans.append((end - dt.timedelta(days=rng.randint(90, 540)), end, None))
            plans.append((start, None, phase))
        else:
            end = self.days_ago(rng.randint(7, 4 * 365))
            plans.append((end - dt.timedelta(days=rng.randint(60, 540)), end, None))
            if rng.random() < SECOND_CLOSED_SHARE:
                earlier_end = plans[0][0] - dt.timedelta(days=rng.randint(60, 2 * 365))
                plans.insert(0, (earlier_end - dt.timedelta(days=rng.randint(60, 400)), earlier_end, None))
        first_start = plans[0][0]
        # Old enough at the first start (18+), and of working age today.
        years_back = (self.today - first_start).days // 365
        person.age = max(person.age, 19 + years_back)
        if person.age > 67:
            person.age = 67
        born = self.days_ago(person.age * 365 + rng.randint(0, 364))
        writer = self.w[Client]
        pk = writer.new_id()
        uuid = self.uuid("client", pk)
        first_responsible = (
            responsible if len(plans) == 1 or rng.random() < 0.6 else self.colleague(responsible)
        )
        registered_us = self.moment_us(max(first_start - dt.timedelta(days=rng.randint(0, 10)), born))
        registered = self.as_datetime(registered_us)
        contact = self.contact(person, org)
        bsn = names.bsn(rng, self.taken_bsns) if rng.random() < BSN_SHARE else ""
        writer.add(
            {
                "id": pk,
                "uuid": uuid,
                "created_at": registered,
                "updated_at": registered,
                "organisation_id": org.id,
                "first_name": person.first_name,
                "infix": person.infix,
                "last_name": person.last_name,
                "date_of_birth": born,
                "bsn": bsn,
                "bsn_index": Client._meta.get_field("bsn_index").digest(bsn),
                "search_name": Client._meta.get_field("search_name").digest(
                    person.first_name, person.infix, person.last_name
                ),
                "created_by_id": first_responsible.id,
                **contact,
            }
        )
        self.event(registered_us, first_responsible, A_CREATE, KIND_CLIENT, pk, pk)
        self.timed(Client._meta.db_table, started)
        consent = self.research_consent(pk, first_responsible, registered)
        for position, (start, end, phase) in enumerate(plans):
            owner = responsible if position == len(plans) - 1 else first_responsible
            trajectory_id = self.trajectory(org, pk, person, owner, start, end, phase)
            if consent is not None:
                self.consent_timeline(consent, trajectory_id, start, end)

    def research_consent(self, client_id: int, professional: _Staff, registered: dt.datetime) -> Row | None:
        """A share of the clients consents to use in research (in the portal or through the professional),
        shortly after registration; some withdraw it later."""
        rng = self.side_rng
        if rng.random() >= RESEARCH_CONSENT_SHARE:
            return None
        writer = self.w[Consent]
        pk = writer.new_id()
        given = registered + dt.timedelta(minutes=rng.randint(5, 90))
        via = ConsentVia.PORTAL if rng.random() < 0.6 else ConsentVia.PROFESSIONAL
        withdrawn, withdrawn_via = None, ""
        first_day = given.date() + dt.timedelta(days=1)
        if rng.random() < RESEARCH_WITHDRAWN_SHARE and first_day <= self.last_day:
            day = first_day + dt.timedelta(days=rng.randint(0, (self.last_day - first_day).days))
            withdrawn = max(self.as_datetime(self.moment_us(day)), given + dt.timedelta(minutes=1))
            withdrawn_via = ConsentVia.PORTAL
        row = {
            "id": pk,
            "uuid": self.uuid("consent", pk),
            "created_at": given,
            "updated_at": withdrawn or given,
            "client_id": client_id,
            "kind": ConsentKind.RESEARCH,
            "given_at": given,
            "given_via": via,
            "given_recorded_by_id": professional.id if via == ConsentVia.PROFESSIONAL else None,
            "withdrawn_at": withdrawn,
            "withdrawn_via": withdrawn_via,
            "withdrawn_recorded_by_id": None,
            "party": None,
            "party_name": "",
        }
        writer.add(row)
        return Row.of(row | {"pk": pk}, META["consent"])

    def consent_timeline(self, consent: Row, trajectory_id: int, start: dt.date, end: dt.date | None) -> None:
        """The consent's entries in a trajectory that ran on that day (as the portal's projection does)."""
        for given, at in ((True, consent.given_at), (False, consent.withdrawn_at)):
            day = timezone.localtime(at).date() if at else None
            if day is None or day < start or (end and day > end):
                continue
            self.timeline(
                portal_projection.consent_changed(consent, trajectory_id=trajectory_id, given=given)
            )

    def intervision_groups(self) -> dict[str, int]:
        """Each team of three or more meets as an OT-groep every six weeks: eight sessions in the last year
        with the incident method and the learning cycle in turn, a rotating facilitator and case owner, and
        two experiments per session, reflected on at the next one (the latest still open)."""
        rng = self.side_rng
        started = time.perf_counter()
        methods = [m for m in (METHODS.current("incident"), METHODS.current("learning-cycle")) if m]
        texts = load("generate_intervision")
        counts = {"intervision groups": 0, "intervision sessions": 0, "experiments": 0}
        if not methods:
            return counts
        n = IntervisionGroup.objects.count()  # with --append, after the groups already there
        for org in self.orgs:
            for team in org.teams:
                members = team.members  # the team lead among them
                if len(members) < 3:
                    continue
                n += 1
                group = IntervisionGroup.objects.create(
                    uuid=self.uuid("intervisiongroup", n),
                    organisation_id=org.id,
                    name=f"OT-groep {team.name}",
                    schedule=texts["schedule"],
                )
                group.members.set([m.id for m in members])
                counts["intervision groups"] += 1
                sessions, experiments = [], []
                first = self.today - dt.timedelta(
                    days=rng.randint(7, 30) + INTERVISION_INTERVAL_DAYS * (INTERVISION_SESSIONS - 1)
                )
                for i in range(INTERVISION_SESSIONS):
                    day = first + dt.timedelta(days=INTERVISION_INTERVAL_DAYS * i)
                    facilitator = members[i % len(members)]
                    owner = members[(i + 1) % len(members)]
                    sessions.append(
                        IntervisionSession(
                            uuid=self.uuid("intervisionsession", n * 100 + i),
                            group=group,
                            date=day,
                            method_version=methods[i % len(methods)],
                            facilitator_id=facilitator.id,
                            case_owner_id=owner.id,
                            core_question=rng.choice(texts["core_questions"]),
                            choice=rng.choice(texts["choices"]),
                            created_by_id=facilitator.id,
                        )
                    )
                IntervisionSession.objects.bulk_create(sessions)
                for i, session in enumerate(sessions):
                    following = sessions[i + 1] if i + 1 < len(sessions) else None
                    for who in rng.sample(members, 2):
                        own = self.open_trajectories.get(who.id) or []
                        reflected = following is not None
                        experiments.append(
                            Experiment(
                                uuid=self.uuid("experiment", len(experiments) + n * 1000),
                                session=session,
                                owner_id=who.id,
                                description=rng.choice(texts["experiments"]),
                                trajectory_id=rng.choice(own) if own else None,
                                until=session.date + dt.timedelta(days=35),
                                reflection_session=following,
                                what_happened=rng.choice(texts["what_happened"]) if reflected else "",
                                learned=rng.choice(texts["learned"]) if reflected else "",
                                reflected_at=self.as_datetime(self.moment_us(following.date))
                                if reflected
                                else None,
                            )
                        )
                Experiment.objects.bulk_create(experiments)
                counts["intervision sessions"] += len(sessions)
                counts["experiments"] += len(experiments)
        self.timed(IntervisionSession._meta.db_table, started)
        return counts

    def colleague(self, staff: _Staff) -> _Staff:
        team = staff.team
        candidates = [m for m in team.members if m is not staff] if team else []
        if not candidates:
            candidates = [s for s in staff.org.case_workers if s is not staff] or [staff]
        return self.rng.choice(candidates)

    def contact(self, person: names.Person, org: _Org) -> dict:
        rng = self.rng
        local = names.email_local_part(rng, person, str(rng.randint(1, 99)))
        letters = names.postcode_letters(rng)
        return {
            "email": f"{local}@{rng.choice(self.places['mail_domains'])}",
            "phone": names.mobile_number(rng),
            "street": f"{rng.choice(self.places['streets'])} {rng.randint(1, 180)}{rng.choice(SUFFIXES)}",
            "postal_code": f"{1000 + (org.index * 1700 + rng.randint(0, 80)) % 9000} {letters}",
            "city": org.town,
        }

    def trajectory(self, org, client_id, person, responsible, start, end, phase) -> None:
        rng = self.rng
        started = time.perf_counter()
        writer = self.w[Trajectory]
        pk = writer.new_id()
        uuid = self.uuid("trajectory", pk)
        context = self.choose(*self._context_pool(org.kind))
        words = names.words(rng, person, self.instrument_titles)
        last_day = min(end or self.last_day, self.last_day)
        end_reason = ""
        if end is not None:
            end_reason = self.choose(*self.end_reasons[context])
            phase = (
                Phase.EVALUATION
                if end_reason in cycle.SUCCESS_END_REASONS
                else rng.choice(cycle.UNFINISHED_PHASES)
            )
        span = max(1, (last_day - start).days)
        # A handover: who had it before, and when it changed hands.
        handover_day, previous = None, None
        if span > 30 and rng.random() < HANDOVER_SHARE:
            handover_day = start + dt.timedelta(days=rng.randint(10, span - 5))
            previous = self.colleague(responsible)

        def actor_on(day):
            return previous if handover_day is not None and day < handover_day else responsible

        # Phase history.
        path = cycle.phase_path(rng, phase, span)
        shares = sorted(rng.random() for _ in range(len(path) - 1))
        days = [start] + [start + dt.timedelta(days=max(1, round(s * (span - 1)))) for s in shares]
        for i in range(1, len(days)):  # strictly increasing where the span allows it
            if days[i] <= days[i - 1] and days[i - 1] < last_day:
                days[i] = days[i - 1] + dt.timedelta(days=1)
        moments = [self.moment_us(day) for day in days]
        moments = [max(m, moments[i - 1] + 1_000_000) if i else m for i, m in enumerate(moments)]
        question = rng.choice(cycle.questions_for(context, person.age, person.origin)).text.format_map(words)
        work_found_on = end if end_reason in cycle.WORK_END_REASONS else None
        measured = self.measurement_plan(context, start, last_day, path, days, work_found_on)
        due_on = self.measurement_due_on(org, start, measured) if end is None else None
        created_us = moments[0]
        end_us = self.moment_us(end) if end else None
        updated_us = max(moments[-1], end_us or 0)
        row = {
            "id": pk,
            "uuid": uuid,
            "created_at": self.as_datetime(created_us),
            "updated_at": self.as_datetime(updated_us),
            "version": len(path) + (1 if end else 0) + (1 if handover_day else 0),
            "client_id": client_id,
            "organisation_id": org.id,
            "team_id": responsible.team.id if responsible.team else None,
            "responsible_id": responsible.id,
            "context": context,
            "start_date": start,
            "question": question,
            "phase": phase,
            "phase_since": self.as_datetime(moments[-1]),
            "end_date": end,
            "end_reason": end_reason,
            "measurement_due_on": due_on,
            "end_note": cycle.end_note(rng, end_reason, words),
        }
        writer.add(row)
        if end is None:
            own = self.open_trajectories.setdefault(responsible.id, [])
            if len(own) < 5:
                own.append(pk)
        self.event(created_us, actor_on(start), A_CREATE, KIND_TRAJECTORY, pk, client_id)
        if end is not None:
            self.event(
                end_us,
                responsible,
                A_CHANGE,
                KIND_TRAJECTORY,
                pk,
                client_id,
                self.detail({"closed": end_reason}),
            )
        self.timed(Trajectory._meta.db_table, started)

        started = time.perf_counter()
        changes = self.w[PhaseChange]
        closing = None
        if end is not None:  # its timeline entry comes last, after the rest of the history
            closing = projection.closed(
                Row.of(row | {"pk": pk}, META["trajectory"]),
                actor=responsible.id,
                at=self.as_datetime(end_us),
            )
        for i, (to_phase, day, at_us) in enumerate(zip(path, days, moments, strict=True)):
            change_id = changes.new_id()
            actor = actor_on(day)
            from_phase = path[i - 1] if i else ""
            reason = cycle.phase_reason(rng, from_phase, to_phase) if i else cycle.START_REASON
            at = self.as_datetime(at_us)
            change = {
                "id": change_id,
                "uuid": self.uuid("phasechange", change_id),
                "created_at": at,
                "updated_at": at,
                "trajectory_id": pk,
                "from_phase": from_phase,
                "to_phase": to_phase,
                "reason": reason,
                "changed_by_id": actor.id,
                "changed_at": at,
            }
            changes.add(change)
            self.timeline(projection.phase_change(Row.of(change, META["phasechange"])))
            if i:
                self.event(
                    at_us,
                    actor,
                    A_CHANGE,
                    KIND_TRAJECTORY,
                    pk,
                    client_id,
                    self.detail({"phase": [from_phase, to_phase]}),
                )
        self.timed(PhaseChange._meta.db_table, started)

        self.conversations(pk, client_id, context, person, words, start, last_day, path, days, actor_on)
        self.actions(pk, client_id, context, person, words, start, end, phase, days, path, actor_on)
        self.staffing(pk, client_id, responsible, previous, handover_day, start, end, last_day)
        written = self.measurements(pk, client_id, context, measured, actor_on)
        self.cycle(pk, client_id, context, path, days, end, end_reason, measured, written, actor_on)
        if closing is not None:
            self.timeline(closing)
        return pk

    def _context_pool(self, kind):
        pools = self.__dict__.setdefault("_context_pools", {})
        if kind not in pools:
            pools[kind] = _weighted(CONTEXT_MIX[kind])
        return pools[kind]

    def conversations(
        self, trajectory_id, client_id, context, person, words, start, last_day, path, days, actor_on
    ) -> None:
        rng = self.rng
        started = time.perf_counter()
        span = (last_day - start).days
        if span < 60:
            count = rng.randint(2, 4)
        else:
            count = min(12, max(4, span // 45 + rng.randint(1, 4)))
        offsets = sorted(rng.sample(range(1, span + 1), min(count - 1, span))) if span > 0 else []
        conversation_days = [start] + [start + dt.timedelta(days=o) for o in offsets]
        writer = self.w[Conversation]
        phase_index = 0
        for n, day in enumerate(conversation_days):
            while phase_index + 1 < len(days) and days[phase_index + 1] <= day:
                phase_index += 1
            phase = path[phase_index]
            pool = (
                cycle.conversation_texts_for(context, phase, n == 0, person.age)
                or cycle.conversation_texts_for(context, phase, False, person.age)
                or cycle.conversation_texts_for(Context.OTHER, Phase.MONITORING, False, person.age)
            )
            text = rng.choice(pool)
            pk = writer.new_id()
            at_us = self.moment_us(day)
            at = self.as_datetime(at_us)
            actor = actor_on(day)
            conversation = {
                "id": pk,
                "uuid": self.uuid("conversation", pk),
                "created_at": at,
                "updated_at": at,
                "trajectory_id": trajectory_id,
                "date": day,
                "mode": (mode := text.mode or cycle.conversation_mode(rng, phase, context, n == 0)),
                "participants": PARTICIPANTS_AT_WORK if mode == ConversationMode.AT_WORK else PARTICIPANTS,
                "topics": (topics := self.guide_topics(phase, context)),
                "guide_version_id": self.guide_version_id if topics else None,
                "phase": phase,
                "summary": text.text.format_map(words),
                "recorded_by_id": actor.id,
            }
            writer.add(conversation)
            self.timeline(projection.conversation(Row.of(conversation, META["conversation"])))
            self.event(
                at_us,
                actor,
                A_CREATE,
                KIND_CONVERSATION,
                pk,
                client_id,
                self.detail({"topics": len(topics), "agreements": 0}),
            )
            for _ in range(DOSSIER_VIEWS_PER_CONVERSATION):
                self.event(
                    at_us - rng.randint(60, 3600) * 1_000_000,
                    actor,
                    A_VIEW,
                    KIND_CLIENT,
                    client_id,
                    client_id,
                )
            if rng.random() < TRAJECTORY_VIEW_SHARE:
                self.event(
                    at_us + rng.randint(60, 7200) * 1_000_000,
                    actor,
                    A_VIEW,
                    KIND_TRAJECTORY,
                    trajectory_id,
                    client_id,
                )
        self.timed(Conversation._meta.db_table, started)

    def actions(
        self, trajectory_id, client_id, context, person, words, start, end, phase, days, path, actor_on
    ) -> None:
        rng = self.rng
        started = time.perf_counter()
        last_day = min(end or self.last_day, self.last_day)
        newcomer = names.is_newcomer(person.origin)
        stage = cycle.stage_of(phase)
        count = rng.randint(2, 4) if stage == 0 else rng.randint(3, 8)
        done_count = rng.randint(0, 1) if stage == 0 else rng.randint(1, count - 1)
        execution_began = next((d for d, p in zip(days, path, strict=True) if p == Phase.EXECUTION), last_day)
        writer = self.w[Action]
        for i in range(count):
            done = i < done_count
            text_stage = min(stage, 1) if done else stage
            if done and text_stage == 1 and rng.random() < 0.4:
                text_stage = 0
            pool = cycle.action_texts_for(context, text_stage, newcomer) or cycle.action_texts_for(
                context, 0, newcomer
            )
            text = rng.choice(pool)
            if done:
                low, high = (start, execution_began) if text_stage == 0 else (execution_began, last_day)
                due = low + dt.timedelta(days=rng.randint(0, max(0, (high - low).days)))
                completed = min(last_day, max(start, due + dt.timedelta(days=rng.randint(-7, 3))))
                status = ActionStatus.DONE
            elif end is not None:
                completed = None
                due = max(start, end + dt.timedelta(days=rng.randint(-20, 21)))
                status = ActionStatus.CANCELLED
            else:
                completed = None
                offset = -rng.randint(1, 14) if rng.random() < 0.15 else rng.randint(3, 35)
                due = max(start + dt.timedelta(days=1), self.today + dt.timedelta(days=offset))
                status = ActionStatus.OPEN
            agreed = min(max(start, due - dt.timedelta(days=rng.randint(7, 28))), last_day)
            if completed is not None:
                agreed = min(agreed, completed)
            pk = writer.new_id()
            agreed_us = self.moment_us(agreed)
            actor = actor_on(agreed)
            changed_us = None
            if status == ActionStatus.DONE:
                changed_us = max(self.moment_us(completed), agreed_us + 1_000_000)
            elif status == ActionStatus.CANCELLED:
                changed_us = max(self.moment_us(end), agreed_us + 1_000_000)
            action = {
                "id": pk,
                "uuid": self.uuid("action", pk),
                "created_at": self.as_datetime(agreed_us),
                "updated_at": self.as_datetime(changed_us or agreed_us),
                "trajectory_id": trajectory_id,
                "description": text.text.format_map(words)[:300],
                "owner": text.owner,
                "agreed_on": agreed,
                "due_date": due,
                "status": status,
                "completed_on": completed,
                "created_by_id": actor.id,
            }
            writer.add(action)
            row = Row.of(action, META["action"])
            self.timeline(projection.action_agreed(row))
            if status == ActionStatus.DONE:  # cancelled ones were cancelled by the closing
                done_at = self.as_datetime(changed_us)
                self.timeline(projection.action_status(row, actor=actor_on(completed).id, at=done_at))
            self.event(agreed_us, actor, A_CREATE, KIND_ACTION, pk, client_id)
            if changed_us is not None:
                self.event(
                    changed_us,
                    actor_on(completed or end),
                    A_CHANGE,
                    KIND_ACTION,
                    pk,
                    client_id,
                    self.detail({"status": status}),
                )
        self.timed(Action._meta.db_table, started)

    def staffing(
        self, trajectory_id, client_id, responsible, previous, handover_day, start, end, last_day
    ) -> None:
        rng = self.rng
        started = time.perf_counter()
        if handover_day is not None:
            writer = self.w[Handover]
            pk = writer.new_id()
            at_us = self.moment_us(handover_day)
            by = responsible.team.lead if responsible.team and responsible.team.lead else previous
            at = self.as_datetime(at_us)
            handover = {
                "id": pk,
                "uuid": self.uuid("handover", pk),
                "created_at": at,
                "updated_at": at,
                "trajectory_id": trajectory_id,
                "from_user_id": previous.id,
                "to_user_id": responsible.id,
                "reason": cycle.handover_reason(rng),
                "handed_over_by_id": by.id,
                "handed_over_at": at,
            }
            writer.add(handover)
            names_ = {"from_user": previous, "to_user": responsible}
            self.timeline(projection.handover(Row.of(handover | names_, META["handover"])))
            self.event(
                at_us,
                by,
                A_CHANGE,
                KIND_TRAJECTORY,
                trajectory_id,
                client_id,
                self.detail({"responsible": [previous.username, responsible.username]}),
            )
        roll = rng.random()
        span = (last_day - start).days
        if span > 14 and (
            roll < PAST_ASSIGNMENT_SHARE or (end is None and roll < PAST_ASSIGNMENT_SHARE + ASSIGNMENT_SHARE)
        ):
            active = end is None and roll >= PAST_ASSIGNMENT_SHARE
            colleague = self.colleague(responsible)
            if colleague is responsible:
                self.timed(Handover._meta.db_table, started)
                return
            kind = AssignmentKind.SUBSTITUTE if rng.random() < 0.6 else AssignmentKind.CO_PROFESSIONAL
            if active:
                starts_on = self.last_day - dt.timedelta(days=rng.randint(0, min(span, 60)))
                ends_on = (
                    self.today + dt.timedelta(days=rng.randint(7, 60))
                    if kind == AssignmentKind.SUBSTITUTE
                    else None
                )
            else:
                starts_on = start + dt.timedelta(days=rng.randint(0, max(0, span - 14)))
                ends_on = min(starts_on + dt.timedelta(days=rng.randint(7, 42)), last_day)
            by = responsible.team.lead if responsible.team and responsible.team.lead else responsible
            writer = self.w[TrajectoryAssignment]
            pk = writer.new_id()
            at_us = self.moment_us(min(starts_on, self.last_day))
            at = self.as_datetime(at_us)
            assignment = {
                "id": pk,
                "uuid": self.uuid("assignment", pk),
                "created_at": at,
                "updated_at": at,
                "trajectory_id": trajectory_id,
                "user_id": colleague.id,
                "kind": kind,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "revoked_at": None,
                "created_by_id": by.id,
            }
            writer.add(assignment)
            row = Row.of(assignment | {"user": colleague}, META["trajectoryassignment"])
            self.timeline(projection.assignment(row))
            self.event(
                at_us,
                by,
                A_CREATE,
                KIND_ASSIGNMENT,
                pk,
                client_id,
                self.detail({"user": colleague.username, "kind": kind}),
            )
        self.timed(Handover._meta.db_table, started)

    # -- searches, measurements, the access log -------------------------------------------------------------

    def caseload_searches(self) -> None:
        """Professionals open their caseload on most working days (the last year): one search row each."""
        rng = self.rng
        started = time.perf_counter()
        plain = self.detail({"page": 1})
        filtered = [self.detail({"phase": p, "page": 1}) for p in Phase.values]
        days = [self.days_ago(n) for n in range(1, 366) if self.days_ago(n).weekday() < 5]
        for staff in self.staff:
            if staff.role == Role.FUNCTIONAL_ADMIN:
                continue
            for day in days:
                if rng.random() < CASELOAD_SEARCHES_PER_DAY:
                    detail = plain if rng.random() < 0.8 else rng.choice(filtered)
                    self.event(self.moment_us(day, 8, 10), staff, A_SEARCH, KIND_CASELOAD, 0, 0, detail)
        self.timed(AccessEvent._meta.db_table, started)

    # -- measurements (instruments) ---------------------------------------------------------------------

    def guide_topics(self, phase: str, context: str) -> list[str]:
        """2-4 topics of the conversation guide for the phase and context (none before a guide is loaded)."""
        if self.guide is None:
            return []
        key = (phase, context)
        if key not in self._topics:
            self._topics[key] = [t.key for t in self.guide.topics_for(phase, context)]
        topics = self._topics[key]
        return self.rng.sample(topics, k=min(len(topics), self.rng.randint(2, 4))) if topics else []

    def cycle(
        self, trajectory_id, client_id, context, path, days, end, end_reason, planned, written, actor_on
    ) -> None:
        """The plan (versions, agreement), progress notes, adjustments and the evaluation, as the demo
        makes them: a plan from the plan phase on, a second version after adjusting, notes in monitoring,
        an evaluation for closed trajectories that reached evaluation (and 60 % of open ones there)."""
        rng = self.rng
        started = time.perf_counter()
        reached = cycle.first_reached(path, days)
        if Phase.PLAN in reached:
            day = reached[Phase.PLAN]
            content = plans.first_plan(rng, context, self.vocabulary, self.entries)
            chosen_us = self.plan_version(
                trajectory_id, client_id, 1, content, plans.first_reason(), day, actor_on, 0.85
            )
            if Phase.ADJUSTING in reached:
                adjust_day = reached[Phase.ADJUSTING]
                adjustment = plans.adjustment(rng)
                measurement_id = None
                if adjustment["prompted_by"] == "measurement":
                    earlier = [
                        pk
                        for pk, p in zip(written, planned, strict=True)
                        if p.respondent == "client" and p.day <= adjust_day
                    ]
                    if earlier:
                        measurement_id = earlier[-1]
                    else:
                        adjustment |= {"prompted_by": "event", "event": plans.fallback_event()}
                writer = self.w[Adjustment]
                pk = writer.new_id()
                at_us = self.moment_us(adjust_day)
                actor = actor_on(adjust_day)
                row = {
                    "id": pk,
                    "uuid": self.uuid("adjustment", pk),
                    "created_at": self.as_datetime(at_us),
                    "updated_at": self.as_datetime(at_us),
                    "trajectory_id": trajectory_id,
                    "date": adjust_day,
                    "measurement_id": measurement_id,
                    "recorded_by_id": actor.id,
                    **adjustment,
                }
                writer.add(row)
                self.timeline(projection.adjustment(Row.of(row, META["adjustment"])))
                prompted = self.detail({"prompted_by": adjustment["prompted_by"]})
                self.event(at_us, actor, A_CREATE, KIND_ADJUSTMENT, pk, client_id, prompted)
                next_day = min(adjust_day + dt.timedelta(days=1), self.last_day)
                self.plan_version(
                    trajectory_id,
                    client_id,
                    2,
                    plans.adjusted_plan(content),
                    plans.adjusted_reason(adjustment["change"]),
                    next_day,
                    actor_on,
                    1.0,
                    chosen_us=chosen_us,
                )
        if Phase.MONITORING in reached:
            writer = self.w[ProgressNote]
            first = reached[Phase.MONITORING]
            for _ in range(rng.randint(1, 3)):
                day = min(first + dt.timedelta(days=rng.randint(3, 60)), self.last_day)
                pk = writer.new_id()
                at_us = self.moment_us(day)
                actor = actor_on(day)
                note = {
                    "id": pk,
                    "uuid": self.uuid("progressnote", pk),
                    "created_at": self.as_datetime(at_us),
                    "updated_at": self.as_datetime(at_us),
                    "trajectory_id": trajectory_id,
                    "date": day,
                    "text": plans.progress_note(rng),
                    "recorded_by_id": actor.id,
                }
                writer.add(note)
                self.timeline(projection.progress_note(Row.of(note, META["progressnote"])))
                self.event(at_us, actor, A_CREATE, KIND_NOTE, pk, client_id)
        if Phase.EVALUATION in reached and (end is not None or rng.random() < 0.6):
            day = min(
                max(reached[Phase.EVALUATION] + dt.timedelta(days=rng.randint(1, 20)), days[-1]),
                end or self.last_day,
                self.last_day,
            )
            work = end_reason in cycle.WORK_END_REASONS or (end is None and rng.random() < 0.5)
            writer = self.w[Evaluation]
            pk = writer.new_id()
            at_us = self.moment_us(day)
            actor = actor_on(day)
            evaluation = {
                "id": pk,
                "uuid": self.uuid("evaluation", pk),
                "created_at": self.as_datetime(at_us),
                "updated_at": self.as_datetime(at_us),
                "trajectory_id": trajectory_id,
                "work": work,
                **(plans.work_found(rng, self.employers) if work else plans.NO_WORK),
                "ladder_rung": measurements.latest_level(planned),
                **plans.evaluation_texts(rng),
                "recorded_by_id": actor.id,
            }
            writer.add(evaluation)
            self.timeline(projection.evaluation(Row.of(evaluation, META["evaluation"])))
            self.event(at_us, actor, A_CREATE, KIND_EVALUATION, pk, client_id)
        self.timed(PlanVersion._meta.db_table, started)

    def plan_version(
        self, trajectory_id, client_id, number, content, reason, day, actor_on, agreed_share, chosen_us=None
    ) -> int:
        """A plan version (and its agreement), and a link row per choice of a knowledge-base entry; returns
        the version's moment (the moment its choices were made, for a later version that keeps them)."""
        rng = self.rng
        writer = self.w[PlanVersion]
        pk = writer.new_id()
        at_us = self.moment_us(day)
        actor = actor_on(day)
        version = {
            "id": pk,
            "uuid": self.uuid("planversion", pk),
            "created_at": self.as_datetime(at_us),
            "updated_at": self.as_datetime(at_us),
            "trajectory_id": trajectory_id,
            "number": number,
            "content": content.to_json(),
            "reason": reason,
            "created_by_id": actor.id,
        }
        writer.add(version)
        links = self.w[PlanChoiceEntry]
        for key, ref in plans.entry_links(content, self.entries):
            links.add(
                {
                    "id": links.new_id(),
                    "plan_version_id": pk,
                    "trajectory_id": trajectory_id,
                    "choice_key": key,
                    "entry_id": ref.entry_id,
                    "entry_version_id": ref.version_id,
                    "recognition": ref.plan.recognition,
                    "chosen_at": self.as_datetime(chosen_us or at_us),
                }
            )
        version_row = Row.of(version, META["planversion"])
        self.timeline(projection.plan_version(version_row))
        summary = self.detail(
            {"version": number, "goals": len(content.goals), "choices": len(content.choices)}
        )
        self.event(at_us, actor, A_CREATE, KIND_PLAN, pk, client_id, summary)
        agreed = day + dt.timedelta(days=rng.randint(1, 10))
        if agreed <= self.last_day and rng.random() < agreed_share:
            writer = self.w[PlanAgreement]
            agreement = writer.new_id()
            agreed_us = max(self.moment_us(agreed), at_us + 1_000_000)
            row = {
                "id": agreement,
                "uuid": self.uuid("planagreement", agreement),
                "created_at": self.as_datetime(agreed_us),
                "updated_at": self.as_datetime(agreed_us),
                "plan_version_id": pk,
                "agreed_on": agreed,
                "method": plans.agreement_method(rng),
                "recorded_by_id": actor_on(agreed).id,
            }
            writer.add(row)
            self.timeline(
                projection.plan_agreement(Row.of(row | {"note": ""}, META["planagreement"]), version_row)
            )
            version = self.detail({"version": number})
            self.event(agreed_us, actor_on(agreed), A_CREATE, KIND_AGREEMENT, agreement, client_id, version)
        return at_us

    def instruments_setup(self) -> None:
        """The current version of every loaded instrument (``migrate`` loads the built-in ones), the plan
        vocabulary they give, and the conversation guide."""
        self.instruments = measurements.loaded_instruments()
        if not self.instruments:
            raise GenerateError(
                "No instrument is loaded: run `waardewerk migrate` (it loads the built-in instruments) or "
                "`waardewerk instruments load` first."
            )
        self.instrument_titles = measurements.titles(self.instruments)
        self.vocabulary = plans.vocabulary()
        self.entries = plans.knowledge_entries()
        self._framings: dict[tuple, str] = {}
        self._schedules: dict[int, list] = {}
        self._submitted = {
            i.key: self.detail({"instrument": i.key, "status": "submitted"}) for i in self.instruments
        }
        self._effect_page = self.detail({"page": "effect"})
        found = current_guide()
        self.guide_version_id, self.guide = (found[0].pk, found[1]) if found else (None, None)
        self._topics: dict[tuple, list[str]] = {}
        self._results: dict = {}  # the timeline's result lines of measurements, per instrument and score

    def framing(self, instrument: InstrumentModel, respondent: str, context: str) -> str:
        cache_key = (instrument.key, respondent, context)
        if cache_key not in self._framings:
            self._framings[cache_key] = instrument.definition.default_framing(respondent, context)
        return self._framings[cache_key]

    def measurement_plan(self, context, start, last_day, path, days, work_found_on) -> list[Planned]:
        """The measurements of one trajectory (``measurements.measurement_plan``), from the intake on and
        only since the instruments came into use (``MEASUREMENTS_SINCE_DAYS`` before the base date)."""
        first = max(
            start + dt.timedelta(days=self.rng.randint(3, 21)), self.days_ago(MEASUREMENTS_SINCE_DAYS)
        )
        return measurements.measurement_plan(
            self.rng,
            self.instruments,
            first=first,
            last=last_day,
            phase_at=lambda day: cycle.phase_on(path, days, day),
            employed=context == Context.FIRST_TRACK,
            work_found_on=work_found_on,
        )

    def measurement_due_on(self, org, start: dt.date, plan: list[Planned]) -> dt.date | None:
        """``Trajectory.measurement_due_on`` as ``instruments.services.refresh_due`` computes it."""
        if org.id not in self._schedules:
            self._schedules[org.id] = schedules_for(org.id)
        last_taken: dict[int, dt.date] = {}
        for planned in plan:
            instrument_id = planned.instrument.version.instrument_id
            last_taken[instrument_id] = max(planned.day, last_taken.get(instrument_id, planned.day))
        dues = due_for(_StartDate(start), self._schedules[org.id], last_taken)
        return min((d.due_on for d in dues), default=None)

    def measurements(self, trajectory_id, client_id, context, plan: list[Planned], actor_on) -> list[int]:
        """Write the planned measurements (and now and then a correction); returns their ids, in order."""
        if not plan:
            return []
        written = []
        rng = self.rng
        started = time.perf_counter()
        writer = self.w[Measurement]
        rows: dict[int, dict] = {}
        viewed_days = set()
        for planned in plan:
            instrument = planned.instrument
            pk = writer.new_id()
            at_us = self.moment_us(planned.day)
            actor = actor_on(planned.day)
            row = {
                "id": pk,
                "uuid": self.uuid("measurement", pk),
                "created_at": self.as_datetime(at_us),
                "updated_at": self.as_datetime(at_us),
                "trajectory_id": trajectory_id,
                "instrument_id": instrument.version.instrument_id,
                "instrument_version_id": instrument.version.pk,
                "respondent": planned.respondent,
                "framing": self.framing(instrument, planned.respondent, context),
                "phase": planned.phase,
                "taken_on": planned.day,
                "status": MeasurementStatus.SUBMITTED,
                "answers": planned.answers,
                "notes": json.dumps(planned.notes, ensure_ascii=False) if planned.notes else "",
                "score": planned.score,  # the instruments app's own scoring
                "entered_by_id": actor.id,
                "submitted_at": self.as_datetime(at_us),
            }
            writer.add(row)
            self.timeline(self.measurement_entry(row, instrument))
            rows[id(planned)] = row
            written.append(pk)
            self.event(
                at_us, actor, A_CREATE, KIND_MEASUREMENT, pk, client_id, self._submitted[instrument.key]
            )
            if planned.day not in viewed_days:  # after a round, the professional may look at the effect
                viewed_days.add(planned.day)
                if rng.random() < EFFECT_VIEW_SHARE:
                    self.event(
                        at_us + rng.randint(60, 1800) * 1_000_000,
                        actor,
                        A_VIEW,
                        KIND_TRAJECTORY,
                        trajectory_id,
                        client_id,
                        self._effect_page,
                    )
        original = measurements.correction_candidate(plan)
        if original is not None and rng.random() < CORRECTION_SHARE:
            fixed = measurements.corrected(rng, original)
            before = rows[id(original)]
            pk = writer.new_id()
            original_us = (before["submitted_at"] - EPOCH) // dt.timedelta(microseconds=1)
            at_us = original_us + 2 * 86_400_000_000  # corrected two days later, or soon after if recent
            if at_us >= self.day_epoch(self.today):
                at_us = original_us + 60_000_000
            correction = before | {
                "id": pk,
                "uuid": self.uuid("measurement", pk),
                "created_at": self.as_datetime(at_us),
                "updated_at": self.as_datetime(at_us),
                "answers": fixed.answers,
                "score": fixed.score,
                "submitted_at": self.as_datetime(at_us),
                "corrects_id": before["id"],
                "correction_reason": measurements.correction_reason(),
            }
            writer.add(correction)
            self.timeline(self.measurement_entry(correction, original.instrument))
            self.event(
                at_us,
                actor_on(original.day),
                A_CREATE,
                KIND_MEASUREMENT,
                pk,
                client_id,
                self._submitted[original.instrument.key],
            )
        self.timed(Measurement._meta.db_table, started)
        return written

    def measurement_entry(self, row: dict, instrument: InstrumentModel) -> dict:
        """The measurement's timeline entry; its result line per language is the same for equal scores of
        an instrument, so it is made once per score."""
        values = {"corrects_id": None, "correction_reason": "", "entered_by_client": False} | row
        return instrument_projection.measurement(
            Row.of(values, META["measurement"]), instrument.definition, results=self._results
        )

    def access_log(self) -> None:
        """Write the queued events in time order, in chain 0 after its last existing row, as ``audit_record``
        would chain them."""
        started = time.perf_counter()
        n = len(self.ev_at)
        self.progress(f"  access log: sorting {n:,} events")
        order = sorted(range(n), key=self.ev_at.__getitem__)
        writer = self.w[AccessEvent]
        prev = (
            AccessEvent.objects.filter(chain=0).order_by("-id").values_list("hash", flat=True).first()
            or GENESIS
        )
        with indexes_deferred(connection, AccessEvent, rows=n):
            self._write_access_log(order, writer, prev, started)
            index_started = time.perf_counter()
        self.timer["audit_accessevent (indexes)"] = time.perf_counter() - index_started
        self.timed(AccessEvent._meta.db_table, started)
        self.timer[AccessEvent._meta.db_table] -= writer.write_seconds  # counted by the writer itself

    def _write_access_log(self, order: list[int], writer: TableWriter, prev: str, started: float) -> None:
        n = len(order)
        object_types = [OBJECT_TYPES[k] for k in range(len(OBJECT_TYPES))]
        uuid_tables = {
            KIND_CLIENT: "client",
            KIND_TRAJECTORY: "trajectory",
            KIND_CONVERSATION: "conversation",
            KIND_ACTION: "action",
            KIND_ASSIGNMENT: "assignment",
            KIND_MEASUREMENT: "measurement",
            KIND_PLAN: "planversion",
            KIND_AGREEMENT: "planagreement",
            KIND_NOTE: "progressnote",
            KIND_ADJUSTMENT: "adjustment",
            KIND_EVALUATION: "evaluation",
        }
        public_id = self.uuid
        client_ids: dict[int, uuid_lib.UUID] = {}  # a client has dozens of events: derive its id once
        encoder = AccessEvent._meta.get_field("detail").encoder  # as the JSONField itself would write it
        details_json = [PreparedJSON(json.dumps(d, cls=encoder)) for d in self.details]
        sha256 = hashlib.sha256
        blake2b = hashlib.blake2b
        staff = self.staff
        details = self.details
        request_prefix = f"{self._uuid_prefix}request|".encode()
        for position, i in enumerate(order, start=1):
            actor = staff[self.ev_actor[i]]
            kind = self.ev_kind[i]
            client = self.ev_client[i]
            pk = writer.new_id()
            event = {
                "at": EPOCH + dt.timedelta(microseconds=self.ev_at[i]),
                "actor_id": actor.id,
                "actor_username": actor.username,
                "actor_role": actor.role,
                "on_behalf_of": "",
                "client_uuid": (
                    client_ids.get(client) or client_ids.setdefault(client, public_id("client", client))
                )
                if client
                else None,
                "object_type": object_types[kind],
                "object_uuid": public_id(uuid_tables[kind], self.ev_obj[i]) if kind in uuid_tables else None,
                "action": ACTIONS[self.ev_action[i]],
                "reason": "",
                "detail": details[self.ev_detail[i]],
                "request_id": blake2b(request_prefix + str(pk).encode(), digest_size=16).hexdigest(),
                "ip": actor.ip,
            }
            digest = sha256(canonical(event, prev)).hexdigest()
            event["detail"] = details_json[self.ev_detail[i]]  # the same JSON, serialised once
            event["id"] = pk
            event["prev_hash"] = prev
            event["hash"] = digest
            writer.add(event)
            prev = digest
            if position % 20_000 == 0:
                writer.flush()
            if position % 500_000 == 0:
                elapsed = time.perf_counter() - started
                self.progress(f"  access log: {position:,}/{n:,} rows ({elapsed:.1f} s)")
        writer.flush()


def generate(**kwargs) -> GenerateResult:
    return Generator(**kwargs).run()
