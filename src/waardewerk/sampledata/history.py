"""Demo history for the team quality pages: earlier, closed trajectories of both demo teams over the last six
quarters (``QUARTERS``), so ``/quality/team/`` and ``/quality/mine/`` show figures and trends instead of
"too few to show" (the 48 current demo clients fall below the small-number threshold *k*).

``create_history(builder, ...)`` is called by ``demo.DemoBuilder.run`` after the current demo is made. It
uses the builder's methods for the phase history, conversations, actions, measurements, plans and
evaluations, with a random generator of its own: the current demo stays exactly as it was, and the
history is the same on every run of the same day. On top of that it writes what the builder does not:
the guiding principles each conversation served, answers to the client-experience questionnaire (the
instrument with ``roles.quality: experience``), the client's own evaluation from the portal, and a
professional's reflection that is sometimes left incomplete. The team gets a little better over time on
principles, reflection and experience, so the trend says something.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import replace
from types import SimpleNamespace

from waardewerk.clients.models import Client
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.instruments.scoring import score
from waardewerk.instruments.selectors import catalogue
from waardewerk.knowledge.selectors import current_principles
from waardewerk.portal.models import ClientEvaluation
from waardewerk.quality.figures import recent_quarters
from waardewerk.sampledata import cycle, names
from waardewerk.sampledata.measurements import InstrumentModel
from waardewerk.sampledata.texts import load
from waardewerk.trajectories.models import (
    Action,
    Context,
    Conversation,
    EndReason,
    Evaluation,
    Phase,
    PhaseChange,
    PlanVersion,
    Trajectory,
)
from waardewerk.trajectories.plan import PlanContent

SEED = "20261123-history"
QUARTERS = 6
PER_PROFESSIONAL = 42  # closed trajectories per professional, ending over the six quarters
DURATION_DAYS = (150, 300)
EVALUATED_SHARE = 0.9  # reached the evaluation phase (with an evaluation); the rest stopped earlier
EXPERIENCE_SHARE = 0.8  # trajectories whose client answered the experience questionnaire at least once
# Per professional: their team (a key of ``demo.TEAMS``) and the contexts of their earlier trajectories.
CASELOADS = {
    "sanne": ("wi", [Context.PARTICIPATION_ACT] * 4 + [Context.OTHER]),
    "pieter": ("wi", [Context.PARTICIPATION_ACT] * 4 + [Context.OTHER]),
    "marieke": ("brug", [Context.FIRST_TRACK, Context.SECOND_TRACK, Context.DISABILITY]),
    "youssef": ("brug", [Context.PARTICIPATION_ACT, Context.UNEMPLOYMENT, Context.DISABILITY]),
}


def _end_reason(rng: random.Random, context: str, evaluated: bool) -> str:
    if not evaluated:
        return rng.choice(
            [EndReason.CLIENT_STOPPED, EndReason.HEALTH, EndReason.MOVED, EndReason.OTHER_SUPPORT]
        )
    if context == Context.FIRST_TRACK:
        return EndReason.WORK_OWN_EMPLOYER
    return rng.choice([EndReason.PAID_WORK, EndReason.PAID_WORK, EndReason.PAID_WORK, EndReason.EDUCATION])


def _progress(day: dt.date, first: dt.date, today: dt.date) -> float:
    """0 at the start of the history, 1 today: how far the team's improvement has come."""
    span = max(1, (today - first).days)
    return min(1.0, max(0.0, (day - first).days / span))


def create_history(
    builder, organisation, teams: dict, users: dict, current: list, conversations: list[Conversation]
) -> dict:
    """``builder`` is the demo's ``DemoBuilder`` (its methods, ``today``, ``uuid()``, ``moment(day)``); its
    random generators and text counts are swapped for the history's own and put back afterwards, so what
    the demo makes after this stays the same. ``current`` are the current demo's trajectories (with their
    phase history) and ``conversations`` theirs: these get guiding principles and experience answers too.
    Returns the counts and the new trajectories' ids."""
    saved = builder.rng, builder.uuid_rng, builder.used
    builder.rng, builder.uuid_rng, builder.used = (
        random.Random(SEED),
        random.Random(f"{SEED}-uuid"),
        Counter(),
    )
    try:
        return _create(builder, organisation, teams, users, current, conversations)
    finally:
        builder.rng, builder.uuid_rng, builder.used = saved


def _create(builder, organisation, teams, users, current, current_conversations) -> dict:
    rng, today = builder.rng, builder.today
    first_day = recent_quarters(today, QUARTERS)[0].first
    last_end = today - dt.timedelta(days=7)
    span = (last_end - first_day).days
    origins = [origin for origin, n in names.origin_mix().items() for _ in range(n)]
    seen = set(Client.objects.filter(organisation=organisation).values_list("first_name", "last_name"))

    clients, cases, conversations, actions = [], [], [], []
    for username, (team_key, contexts) in CASELOADS.items():
        responsible = users[username]
        for index in range(PER_PROFESSIONAL):
            end = first_day + dt.timedelta(days=round(span * (index + rng.random()) / PER_PROFESSIONAL))
            end = min(end, last_end)
            start = end - dt.timedelta(days=rng.randint(*DURATION_DAYS))
            context = contexts[index % len(contexts)]
            origin = rng.choice(origins)
            while names.is_status_holder(origin) and context != Context.PARTICIPATION_ACT:
                origin = rng.choice(origins)
            while True:
                female = rng.random() < 0.5
                age = rng.randint(23, 63)
                first_name, infix, last_name = names.random_name(rng, origin, female, age)
                if (first_name, last_name) not in seen:
                    seen.add((first_name, last_name))
                    break
            person = names.Person(first_name, infix, last_name, female, origin, age, builder.birth_date(age))
            client = Client(
                uuid=builder.uuid(),
                organisation=organisation,
                first_name=first_name,
                infix=infix,
                last_name=last_name,
                date_of_birth=person.date_of_birth,
                created_by=responsible,
                **builder.contact(person),
            )
            clients.append(client)
            evaluated = rng.random() < EVALUATED_SHARE
            reason = _end_reason(rng, context, evaluated)
            final = Phase.EVALUATION if evaluated else rng.choice(cycle.UNFINISHED_PHASES)
            words = names.words(rng, person, builder.instrument_titles)
            trajectory = Trajectory(
                uuid=builder.uuid(),
                client=client,
                organisation=organisation,
                team=teams[team_key],
                responsible=responsible,
                context=context,
                start_date=start,
                question=builder.pick(cycle.questions_for(context, age, origin)).text.format_map(words),
                phase=final,
                end_date=end,
                end_reason=reason,
                end_note=cycle.end_note(rng, reason, words),
            )
            history = builder.history(trajectory, final, start, end, responsible)
            trajectory.phase_since = history[-1].changed_at
            cases.append(SimpleNamespace(trajectory=trajectory, history=history, planned=[], measured=[]))
            conversations.extend(builder.conversations(trajectory, history, start, end, responsible, words))
            actions.extend(builder.actions(trajectory, person, history, end, responsible, words))

    Client.objects.bulk_create(clients)
    Trajectory.objects.bulk_create(case.trajectory for case in cases)
    PhaseChange.objects.bulk_create(change for case in cases for change in case.history)
    Conversation.objects.bulk_create(conversations)
    Action.objects.bulk_create(actions)
    measured = builder.measure(cases)
    counts = builder.cycle(cases, conversations)
    principled = mark_principles(rng, [*current_conversations, *conversations], first_day, today)
    trajectories = [case.trajectory for case in cases]
    _incomplete_reflections(rng, trajectories, first_day, today)
    _grounded_plans(rng, trajectories, first_day, today)
    experience = _experience(builder, rng, [*current, *cases], first_day)
    own = _client_evaluations(builder, rng, trajectories)
    return {
        "counts": {
            "earlier closed trajectories": len(cases),
            "their measurements": measured + experience,
            "their plan versions": counts["plan versions"],
            "their evaluations": counts["evaluations"],
            "conversations with guiding principles": principled,
            "clients' own evaluations": own,
        },
        "trajectory_ids": [t.pk for t in trajectories],
    }


def mark_principles(
    rng: random.Random, conversations: list[Conversation], first_day: dt.date, today: dt.date
):
    """The guiding principles each conversation served: a few per conversation, more often later on."""
    found = current_principles()
    if found is None:
        return 0
    version, reader = found
    keys = reader.keys()
    # Some principles come naturally, others need practice: each its own base rate.
    base = {key: 0.15 + 0.5 * ((index * 37) % 10) / 10 for index, key in enumerate(keys)}
    for conversation in conversations:
        progress = _progress(conversation.date, first_day, today)
        chosen = [key for key in keys if rng.random() < base[key] * (0.6 + 0.6 * progress)]
        conversation.principles = chosen
        conversation.principles_version = version if chosen else None
    Conversation.objects.bulk_update(conversations, ["principles", "principles_version"], batch_size=500)
    return sum(1 for c in conversations if c.principles)


def _incomplete_reflections(rng, trajectories, first_day, today) -> None:
    """Early on, a professional sometimes closed without writing what they left undone."""
    evaluations = list(
        Evaluation.objects.filter(trajectory__in=trajectories)
        .select_related("trajectory")
        .order_by("trajectory__uuid", "pk")  # a fixed order: the random draws follow it
    )
    changed = []
    for evaluation in evaluations:
        progress = _progress(evaluation.trajectory.end_date, first_day, today)
        if rng.random() < 0.35 * (1 - progress):
            evaluation.missed_chances = ""
            changed.append(evaluation)
    Evaluation.objects.bulk_update(changed, ["missed_chances"])


def _grounded_plans(rng, trajectories, first_day, today) -> None:
    """Later on, professionals more often completed a plan's grounds: a reference for a free choice and the
    client's preference where it was missing (an entry without references stays without research)."""
    texts = load("history")
    versions = list(
        PlanVersion.objects.filter(trajectory__in=trajectories)
        .select_related("trajectory")
        .order_by("trajectory__uuid", "number")  # a fixed order: the random draws follow it
    )
    changed = []
    for version in versions:
        progress = _progress(version.trajectory.start_date, first_day, today)
        if rng.random() >= 0.15 + 0.7 * progress:
            continue
        content = PlanContent.from_json(version.content)
        choices = []
        for choice in content.choices:
            research = choice.research or next(
                (
                    ref
                    for start, ref in texts["plan_research"].items()
                    if choice.description.startswith(start)
                ),
                "",
            )
            preference = choice.preference or rng.choice(texts["plan_preferences"])
            choices.append(replace(choice, research="" if choice.entry else research, preference=preference))
        version.content = PlanContent(content.goals, choices).to_json()
        changed.append(version)
    PlanVersion.objects.bulk_update(changed, ["content"], batch_size=200)


def experience_instrument() -> InstrumentModel | None:
    for instrument, definition in catalogue():
        if definition.roles.quality == "experience" and "client" in (
            definition.data.get("respondents") or ()
        ):
            return InstrumentModel.of(instrument.current, definition)
    return None


def _experience(builder, rng, cases, first_day) -> int:
    """Answers to the client-experience questionnaire, filled in by the client in the portal: once or twice
    per trajectory, a little more positive later on."""
    instrument = experience_instrument()
    if instrument is None:
        return 0
    rows = []
    for case in cases:
        trajectory = case.trajectory
        if rng.random() >= EXPERIENCE_SHARE:
            continue
        # A current client was asked in the last half year, an earlier one while the trajectory ran.
        first = trajectory.start_date + dt.timedelta(days=30)
        if trajectory.end_date is None:
            first = max(first, builder.today - dt.timedelta(days=180))
        last = trajectory.end_date or builder.today - dt.timedelta(days=1)
        if first > last:
            continue
        count = rng.randint(1, 2)
        days = sorted({first + dt.timedelta(days=rng.randint(0, (last - first).days)) for _ in range(count)})
        path = [change.to_phase for change in case.history]
        changed = [change.changed_at.date() for change in case.history]
        positions = instrument.start(rng)
        for day in days:
            progress = _progress(day, first_day, builder.today)
            trend = "up" if rng.random() < 0.35 + 0.4 * progress else "level"
            positions = instrument.step(rng, positions, trend)
            rows.append(
                Measurement(
                    uuid=builder.uuid(),
                    trajectory=trajectory,
                    instrument_id=instrument.version.instrument_id,
                    instrument_version=instrument.version,
                    respondent="client",
                    framing=instrument.definition.default_framing("client", trajectory.context),
                    phase=cycle.phase_on(path, changed, day),
                    taken_on=day,
                    status=MeasurementStatus.SUBMITTED,
                    submitted_at=builder.moment(day),
                    answers=(answers := instrument.answers(positions)),
                    score=score(instrument.version.definition, answers),
                    entered_by=None,
                    entered_by_client=True,
                )
            )
    Measurement.objects.bulk_create(rows)
    return len(rows)


def _client_evaluations(builder, rng, trajectories) -> int:
    """Half of the clients who reached the evaluation wrote their own look back in the portal."""
    texts = load("history")["client_evaluation"]
    rows = []
    for trajectory in trajectories:
        if trajectory.phase != Phase.EVALUATION or rng.random() >= 0.5:
            continue
        rows.append(
            ClientEvaluation(
                uuid=builder.uuid(),
                trajectory=trajectory,
                went_well=rng.choice(texts["went_well"]),
                was_hard=rng.choice(texts["was_hard"]) if rng.random() < 0.7 else "",
                advice=rng.choice(texts["advice"]) if rng.random() < 0.6 else "",
                satisfaction=rng.choice([3, 4, 4, 4, 5, 5]),
            )
        )
    ClientEvaluation.objects.bulk_create(rows)
    for row in rows:  # auto_now_add and auto_now ignore given values: set afterwards
        row.created_at = row.updated_at = builder.moment(
            row.trajectory.end_date - dt.timedelta(days=rng.randint(1, 10))
        )
    ClientEvaluation.objects.bulk_update(rows, ["created_at", "updated_at"])
    return len(rows)
