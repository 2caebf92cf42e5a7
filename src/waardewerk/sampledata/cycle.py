"""The methodical cycle as the sample data walks it: the route through the phases, and which question,
conversation summary, action, phase reason and end note fits a trajectory at a moment. The texts come from
``data/trajectories.yaml``; the rules for choosing them are here, shared by the demo and the generator."""

from __future__ import annotations

import datetime as dt
import random
from functools import cache

from waardewerk.sampledata import names, texts
from waardewerk.trajectories.models import Context, ConversationMode, EndReason, Phase

PHASE_ORDER = [Phase.INTAKE, Phase.PLAN, Phase.EXECUTION, Phase.MONITORING, Phase.ADJUSTING, Phase.EVALUATION]
ALL_CONTEXTS = frozenset(Context.values)
# Contexts in which the client still has (or had until recently) a job.
EMPLOYED_CONTEXTS = frozenset({Context.FIRST_TRACK, Context.SECOND_TRACK})
WORK_CONTEXTS = frozenset({Context.FIRST_TRACK, Context.SECOND_TRACK, Context.DISABILITY})
HOME_VISIT_CONTEXTS = frozenset({Context.PARTICIPATION_ACT, Context.OTHER})
# The current phase of open trajectories: the demo's counts (40 open trajectories), the generator's weights.
OPEN_PHASE_MIX = {
    Phase.INTAKE: 5,
    Phase.PLAN: 6,
    Phase.EXECUTION: 9,
    Phase.MONITORING: 9,
    Phase.ADJUSTING: 5,
    Phase.EVALUATION: 6,
}
# End reasons that close a trajectory after a successful evaluation; the first two mean work was found.
WORK_END_REASONS = frozenset({EndReason.PAID_WORK, EndReason.WORK_OWN_EMPLOYER})
SUCCESS_END_REASONS = WORK_END_REASONS | {EndReason.EDUCATION}
# Where a trajectory that did not end well stopped.
UNFINISHED_PHASES = (Phase.PLAN, Phase.EXECUTION, Phase.MONITORING, Phase.ADJUSTING)


def phase_path(rng: random.Random, final: str, span_days: int, *, replan: bool = False) -> list[str]:
    """The phases from intake to ``final``. Straight from monitoring to evaluation when all went to plan;
    a third of the longer trajectories take a round through adjusting; with ``replan`` some trajectories
    in the plan phase got there again after adjusting."""
    base = PHASE_ORDER[: PHASE_ORDER.index(final) + 1]
    if final == Phase.EVALUATION:
        base.remove(Phase.ADJUSTING)
    roll = rng.random()
    if span_days >= 150 and final in (Phase.EXECUTION, Phase.MONITORING, Phase.EVALUATION) and roll < 0.35:
        cut = base.index(Phase.EXECUTION) + 1
        return [*base[:cut], Phase.MONITORING, Phase.ADJUSTING, Phase.EXECUTION, *base[cut:]]
    if replan and span_days >= 120 and final == Phase.PLAN and roll < 0.3:
        return [Phase.INTAKE, Phase.PLAN, Phase.EXECUTION, Phase.MONITORING, Phase.ADJUSTING, Phase.PLAN]
    return base


def phase_on(path: list[str], days: list[dt.date], day: dt.date) -> str:
    """The phase on ``day`` of a trajectory that entered ``path[i]`` on ``days[i]``."""
    phase = path[0]
    for to_phase, changed in zip(path, days, strict=True):
        if changed <= day:
            phase = to_phase
    return phase


def first_reached(path: list[str], days: list) -> dict[str, object]:
    """When each phase of the path was first entered (a date or a moment, as given)."""
    reached: dict[str, object] = {}
    for phase, day in zip(path, days, strict=True):
        reached.setdefault(phase, day)
    return reached


def stage_of(phase: str) -> int:
    """The action stage of a phase: 0 intake and plan, 1 execution onwards, 2 evaluation."""
    return {Phase.INTAKE: 0, Phase.PLAN: 0, Phase.EVALUATION: 2}.get(phase, 1)


START_REASON = texts.load("trajectories")["start_reason"]


def phase_reason(rng: random.Random, from_phase: str, to_phase: str) -> str:
    return rng.choice(texts.phase_reasons()[(from_phase, to_phase)])


def end_note(rng: random.Random, reason: str, words: dict) -> str:
    notes = texts.load("trajectories")["end_notes"].get(reason)
    return rng.choice(notes).format_map(words) if notes else ""


def handover_reason(rng: random.Random) -> str:
    return rng.choice(texts.load("trajectories")["handover_reasons"])


@cache
def questions_for(context: str, age: int, origin: str) -> tuple[texts.Question, ...]:
    """The questions for help that fit the context and the person (age, background); all of the context's
    questions when none fits. A status holder gets a status holder's question where there is one."""
    status_holder = names.is_status_holder(origin)
    in_context = tuple(q for q in texts.questions() if q.context == context)
    fitting = tuple(
        q
        for q in in_context
        if q.min_age <= age <= q.max_age and (not q.status_holders_only or status_holder)
    )
    if status_holder:
        fitting = tuple(q for q in fitting if q.status_holders_only) or fitting
    return fitting or in_context


@cache
def conversation_texts_for(
    context: str, phase: str, first: bool, age: int
) -> tuple[texts.ConversationText, ...]:
    """The summaries that fit a conversation: the phase it was held in, the context, whether it was the
    trajectory's first conversation, the client's age."""
    return tuple(
        t
        for t in texts.conversation_texts(ALL_CONTEXTS)
        if t.phase == phase
        and context in t.contexts
        and (t.when == "any" or (t.when == "first") == first)
        and age <= t.max_age
    )


@cache
def action_texts_for(context: str, stage: int, newcomer: bool) -> tuple[texts.ActionText, ...]:
    return tuple(
        a
        for a in texts.action_texts(ALL_CONTEXTS)
        if context in a.contexts and a.stage == stage and (newcomer or not a.newcomers_only)
    )


def conversation_mode(rng: random.Random, phase: str, context: str, first: bool) -> str:
    """How a conversation was held when its text does not say: the first in person; during execution and
    monitoring often by phone or at work; otherwise mostly in person, with home visits and visits at work
    where the context makes them likely."""
    modes = ConversationMode
    if first:
        return modes.IN_PERSON
    if phase in (Phase.EXECUTION, Phase.MONITORING):
        options = [modes.IN_PERSON, modes.PHONE, modes.PHONE, modes.VIDEO, modes.AT_WORK]
        if context in WORK_CONTEXTS:
            options.append(modes.AT_WORK)
    else:
        options = [modes.IN_PERSON] * 3 + [modes.VIDEO, modes.PHONE]
        if context in HOME_VISIT_CONTEXTS:
            options.append(modes.HOME_VISIT)
        elif context in WORK_CONTEXTS:
            options.append(modes.AT_WORK)
    return rng.choice(options)
