"""Demo data: the fictional "Werkplein Lindendaal" with staff, clients and trajectories.

``waardewerk demo`` (``sampledata/management/commands/demo.py``) calls :func:`create_demo`. Every value is
drawn from one seeded random generator and placed relative to today's date, so two runs on the same day
produce the same data and the demo always looks current. All people, addresses, phone numbers and BSNs are
made up; the BSNs are generated to pass the elfproef and belong to nobody we know of. The organisation and
its staff are in ``data/demo.yaml``, the texts in the other files of ``data/``.

The rows are written directly (not through the services) because the history needs dates in the past.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from waardewerk.accounts.models import Organisation, OrganisationKind, Team, TeamMembership, User
from waardewerk.agenda.models import Appointment
from waardewerk.clients.models import Client
from waardewerk.development.models import Mentorship
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.instruments.services import refresh_due
from waardewerk.intervision.models import CasePresentation, IntervisionGroup, IntervisionSession
from waardewerk.knowledge.models import PlanChoiceEntry
from waardewerk.knowledge.selectors import current_guide
from waardewerk.quality.figures import refresh as refresh_quality
from waardewerk.sampledata import cycle, measurements, names, plans, timeline
from waardewerk.sampledata.agenda import create_agenda_data
from waardewerk.sampledata.demo_signals import demo_created, demo_deleting
from waardewerk.sampledata.development import create_development_data
from waardewerk.sampledata.history import create_history
from waardewerk.sampledata.intervision import create_intervision_data, delete_organisation_content
from waardewerk.sampledata.knowledge import create_knowledge_data, delete_knowledge_data
from waardewerk.sampledata.matching import create_matching_data, delete_matching_data
from waardewerk.sampledata.portal import create_portal_data
from waardewerk.sampledata.privacy import create_privacy_data, delete_privacy_data
from waardewerk.sampledata.texts import load
from waardewerk.trajectories.models import (
    Action,
    ActionStatus,
    Adjustment,
    Context,
    Conversation,
    EndReason,
    Evaluation,
    Phase,
    PhaseChange,
    PlanAgreement,
    PlanVersion,
    ProgressNote,
    Trajectory,
)

SEED = 20261123
_SETUP = load("demo")
ORGANISATION_NAME = _SETUP["organisation"]
CITY = _SETUP["city"]
STAFF_EMAIL_DOMAIN = _SETUP["staff_email_domain"]
TEAMS = dict(_SETUP["teams"])  # short key -> team name
DEMO_PASSWORD = "Waardewerk-demo-2026"  # noqa: S105 - the published demo password, printed by the command
CLIENT_COUNT = 48
BSN_COUNT = 32  # clients with a BSN
CITY_POSTCODE = 7941  # the first postcode digits of Lindendaal's streets (up to 8 higher)
AT_WORK_SHARE = 0.3  # first-track conversations the employer joined


class DemoError(Exception):
    """The demo data cannot be created or removed; the message says why."""


class DemoAccount(NamedTuple):
    username: str
    role: str
    description: str
    password: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = tuple(
    DemoAccount(s["username"], s["role_label"], s["description"], DEMO_PASSWORD) for s in _SETUP["staff"]
)

# ---------------------------------------------------------------------------------------------------------
# The caseload plan: who is responsible, in which context, and which trajectories are closed.
# ---------------------------------------------------------------------------------------------------------

FT, ST, PA, WW, WIA, OT = (
    Context.FIRST_TRACK,
    Context.SECOND_TRACK,
    Context.PARTICIPATION_ACT,
    Context.UNEMPLOYMENT,
    Context.DISABILITY,
    Context.OTHER,
)


class Slot(NamedTuple):
    username: str
    team: str  # a key of TEAMS
    context: str
    closed: bool


def caseload_plan() -> list[Slot]:
    slots: list[Slot] = []

    def add(username, team, context, count, closed=0):
        slots.extend(Slot(username, team, context, i < closed) for i in range(count))

    add("sanne", "wi", PA, 10, closed=2)
    add("sanne", "wi", OT, 1)
    add("pieter", "wi", PA, 10, closed=1)
    add("pieter", "wi", OT, 1, closed=1)
    add("marieke", "brug", FT, 4, closed=1)
    add("marieke", "brug", ST, 4, closed=1)
    add("marieke", "brug", WIA, 3)
    add("marieke", "brug", OT, 1)
    add("youssef", "brug", PA, 3, closed=1)
    add("youssef", "brug", WW, 4, closed=1)
    add("youssef", "brug", WIA, 2)
    add("youssef", "brug", FT, 1)
    add("youssef", "brug", ST, 2)
    add("annelies", "wi", PA, 1)
    add("annelies", "brug", ST, 1)
    assert len(slots) == CLIENT_COUNT
    return slots


# Minimum age per context: a sick-leave or WIA route presumes some years of work.
MIN_AGE = {FT: 21, ST: 21, WW: 21, WIA: 25}
# Relative time spent in each phase, to spread the history plausibly.
PHASE_WEIGHT = {
    Phase.INTAKE: 1.0,
    Phase.PLAN: 0.8,
    Phase.EXECUTION: 2.5,
    Phase.MONITORING: 2.5,
    Phase.ADJUSTING: 1.0,
    Phase.EVALUATION: 0.8,
}
# How long ago (days) an open trajectory in this phase started.
START_RANGE = {
    Phase.INTAKE: (30, 60),
    Phase.PLAN: (35, 110),
    Phase.EXECUTION: (60, 400),
    Phase.MONITORING: (90, 500),
    Phase.ADJUSTING: (120, 520),
    Phase.EVALUATION: (200, 548),
}
# End reasons of the closed trajectories outside the first and second track and WW, in random order.
OTHER_END_REASONS = [
    EndReason.PAID_WORK,
    EndReason.EDUCATION,
    EndReason.OTHER_SUPPORT,
    EndReason.MOVED,
    EndReason.CLIENT_STOPPED,
    EndReason.HEALTH,
]


def fits(person: names.Person, slot: Slot) -> bool:
    if names.is_status_holder(person.origin):  # status holders are in the Participation Act
        return slot.context == PA and not slot.closed
    return person.age >= MIN_AGE.get(slot.context, 18)


def end_reason(context: str, pool: list[str]) -> str:
    if context == FT:
        return EndReason.WORK_OWN_EMPLOYER
    if context in (ST, WW):
        return EndReason.PAID_WORK
    return pool.pop() if pool else EndReason.CLIENT_STOPPED


# ---------------------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(name=ORGANISATION_NAME).first()


@dataclass
class DemoTrajectory:
    trajectory: Trajectory
    history: list[PhaseChange]
    planned: list[measurements.Planned] = field(default_factory=list)
    measured: list[Measurement] = field(default_factory=list)


class DemoBuilder:
    """Builds the whole demo organisation; the portal's part (``portal.create_portal_data``) uses its random
    generator, its ids and its moments too, so the whole demo stays one deterministic sequence."""

    def __init__(self, today: dt.date):
        self.today = today
        self.rng = random.Random(SEED)
        self.uuid_rng = random.Random(f"{SEED}-uuid")
        self.tz = timezone.get_current_timezone()
        self.used: Counter = Counter()

    # -- helpers -------------------------------------------------------------------------------------------

    def uuid(self) -> uuid.UUID:
        """Deterministic public ids, so a reset demo keeps the same URLs."""
        return uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)

    def pick(self, candidates, exclude=()):
        """The least used candidate so far (ties broken at random): varied texts across the demo."""
        pool = [c for c in candidates if c not in exclude] or list(candidates)
        self.rng.shuffle(pool)
        choice = min(pool, key=lambda c: self.used[c])
        self.used[choice] += 1
        return choice

    def moment(self, day: dt.date) -> dt.datetime:
        """A time during office hours on ``day``, aware in the project's time zone."""
        clock = dt.time(self.rng.randint(8, 16), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))
        return timezone.make_aware(dt.datetime.combine(day, clock), self.tz)

    def spread_days(self, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
        """``count`` distinct sorted days in (start, end]; fewer when the span is too short."""
        span = (end - start).days
        if span <= 0 or count <= 0:
            return []
        offsets = sorted(self.rng.sample(range(1, span + 1), min(count, span)))
        return [start + dt.timedelta(days=o) for o in offsets]

    # -- people --------------------------------------------------------------------------------------------

    def birth_date(self, age: int) -> dt.date:
        """A date of birth that makes the person exactly ``age`` today."""
        anchor = self.today - dt.timedelta(days=self.rng.randint(0, 364))
        try:
            return anchor.replace(year=anchor.year - age)
        except ValueError:  # 29 February in a year without it
            return anchor.replace(year=anchor.year - age, day=28)

    def people(self) -> list[names.Person]:
        origins = [origin for origin, n in names.origin_mix().items() for _ in range(n)]
        assert len(origins) == CLIENT_COUNT
        self.rng.shuffle(origins)
        people, seen = [], set()
        for origin in origins:
            while True:
                female = self.rng.random() < 0.5
                age = self.rng.randint(19, 63)
                first, infix, last = names.random_name(self.rng, origin, female, age)
                if (first, last) not in seen:
                    seen.add((first, last))
                    break
            people.append(names.Person(first, infix, last, female, origin, age, self.birth_date(age)))
        return people

    def contact(self, person: names.Person) -> dict:
        local = names.email_local_part(self.rng, person, f"{person.date_of_birth.year % 100:02d}")
        street = self.rng.choice(load("places")["streets"])
        number = str(self.rng.randint(1, 160)) + (self.rng.choice(["", "", "", "", "a", "b", "-2"]))
        return {
            "email": f"{local}@{self.rng.choice(load('places')['mail_domains'])}",
            "phone": names.mobile_number(self.rng),
            "street": f"{street} {number}",
            "postal_code": f"{self.postal_area[street]} {names.postcode_letters(self.rng)}",
            "city": CITY,
        }

    # -- the whole demo ------------------------------------------------------------------------------------

    def run(self) -> DemoSummary:
        rng = self.rng
        self.postal_area = {
            street: str(CITY_POSTCODE + rng.randint(0, 8)) for street in load("places")["streets"]
        }
        self.instruments = measurements.loaded_instruments()
        self.instrument_titles = measurements.titles(self.instruments)

        organisation = Organisation.objects.create(
            uuid=self.uuid(), name=ORGANISATION_NAME, kind=OrganisationKind.MUNICIPALITY
        )
        teams = {
            "wi": Team.objects.create(
                uuid=self.uuid(),
                organisation=organisation,
                name=TEAMS["wi"],
                kind=OrganisationKind.MUNICIPALITY,
            ),
            "brug": Team.objects.create(
                uuid=self.uuid(),
                organisation=organisation,
                name=TEAMS["brug"],
                kind=OrganisationKind.REINTEGRATION_COMPANY,
            ),
        }
        password_hash = make_password(DEMO_PASSWORD)
        users: dict[str, User] = {}
        for staff in _SETUP["staff"]:
            user = User.objects.create(
                uuid=self.uuid(),
                username=staff["username"],
                password=password_hash,
                first_name=staff["first_name"],
                last_name=staff["last_name"],
                email=f"{staff['username']}.{names.ascii_name(staff['last_name'])}@{STAFF_EMAIL_DOMAIN}",
                organisation=organisation,
                role=staff["role"],
                profession=staff["profession"],
            )
            TeamMembership.objects.bulk_create(
                TeamMembership(user=user, team=teams[name]) for name in staff["teams"]
            )
            users[staff["username"]] = user

        # Match people to the caseload plan; the most constrained people choose first.
        people = self.people()
        slots = caseload_plan()
        rng.shuffle(slots)
        assignment: list[tuple[names.Person, Slot]] = []
        for person in sorted(people, key=lambda p: sum(fits(p, s) for s in slots)):
            slot = next((s for s in slots if fits(person, s)), slots[0])
            slots.remove(slot)
            assignment.append((person, slot))
        rng.shuffle(assignment)

        with_bsn = set(rng.sample(range(CLIENT_COUNT), k=BSN_COUNT))
        taken_bsns: set[str] = set()
        open_phases = [phase for phase, n in cycle.OPEN_PHASE_MIX.items() for _ in range(n)]
        rng.shuffle(open_phases)
        end_reasons = list(OTHER_END_REASONS)
        rng.shuffle(end_reasons)

        clients = []
        for index, (person, slot) in enumerate(assignment):
            clients.append(
                Client(
                    uuid=self.uuid(),
                    organisation=organisation,
                    first_name=person.first_name,
                    infix=person.infix,
                    last_name=person.last_name,
                    date_of_birth=person.date_of_birth,
                    bsn=names.bsn(rng, taken_bsns) if index in with_bsn else "",
                    created_by=users[slot.username],
                    **self.contact(person),
                )
            )
        Client.objects.bulk_create(clients)

        cases: list[DemoTrajectory] = []
        conversations, actions = [], []
        for client, (person, slot) in zip(clients, assignment, strict=True):
            responsible = users[slot.username]
            words = names.words(rng, person, self.instrument_titles)
            if slot.closed:
                reason = end_reason(slot.context, end_reasons)
                final_phase = (
                    Phase.EVALUATION
                    if reason in cycle.SUCCESS_END_REASONS
                    else rng.choice(cycle.UNFINISHED_PHASES)
                )
                start = self.today - dt.timedelta(days=rng.randint(240, 548))
                end = self.today - dt.timedelta(days=rng.randint(7, 150))
                last_day = end
            else:
                reason, end = "", None
                final_phase = open_phases.pop()
                low, high = START_RANGE[final_phase]
                start = self.today - dt.timedelta(days=rng.randint(low, high))
                last_day = self.today
            if person.age < 20:  # nobody starts a trajectory before turning 18
                start = max(start, self.today - dt.timedelta(days=300))

            question = self.pick(cycle.questions_for(slot.context, person.age, person.origin))
            trajectory = Trajectory(
                uuid=self.uuid(),
                client=client,
                organisation=organisation,
                team=teams[slot.team],
                responsible=responsible,
                context=slot.context,
                start_date=start,
                question=question.text.format_map(words),
                phase=final_phase,
                end_date=end,
                end_reason=reason,
                end_note=cycle.end_note(rng, reason, words) if reason else "",
            )
            history = self.history(trajectory, final_phase, start, last_day, responsible)
            trajectory.phase_since = history[-1].changed_at
            cases.append(DemoTrajectory(trajectory, history))
            conversations.extend(self.conversations(trajectory, history, start, last_day, responsible, words))
            actions.extend(self.actions(trajectory, person, history, end, responsible, words))

        # The rows below refer to their trajectory object; bulk_create fills in its new primary key.
        Trajectory.objects.bulk_create(case.trajectory for case in cases)
        phase_changes = [change for case in cases for change in case.history]
        PhaseChange.objects.bulk_create(phase_changes)
        Conversation.objects.bulk_create(conversations)
        Action.objects.bulk_create(actions)
        measured = self.measure(cases)
        cycle_counts = self.cycle(cases, conversations)
        portal_counts = create_portal_data(self, [case.trajectory for case in cases], self.instruments)
        matching_counts = create_matching_data(self, organisation, users, [case.trajectory for case in cases])
        earlier = create_history(self, organisation, teams, users, cases, conversations)
        entries = timeline.backfill([case.trajectory.pk for case in cases] + earlier["trajectory_ids"])
        intervision_counts = create_intervision_data(
            self, organisation, users, [case.trajectory for case in cases]
        )
        development_counts = create_development_data(self, users)
        knowledge_counts = create_knowledge_data(users)
        agenda_counts = create_agenda_data(self, organisation, users, [case.trajectory for case in cases])
        refresh_quality(organisation.pk)  # as the nightly `waardewerk quality compute` would

        return DemoSummary(
            counts={
                "organisation": 1,
                "teams": len(teams),
                "users": len(users),
                "clients": len(clients),
                "trajectories": len(cases),
                "open trajectories": sum(1 for case in cases if case.trajectory.end_date is None),
                "phase changes": len(phase_changes),
                "conversations": len(conversations),
                "actions": len(actions),
                "measurements": measured,
                **cycle_counts,
                **portal_counts,
                **earlier["counts"],
                "timeline entries": entries,
                **intervision_counts,
                **development_counts,
                **knowledge_counts,
                **agenda_counts,
                **matching_counts,
            }
        )

    # -- per trajectory ------------------------------------------------------------------------------------

    def history(self, trajectory, final, start, last_day, actor) -> list[PhaseChange]:
        # Open trajectories change phase at the latest yesterday, so phase_since is always in the past.
        until = min(last_day, self.today - dt.timedelta(days=1))
        span = (until - start).days
        path = cycle.phase_path(self.rng, final, span, replan=True)
        # Each phase (the current one included) gets a share of the time after its typical length.
        weights = [PHASE_WEIGHT[phase] * self.rng.uniform(0.6, 1.5) for phase in path]
        offsets, share = [], 0.0
        for position, weight in enumerate(weights[:-1], start=1):
            share += weight
            lowest = offsets[-1] + 1 if offsets else min(5, span)
            highest = span - (len(weights) - 1 - position)
            offsets.append(min(max(round(span * share / sum(weights)), lowest), highest))
        days = [start, *(start + dt.timedelta(days=offset) for offset in offsets)]
        changes = [
            PhaseChange(
                uuid=self.uuid(),
                trajectory=trajectory,
                from_phase="",
                to_phase=Phase.INTAKE,
                reason=cycle.START_REASON,
                changed_by=actor,
                changed_at=self.moment(start),
            )
        ]
        for previous, phase, day in zip(path[:-1], path[1:], days[1:], strict=True):
            changes.append(
                PhaseChange(
                    uuid=self.uuid(),
                    trajectory=trajectory,
                    from_phase=previous,
                    to_phase=phase,
                    reason=cycle.phase_reason(self.rng, previous, phase),
                    changed_by=actor,
                    changed_at=self.moment(day),
                )
            )
        return changes

    def conversations(self, trajectory, history, start, last_day, actor, words) -> list[Conversation]:
        rng = self.rng
        span = (last_day - start).days
        count = max(2, min(8, span // 35 + rng.randint(1, 2)))
        days = {start}
        last_change = history[-1].changed_at.date()
        if last_change > start:  # a conversation soon after the latest move in the cycle
            days.add(min(last_day, last_change + dt.timedelta(days=rng.randint(0, 4))))
        days.update(self.spread_days(start, last_day, count - len(days)))
        rows, used = [], set()
        for day in sorted(days):
            first = day == start
            phase = [c.to_phase for c in history if c.changed_at.date() <= day][-1]
            fitting = cycle.conversation_texts_for(trajectory.context, phase, first, words["leeftijd"])
            if not first and all(t in used for t in fitting):
                continue  # rather fewer conversations than the same summary twice
            text = self.pick(fitting, exclude=used)
            used.add(text)
            rows.append(
                Conversation(
                    uuid=self.uuid(),
                    trajectory=trajectory,
                    date=day,
                    mode=text.mode or cycle.conversation_mode(rng, phase, trajectory.context, first),
                    phase=phase,
                    summary=text.text.format_map(words),
                    recorded_by=actor,
                )
            )
        return rows

    def actions(self, trajectory, person, history, end, actor, words) -> list[Action]:
        rng, today, start, phase = self.rng, self.today, trajectory.start_date, trajectory.phase
        last_day = end or today
        stage = cycle.stage_of(phase)
        count = rng.randint(2, 3) if stage == 0 else rng.randint(3, 6)
        newcomer = names.is_newcomer(person.origin)
        done_pool = [
            a
            for s in range(min(stage, 1) + 1)
            for a in cycle.action_texts_for(trajectory.context, s, newcomer)
        ]
        open_pool = cycle.action_texts_for(trajectory.context, stage, newcomer)
        done_count = rng.randint(0, 1) if stage == 0 else rng.randint(1, count - 1)
        # Done actions fall in the part of the trajectory they belong to: before or after execution began.
        execution_began = next(
            (c.changed_at.date() for c in history if c.to_phase == Phase.EXECUTION), last_day
        )
        windows = {
            0: (start + dt.timedelta(days=3), execution_began),
            1: (execution_began, last_day - dt.timedelta(days=1)),
        }
        rows, used = [], set()
        for i in range(count):
            done = i < done_count
            text = self.pick(done_pool if done else open_pool, exclude=used)
            used.add(text)
            if done:
                low, high = windows[text.stage]
                due = low + dt.timedelta(days=rng.randint(0, max(0, (high - low).days)))
                completed = min(last_day, max(start, due + dt.timedelta(days=rng.randint(-7, 3))))
                status = ActionStatus.DONE
            else:
                completed = None
                if end is not None:  # closed: what was still open got cancelled at closing
                    due = max(start, end + dt.timedelta(days=rng.randint(-20, 21)))
                    status = ActionStatus.CANCELLED
                else:
                    overdue = rng.random() < 0.15
                    offset = -rng.randint(1, 14) if overdue else rng.randint(3, 35)
                    due = max(start + dt.timedelta(days=1), today + dt.timedelta(days=offset))
                    status = ActionStatus.OPEN
            agreed = min(max(start, due - dt.timedelta(days=14)), last_day)
            if completed is not None:
                agreed = min(agreed, completed)
            rows.append(
                Action(
                    uuid=self.uuid(),
                    agreed_on=agreed,
                    trajectory=trajectory,
                    description=text.text.format_map(words),
                    owner=text.owner,
                    due_date=due,
                    status=status,
                    completed_on=completed,
                    created_by=actor,
                )
            )
        return rows

    # -- measurements --------------------------------------------------------------------------------------

    def measure(self, cases: list[DemoTrajectory]) -> int:
        """Every loaded instrument at its interval from a few weeks after the start (``measurements``); a
        tenth of the trajectories with a repeated measurement have one corrected."""
        rows: list[Measurement] = []
        corrections: list[tuple[DemoTrajectory, measurements.Planned]] = []
        for case in cases:
            trajectory = case.trajectory
            last_day = min(trajectory.end_date or self.today, self.today)
            first = trajectory.start_date + dt.timedelta(days=self.rng.randint(3, 21))
            path = [change.to_phase for change in case.history]
            days = [change.changed_at.date() for change in case.history]
            case.planned = measurements.measurement_plan(
                self.rng,
                self.instruments,
                first=first,
                last=last_day,
                phase_at=lambda day, path=path, days=days: cycle.phase_on(path, days, day),
                employed=trajectory.context == FT,
                work_found_on=trajectory.end_date
                if trajectory.end_reason in cycle.WORK_END_REASONS
                else None,
            )
            case.measured = [self.measurement(trajectory, planned) for planned in case.planned]
            rows.extend(case.measured)
            candidate = measurements.correction_candidate(case.planned)
            if candidate is not None and self.rng.random() < 0.1:
                corrections.append((case, candidate))
        Measurement.objects.bulk_create(rows)
        for case, original in corrections:
            replaced = case.measured[case.planned.index(original)]
            fixed = self.measurement(case.trajectory, measurements.corrected(self.rng, original))
            fixed.corrects = replaced
            fixed.correction_reason = measurements.correction_reason()
            fixed.submitted_at = replaced.submitted_at + dt.timedelta(days=2)
            fixed.save()
        refresh_due(Trajectory.objects.filter(pk__in=[case.trajectory.pk for case in cases]))
        return len(rows) + len(corrections)

    def measurement(self, trajectory, planned: measurements.Planned) -> Measurement:
        instrument = planned.instrument
        return Measurement(
            uuid=self.uuid(),
            trajectory=trajectory,
            instrument_id=instrument.version.instrument_id,
            instrument_version=instrument.version,
            respondent=planned.respondent,
            framing=instrument.definition.default_framing(planned.respondent, trajectory.context),
            phase=planned.phase,
            taken_on=planned.day,
            status=MeasurementStatus.SUBMITTED,
            submitted_at=self.moment(planned.day),
            answers=planned.answers,
            notes=json.dumps(planned.notes, ensure_ascii=False) if planned.notes else "",
            score=planned.score,
            entered_by=trajectory.responsible,
        )

    # -- the cycle: guide topics, plans, progress notes, adjustments, evaluations --------------------------

    def cycle(self, cases: list[DemoTrajectory], conversations: list[Conversation]) -> dict:
        rng = self.rng
        found = current_guide()
        guide_version, guide = found if found else (None, None)
        for conversation in conversations:
            conversation.participants = ["client", "professional"]
            if conversation.trajectory.context == FT and rng.random() < AT_WORK_SHARE:
                conversation.participants.append("employer")
                conversation.other_participants = "Leidinggevende"
            if guide is not None:
                topics = guide.topics_for(conversation.phase, conversation.trajectory.context)
                chosen = rng.sample(topics, k=min(len(topics), rng.randint(2, 4)))
                conversation.topics = [t.key for t in chosen]
                conversation.guide_version = guide_version
        Conversation.objects.bulk_update(
            conversations, ["participants", "other_participants", "topics", "guide_version"]
        )

        vocabulary = plans.vocabulary()
        entries = plans.knowledge_entries()
        employers = names.employers()
        versions, agreements, notes, adjustments, evaluations = [], [], [], [], []
        linked = []  # (plan version, its content, the moment the choices were first made)
        created_at = []  # (object, moment): auto_now_add ignores given values, so they are set afterwards
        for case in cases:
            trajectory = case.trajectory
            reached = cycle.first_reached(
                [c.to_phase for c in case.history], [c.changed_at for c in case.history]
            )
            actor = trajectory.responsible
            if Phase.PLAN in reached:
                day = reached[Phase.PLAN]
                content = plans.first_plan(rng, trajectory.context, vocabulary, entries)
                version = PlanVersion(
                    uuid=self.uuid(),
                    trajectory=trajectory,
                    number=1,
                    content=content.to_json(),
                    reason=plans.first_reason(),
                    created_by=actor,
                )
                versions.append(version)
                created_at.append((version, day))
                linked.append((version, content, day))
                agreed = day.date() + dt.timedelta(days=rng.randint(1, 10))
                if agreed <= self.today and rng.random() < 0.85:
                    agreements.append(
                        PlanAgreement(
                            uuid=self.uuid(),
                            plan_version=version,
                            agreed_on=agreed,
                            method=plans.agreement_method(rng),
                            recorded_by=actor,
                        )
                    )
                if Phase.ADJUSTING in reached:
                    adjust_day = reached[Phase.ADJUSTING].date()
                    adjustment = plans.adjustment(rng)
                    measurement = None
                    if adjustment["prompted_by"] == "measurement":
                        earlier = [
                            (planned.day, row)
                            for planned, row in zip(case.planned, case.measured, strict=True)
                            if planned.respondent == "client" and planned.day <= adjust_day
                        ]
                        if earlier:
                            measurement = max(earlier, key=lambda pair: pair[0])[1]
                        else:
                            adjustment |= {"prompted_by": "event", "event": plans.fallback_event()}
                    adjustments.append(
                        Adjustment(
                            uuid=self.uuid(),
                            trajectory=trajectory,
                            date=adjust_day,
                            measurement=measurement,
                            recorded_by=actor,
                            **adjustment,
                        )
                    )
                    second = PlanVersion(
                        uuid=self.uuid(),
                        trajectory=trajectory,
                        number=2,
                        content=plans.adjusted_plan(content).to_json(),
                        reason=plans.adjusted_reason(adjustment["change"]),
                        created_by=actor,
                    )
                    versions.append(second)
                    created_at.append((second, self.moment(adjust_day + dt.timedelta(days=1))))
                    linked.append((second, content, day))
                    agreed = adjust_day + dt.timedelta(days=rng.randint(2, 9))
                    if agreed <= self.today:
                        agreements.append(
                            PlanAgreement(
                                uuid=self.uuid(),
                                plan_version=second,
                                agreed_on=agreed,
                                method=plans.AGREEMENT_METHODS[0],
                                recorded_by=actor,
                            )
                        )
            if Phase.MONITORING in reached:
                start = reached[Phase.MONITORING].date()
                for _ in range(rng.randint(1, 3)):
                    day = min(start + dt.timedelta(days=rng.randint(3, 60)), self.today)
                    notes.append(
                        ProgressNote(
                            uuid=self.uuid(),
                            trajectory=trajectory,
                            date=day,
                            text=plans.progress_note(rng),
                            recorded_by=actor,
                        )
                    )
            if Phase.EVALUATION in reached and (trajectory.end_date or rng.random() < 0.6):
                work = trajectory.end_reason in cycle.WORK_END_REASONS or (
                    not trajectory.end_date and rng.random() < 0.5
                )
                evaluations.append(
                    Evaluation(
                        uuid=self.uuid(),
                        trajectory=trajectory,
                        work=work,
                        **(plans.work_found(rng, employers) if work else plans.NO_WORK),
                        ladder_rung=measurements.latest_level(case.planned),
                        **plans.evaluation_texts(rng),
                        recorded_by=actor,
                    )
                )
        PlanVersion.objects.bulk_create(versions)
        PlanAgreement.objects.bulk_create(agreements)
        ProgressNote.objects.bulk_create(notes)
        Adjustment.objects.bulk_create(adjustments)
        Evaluation.objects.bulk_create(evaluations)
        for obj, moment in created_at:
            obj.created_at = moment
        PlanVersion.objects.bulk_update([o for o, _ in created_at], ["created_at"])
        links = [
            PlanChoiceEntry(
                plan_version=version,
                trajectory=version.trajectory,
                choice_key=key,
                entry_id=ref.entry_id,
                entry_version_id=ref.version_id,
                recognition=ref.plan.recognition,
                chosen_at=first,
            )
            for version, content, first in linked
            for key, ref in plans.entry_links(content, entries)
        ]
        PlanChoiceEntry.objects.bulk_create(links)
        return {
            "plan versions": len(versions),
            "plan choices of knowledge-base entries": len(links),
            "plan agreements": len(agreements),
            "progress notes": len(notes),
            "adjustments": len(adjustments),
            "evaluations": len(evaluations),
        }


# ---------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------


def create_demo(today: dt.date | None = None) -> DemoSummary | None:
    """Create the demo organisation with all its data; ``None`` when it already exists."""
    with transaction.atomic():
        if demo_organisation() is not None:
            return None
        usernames = [account.username for account in DEMO_ACCOUNTS]
        taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        if taken:
            raise DemoError(
                f"User name(s) {', '.join(sorted(taken))} already exist outside the demo organisation; "
                "the demo needs them. Rename or remove those users first."
            )
        summary = DemoBuilder(today or timezone.localdate()).run()
        create_privacy_data(demo_organisation(), today or timezone.localdate())
        demo_created.send(
            sender=DemoBuilder, organisation=demo_organisation(), today=today or timezone.localdate()
        )
        return summary


def delete_demo() -> bool:
    """Remove the demo organisation and everything in it; ``False`` when there was none.

    Trajectories, clients, users, teams and the organisation protect each other (PROTECT foreign keys),
    so they go in that order, after the intervision sessions and groups; phase changes, conversations,
    actions and memberships cascade.
    """
    with transaction.atomic():
        organisation = demo_organisation()
        if organisation is None:
            return False
        try:
            # The development logs go with their owners; mentor relations protect both people.
            demo_deleting.send(sender=DemoBuilder, organisation=organisation)
            delete_privacy_data(organisation)
            Mentorship.objects.filter(organisation=organisation).delete()
            Appointment.objects.filter(organisation=organisation).delete()
            IntervisionSession.objects.filter(group__organisation=organisation).delete()
            CasePresentation.objects.filter(group__organisation=organisation).delete()
            IntervisionGroup.objects.filter(organisation=organisation).delete()
            Trajectory.objects.filter(organisation=organisation).delete()
            Trajectory.objects.filter(client__organisation=organisation).delete()
            delete_matching_data(organisation)
            Client.objects.filter(organisation=organisation).delete()
            delete_knowledge_data(organisation)
            delete_organisation_content(organisation)
            User.objects.filter(organisation=organisation).delete()
            Team.objects.filter(organisation=organisation).delete()
            organisation.delete()
        except ProtectedError as exc:
            blocking = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
            raise DemoError(
                "The demo data cannot be removed: other records still refer to it "
                f"({', '.join(str(b) for b in blocking)})."
            ) from exc
    return True
