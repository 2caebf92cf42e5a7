"""Measurement histories for any loaded instrument, built from its definition alone.

Nothing here knows a particular instrument. Each current definition gives its items and their scales,
its respondents, its re-measurement interval (``schedule.interval_days``) and its scoring rule; answers
are positions on each item's scale that move over time:

- **Start**: each item starts low to middle on its scale (from a fifth to three fifths of the way up).
- **Trend** per trajectory: 60 % improve (each round every item moves up a step with a chance of two in
  three), 30 % stay level (a step either way now and then), 10 % fall back (half the items a step down
  each round). Positions stay on the scale.
- **Respondents**: the first respondent the definition names answers as above; any other answers the same
  round with their own view (now and then a step higher or lower per item). Professionals write a note
  beside some items that take one.
- **Outcome instruments**: an instrument whose definition has the role ``outcome: level`` measures where
  the person stands (its level item). A client who is in work at the start (first track) starts near its
  top; a trajectory that ends in work gets a last measurement a few days before the end, at one of its two
  highest levels, and the evaluation records the last level.

Scores come from the instruments app's own ``scoring.score``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.utils import translation

from waardewerk.instruments.definition import Definition
from waardewerk.instruments.effect import level_item
from waardewerk.instruments.models import InstrumentVersion
from waardewerk.instruments.scoring import score
from waardewerk.instruments.selectors import catalogue
from waardewerk.sampledata.texts import load

DEFAULT_INTERVAL_DAYS = 91  # for an instrument whose definition has no schedule
ROUND_JITTER = (-10, 20)  # days a round falls before or after its interval
TRENDS = ("up", "level", "down")
TREND_CUM_WEIGHTS = (6, 9, 10)  # 6:3:1 improving, level, falling back
STEPS = {"up": (0, 1, 1), "level": (-1, 0, 0, 0, 0, 1), "down": (-1, 0)}
OTHER_VIEW = (-1, 0, 0, 0, 1)  # another respondent's view of the same item
NOTE_SHARE = 0.25  # of the items that take a note, when a professional answers
NUMBER_SCALE_POINTS = 11  # a numeric scale is sampled at this many evenly spaced values
OUTCOME_ROLE = "level"
OUTCOME_TOP = 2  # a trajectory that ends in work ends at one of the outcome instrument's top levels


def is_outcome(definition: Definition) -> bool:
    """Whether the instrument measures where the person stands: the evaluation records its level."""
    return definition.roles.outcome == OUTCOME_ROLE


def _scale_values(scale: dict) -> tuple[int, ...]:
    if scale["type"] == "ordinal":
        return tuple(sorted(entry["value"] for entry in scale["values"]))
    low, high = scale["min"], scale["max"]
    if high - low < NUMBER_SCALE_POINTS:
        return tuple(range(low, high + 1))
    return tuple(
        sorted(
            {round(low + (high - low) * i / (NUMBER_SCALE_POINTS - 1)) for i in range(NUMBER_SCALE_POINTS)}
        )
    )


@dataclass(frozen=True)
class InstrumentModel:
    """What the sample data needs of one instrument's current version."""

    key: str
    version: InstrumentVersion
    definition: Definition
    title: str  # the short title, in Dutch
    respondents: tuple[str, ...]
    item_ids: tuple[str, ...]
    scales: tuple[tuple[int, ...], ...]  # the answer values of each item, low to high
    note_items: tuple[str, ...]
    interval_days: int
    outcome_item: int | None  # the position of the level item of an outcome instrument

    @classmethod
    def of(cls, version: InstrumentVersion, definition: Definition) -> InstrumentModel:
        item_ids = tuple(definition.items)
        outcome_item = item_ids.index(level_item(definition)) if is_outcome(definition) else None
        with translation.override("nl"):
            title = definition.short_title
        schedule = definition.data.get("schedule") or {}
        return cls(
            key=definition.key,
            version=version,
            definition=definition,
            title=title,
            respondents=tuple(definition.data["respondents"]),
            item_ids=item_ids,
            scales=tuple(_scale_values(definition.scale(item_id)) for item_id in item_ids),
            note_items=tuple(i for i, item in definition.items.items() if item["note"]),
            interval_days=schedule.get("interval_days") or DEFAULT_INTERVAL_DAYS,
            outcome_item=outcome_item,
        )

    @property
    def is_outcome(self) -> bool:
        return self.outcome_item is not None

    @property
    def primary_respondent(self) -> str:
        return self.respondents[0]

    @cached_property
    def tops(self) -> tuple[int, ...]:
        return tuple(len(values) - 1 for values in self.scales)

    def start(self, rng: random.Random, *, employed: bool = False) -> list[int]:
        """Starting positions: low to middle; an outcome measure of someone in work near its top."""
        positions = [rng.randint(round(top * 0.2), int(top * 0.6)) for top in self.tops]
        if employed and self.outcome_item is not None:
            positions[self.outcome_item] = max(0, self.tops[self.outcome_item] - 1)
        return positions

    def step(self, rng: random.Random, positions: list[int], trend: str) -> list[int]:
        steps = STEPS[trend]
        return [max(0, min(top, p + rng.choice(steps))) for p, top in zip(positions, self.tops, strict=True)]

    def seen_by_another(self, rng: random.Random, positions: list[int]) -> list[int]:
        return [
            max(0, min(top, p + rng.choice(OTHER_VIEW))) for p, top in zip(positions, self.tops, strict=True)
        ]

    def at_the_top(self, rng: random.Random, positions: list[int]) -> list[int]:
        """The positions with the outcome item at one of its highest levels."""
        out = list(positions)
        top = self.tops[self.outcome_item]
        out[self.outcome_item] = max(0, top - rng.randrange(min(OUTCOME_TOP, top + 1)))
        return out

    def answers(self, positions: list[int]) -> dict:
        return {
            item_id: values[p]
            for item_id, values, p in zip(self.item_ids, self.scales, positions, strict=True)
        }

    def partial_answers(self, positions: list[int]) -> dict:
        """The answers to the first half of the items (a questionnaire saved halfway)."""
        half = max(1, len(self.item_ids) // 2)
        return dict(list(self.answers(positions).items())[:half])

    def notes(self, rng: random.Random, respondent: str) -> dict | None:
        if respondent != "professional" or not self.note_items:
            return None
        options = load("measurements")["notes"]
        notes = {item_id: rng.choice(options) for item_id in self.note_items if rng.random() < NOTE_SHARE}
        return notes or None

    def corrected(self, rng: random.Random, answers: dict) -> dict:
        """The answers with one item entered wrongly before: now a step higher (lower at the top)."""
        index = rng.randrange(len(self.item_ids))
        item_id, values = self.item_ids[index], self.scales[index]
        position = values.index(answers[item_id]) if answers[item_id] in values else 0
        position = position + 1 if position + 1 < len(values) else max(0, position - 1)
        return {**answers, item_id: values[position]}

    def level(self, answers: dict) -> int | None:
        return answers.get(self.item_ids[self.outcome_item]) if self.outcome_item is not None else None


def loaded_instruments() -> list[InstrumentModel]:
    """Every instrument with a current version and a re-measurement schedule, by key. One without a
    schedule is asked for when it fits (such as the client-experience questionnaire), not in rounds."""
    return [
        InstrumentModel.of(instrument.current, definition)
        for instrument, definition in catalogue()
        if definition.data.get("schedule")
    ]


def titles(instruments: list[InstrumentModel]) -> dict[str, list[str]]:
    """Short titles for the texts: those the client answers, and all (see ``names.words``)."""
    return {
        "client": [i.title for i in instruments if "client" in i.respondents],
        "any": [i.title for i in instruments],
    }


def choose_trend(rng: random.Random) -> str:
    return rng.choices(TRENDS, cum_weights=TREND_CUM_WEIGHTS)[0]


def correction_reason() -> str:
    return load("measurements")["correction_reason"]


@dataclass
class Planned:
    """One measurement to write."""

    instrument: InstrumentModel
    respondent: str
    day: dt.date
    phase: str
    answers: dict
    notes: dict | None
    score: dict
    round: int  # 0 for the first measurement with this instrument


def rounds(rng: random.Random, first: dt.date, last: dt.date, interval: int) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        days.append(day)
        day += dt.timedelta(days=interval + rng.randint(*ROUND_JITTER))
    return days


def measurement_plan(
    rng: random.Random,
    instruments: list[InstrumentModel],
    *,
    first: dt.date,
    last: dt.date,
    phase_at: Callable[[dt.date], str],
    employed: bool = False,
    work_found_on: dt.date | None = None,
) -> list[Planned]:
    """The measurements of one trajectory from ``first`` to ``last``: every instrument at its interval
    (instruments with the same interval in the same rounds), every respondent each round, one trend for
    the whole trajectory; with ``work_found_on``, the outcome instruments' last measurement shows it."""
    if first > last:
        return []
    trend = choose_trend(rng)
    days_by_interval: dict[int, list[dt.date]] = {}
    plan: list[Planned] = []
    for instrument in instruments:
        if instrument.interval_days not in days_by_interval:
            days_by_interval[instrument.interval_days] = rounds(rng, first, last, instrument.interval_days)
        days = days_by_interval[instrument.interval_days]
        final = None
        if work_found_on is not None and instrument.is_outcome:
            final = work_found_on - dt.timedelta(days=rng.randint(1, 5))
            days = [day for day in days if day < final]  # the measurement that shows the work is the last
        positions = instrument.start(rng, employed=employed)
        for number, day in enumerate(days):
            if number:
                positions = instrument.step(rng, positions, trend)
            phase = phase_at(day)
            for respondent in instrument.respondents:
                if respondent == instrument.primary_respondent:
                    seen = positions
                else:
                    seen = instrument.seen_by_another(rng, positions)
                plan.append(_planned(rng, instrument, respondent, day, phase, seen, number))
        if final is not None and first <= final <= last:
            top = instrument.at_the_top(rng, positions)
            respondent = instrument.primary_respondent
            plan.append(_planned(rng, instrument, respondent, final, phase_at(final), top, len(days)))
    return plan


def _planned(rng, instrument, respondent, day, phase, positions, number) -> Planned:
    answers = instrument.answers(positions)
    return Planned(
        instrument=instrument,
        respondent=respondent,
        day=day,
        phase=phase,
        answers=answers,
        notes=instrument.notes(rng, respondent),
        score=score(instrument.version.definition, answers),
        round=number,
    )


def corrected(rng: random.Random, original: Planned) -> Planned:
    """A correction of ``original``: the same measurement with one answer entered differently."""
    answers = original.instrument.corrected(rng, original.answers)
    return Planned(
        instrument=original.instrument,
        respondent=original.respondent,
        day=original.day,
        phase=original.phase,
        answers=answers,
        notes=original.notes,
        score=score(original.instrument.version.definition, answers),
        round=original.round,
    )


def correction_candidate(plan: list[Planned]) -> Planned | None:
    """The measurement a correction replaces: the client's latest one with an instrument they answered
    at least twice (the professional's when the client answered none twice)."""
    for respondent in ("client", "professional"):
        repeated = [p for p in plan if p.respondent == respondent and p.round >= 1]
        if repeated:
            return max(repeated, key=lambda p: p.day)
    return None


def latest_level(plan: list[Planned]) -> int | None:
    """The outcome level an evaluation records (``Evaluation.ladder_rung``): the last level of the first
    outcome instrument, as its first respondent gave it (after work was found, one of its top levels); none
    when it was not measured or no instrument has that role, as a professional would leave it empty."""
    outcome = [p for p in plan if p.instrument.is_outcome and p.respondent == p.instrument.primary_respondent]
    if not outcome:
        return None
    key = outcome[0].instrument.key
    last = max((p for p in outcome if p.instrument.key == key), key=lambda p: p.day)
    return last.instrument.level(last.answers)
