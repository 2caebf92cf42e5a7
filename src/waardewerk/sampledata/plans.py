"""The content of the cycle after the intake, shared by the demo and the generator: plans (goals in the
client's words with the work values and determinants they serve, choices with their grounds), progress
notes, adjustments and evaluations. Texts: ``data/cycle.yaml``. The work values and determinants come from
the plan vocabulary of the loaded instruments (``trajectories.services.plan_vocabulary``)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from waardewerk.knowledge.models import EntryStatus, KnowledgeEntry
from waardewerk.sampledata.texts import load
from waardewerk.trajectories.models import AgreementMethod, Context, ContractType
from waardewerk.trajectories.plan import Choice, Goal, PlanContent, PlanEntry
from waardewerk.trajectories.services import plan_vocabulary

AGREEMENT_METHODS = (AgreementMethod.CONVERSATION, AgreementMethod.SIGNED)
CONTRACT_TYPES = (ContractType.TEMPORARY, ContractType.PERMANENT, ContractType.AGENCY)
HOURS_PER_WEEK = (16, 20, 24, 32)
WITH_SUPPORT_SHARE = 0.4


@dataclass(frozen=True)
class Vocabulary:
    """The keys a goal can refer to."""

    values: tuple[str, ...]
    determinants: tuple[str, ...]


def vocabulary() -> Vocabulary:
    values, determinants = plan_vocabulary()
    return Vocabulary(tuple(values), tuple(determinants))


@dataclass(frozen=True)
class EntryRef:
    """A published entry of the knowledge base a demo choice picks, with the ids its link rows need."""

    plan: PlanEntry
    entry_id: int
    version_id: int


def knowledge_entries() -> dict[str, EntryRef]:
    """The installation's published entries (the shipped starter set), by key."""
    out = {}
    queryset = KnowledgeEntry.objects.filter(organisation=None, status=EntryStatus.PUBLISHED).exclude(
        published=None
    )
    for entry in queryset.select_related("published"):
        definition = entry.published.definition
        plan = PlanEntry(
            key=entry.key,
            version=entry.published.version,
            recognition=definition["recognition"]["level"],
            references=len(definition.get("references") or []),
            name=definition["name"]["nl"],
        )
        out[entry.key] = EntryRef(plan, entry.pk, entry.published_id)
    return out


def entry_links(content: PlanContent, entries: dict[str, EntryRef]) -> list[tuple[str, EntryRef]]:
    """The choices of a plan that picked an entry: (choice key, the entry)."""
    return [(c.key, entries[c.entry]) for c in content.choices if c.entry in entries]


def _sample(rng: random.Random, keys: tuple[str, ...], k: int) -> list[str]:
    return rng.sample(keys, min(k, len(keys)))


def _key(rng: random.Random, prefix: str) -> str:
    return f"{prefix}-{rng.getrandbits(32):08x}"


def _choice(rng, row: dict, goal: str, entries: dict[str, EntryRef]) -> Choice:
    choice = Choice(
        _key(rng, "c"),
        row["description"],
        goal,
        row["research"],
        expertise=row["expertise"],
        preference=row["preference"],
        weighing=row.get("weighing", ""),
    )
    found = entries.get(row.get("entry") or "")
    if found is not None:
        choice.entry, choice.entry_version = found.plan.key, found.plan.version
        choice.recognition, choice.entry_references = found.plan.recognition, found.plan.references
    return choice


def first_plan(
    rng: random.Random, context: str, words: Vocabulary, entries: dict[str, EntryRef] | None = None
) -> PlanContent:
    """Two goals (work, and a smaller step) and two choices with their grounds; a choice of an entry of the
    knowledge base takes its recognition and references from the entry (``entries``; without them the
    choice is a free one)."""
    texts = load("cycle")["plan"]
    pool = texts["goals"]["own_work"] if context == Context.FIRST_TRACK else texts["goals"]["work"]
    goals = [
        Goal(
            _key(rng, "g"),
            rng.choice(pool),
            _sample(rng, words.values, 2),
            _sample(rng, words.determinants, 1),
        ),
        Goal(_key(rng, "g"), rng.choice(texts["goals"]["steps"]), [], _sample(rng, words.determinants, 1)),
    ]
    choices = [
        _choice(rng, row, goals[i % 2].key, entries or {})
        for i, row in enumerate(rng.sample(texts["choices"], 2))
    ]
    return PlanContent(goals, choices)


def adjusted_plan(content: PlanContent) -> PlanContent:
    """The plan after an adjustment: the first goal in smaller steps."""
    first = content.goals[0]
    smaller = Goal(
        first.key, first.text + load("cycle")["plan"]["smaller_steps"], first.values, first.determinants
    )
    return PlanContent([smaller, *content.goals[1:]], content.choices)


def first_reason() -> str:
    return load("cycle")["plan"]["first_reason"]


def adjusted_reason(change: str) -> str:
    return load("cycle")["plan"]["adjusted_reason"].format(change=change)


def agreement_method(rng: random.Random) -> str:
    return rng.choice(AGREEMENT_METHODS)


def progress_note(rng: random.Random) -> str:
    return rng.choice(load("cycle")["progress_notes"])


def adjustment(rng: random.Random) -> dict:
    """What prompted an adjustment (``prompted_by``: event, measurement or conversation), the event, the
    reason and the change."""
    return dict(rng.choice(load("cycle")["adjustments"]))


def fallback_event() -> str:
    """The event recorded when an adjustment was to follow a measurement but none was taken yet."""
    return load("cycle")["adjustment_fallback_event"]


def evaluation_texts(rng: random.Random) -> dict:
    """The client's own evaluation and the professional's reflection."""
    texts = load("cycle")["evaluation"]
    reflection = rng.choice(texts["reflections"])
    return {"client_evaluation": rng.choice(texts["client_evaluations"]), **reflection}


def work_found(rng: random.Random, employers: list[str]) -> dict:
    """Where the client found work: employer, job, hours, contract and whether with support."""
    return {
        "employer": rng.choice(employers),
        "job_title": rng.choice(load("cycle")["evaluation"]["jobs"]),
        "hours_per_week": rng.choice(HOURS_PER_WEEK),
        "contract_type": rng.choice(CONTRACT_TYPES),
        "with_support": rng.random() < WITH_SUPPORT_SHARE,
    }


NO_WORK = {"employer": "", "job_title": "", "hours_per_week": None, "contract_type": "", "with_support": None}
