"""The conversation guide (gespreksleidraad): parse and check a guide file, and read a stored guide.

The format is described in docs/conversation-guide.md. ``parse_guide`` turns the text of a YAML or JSON
file into a normalised dict and raises ``GuideError`` with every problem found (each naming where it is),
like ``instruments.definition.parse_definition``. ``Guide`` wraps a stored (already checked) dict for the
pages and the conversation form: per phase the topics for a trajectory's audience, in the active language.

A stored definition is JSON in the database; PostgreSQL's jsonb does not keep the order of keys, so
nothing here relies on the order of a mapping: phases come in ``PHASES`` order, topics and audiences are
lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import yaml

from waardewerk.core.content import LANGUAGES, Checker, ContentError, checksum, load_text, localised

__all__ = ["Guide", "GuideError", "Topic", "checksum", "localised", "parse_guide", "to_yaml"]

FORMAT_VERSION = 1
GUIDE_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
TOPIC_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
INSTRUMENT_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
# The methodical cycle and the trajectory contexts, as in trajectories.models.Phase and Context (a test
# keeps them equal; this module imports no models so that any app can use it).
PHASES = ("intake", "plan", "execution", "monitoring", "adjusting", "evaluation")
CONTEXTS = ("first_track", "second_track", "participation_act", "ww", "wia_wga", "other")
KNOWLEDGE_SOURCES = ("client", "expertise", "research")
TOP_FIELDS = ("format", "key", "version", "title", "description", "source", "audiences", "phases")
TOPIC_FIELDS = ("key", "title", "why", "audiences", "questions", "instruments", "knowledge_source")


class GuideError(ContentError):
    """A guide file that cannot be loaded; ``problems`` lists each problem with its place."""


def parse_guide(text: str, filename: str = "") -> dict:
    """Check a guide file and return the normalised guide, or raise GuideError naming every problem."""
    return check_guide(load_text(text, filename, GuideError))


def check_guide(raw) -> dict:
    """Check an already read guide (a dict) and return it normalised, or raise GuideError."""
    check = Checker()
    data = check.mapping(raw, "file")
    if not data:
        raise GuideError(check.problems or ["the file is empty"])
    check.unknown(data, TOP_FIELDS, "")
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        check.problem("format", f"only format {FORMAT_VERSION} exists")
    out: dict = {"format": FORMAT_VERSION}
    out["key"] = check.key(data.get("key"), "key", GUIDE_KEY_RE, "lower case letters, digits, '_' or '-'")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        check.problem("version", "expected a whole number of at least 1")
        version = None
    out["version"] = version
    out["title"] = check.text(data.get("title"), "title")
    out["description"] = check.text(data.get("description"), "description", required=False)
    out["source"] = check.text(data.get("source"), "source", required=False)
    out["audiences"] = _parse_audiences(check, data.get("audiences"))
    audience_keys = [a["key"] for a in out["audiences"] if a["key"]]
    out["phases"] = _parse_phases(check, data.get("phases"), audience_keys)
    if check.problems:
        raise GuideError(check.problems)
    return out


def _parse_audiences(check: Checker, audiences) -> list[dict]:
    if not isinstance(audiences, list) or not audiences:
        check.problem("audiences", "a list of at least one audience is needed")
        return []
    out, seen, covered = [], set(), {}
    for index, audience in enumerate(audiences):
        audience = check.mapping(audience, f"audiences[{index}]")
        key = audience.get("key")
        where = f"audiences[{index}] ({key})" if isinstance(key, str) and key else f"audiences[{index}]"
        check.unknown(audience, ("key", "label", "contexts"), where)
        key = check.key(key, f"{where}.key", TOPIC_KEY_RE, "lower case letters, digits and '_'")
        if key and key in seen:
            check.problem(f"{where}.key", f"'{key}' is used twice")
        seen.add(key)
        contexts = audience.get("contexts")
        if not isinstance(contexts, list) or not contexts:
            check.problem(f"{where}.contexts", f"a list with one or more of {', '.join(CONTEXTS)}")
            contexts = []
        contexts = check.key_list(contexts, f"{where}.contexts", allowed=CONTEXTS)
        for context in contexts:
            if context in covered:
                check.problem(
                    f"{where}.contexts", f"'{context}' belongs to audience '{covered[context]}' already"
                )
            else:
                covered[context] = key
        out.append(
            {"key": key, "label": check.text(audience.get("label"), f"{where}.label"), "contexts": contexts}
        )
    missing = [c for c in CONTEXTS if c not in covered]
    if out and missing:
        check.problem("audiences", f"no audience for the context(s) {', '.join(missing)}")
    return out


def _parse_phases(check: Checker, phases, audience_keys: list[str]) -> dict:
    if not isinstance(phases, dict):
        check.problem("phases", f"expected a mapping with the phases {', '.join(PHASES)}")
        return {}
    for name in phases:
        if name not in PHASES:
            check.problem(f"phases.{name}", f"unknown phase (use {', '.join(PHASES)})")
    out: dict = {}
    seen: dict[str, str] = {}
    for phase in PHASES:
        if phase not in phases:
            check.problem("phases", f"the phase '{phase}' is missing")
            continue
        where = f"phases.{phase}"
        body = check.mapping(phases[phase], where)
        check.unknown(body, ("intro", "topics"), where)
        topics = body.get("topics")
        if not isinstance(topics, list):
            check.problem(f"{where}.topics", "expected a list of topics")
            topics = []
        parsed = []
        for index, topic in enumerate(topics):
            parsed.append(_parse_topic(check, topic, f"{where}.topics[{index}]", phase, seen, audience_keys))
        out[phase] = {
            "intro": check.text(body.get("intro"), f"{where}.intro", required=False),
            "topics": parsed,
        }
    return out


def _parse_topic(check: Checker, topic, where: str, phase: str, seen: dict, audience_keys) -> dict:
    topic = check.mapping(topic, where)
    key = topic.get("key")
    if isinstance(key, str) and key:
        where = f"{where} ({key})"
    check.unknown(topic, TOPIC_FIELDS, where)
    key = check.key(key, f"{where}.key", TOPIC_KEY_RE, "lower case letters, digits and '_'")
    if key in seen:
        check.problem(f"{where}.key", f"'{key}' is used twice (also in phase {seen[key]})")
    elif key:
        seen[key] = phase
    questions = topic.get("questions")
    parsed_questions = []
    if not isinstance(questions, list) or not questions:
        check.problem(f"{where}.questions", "a list of at least one question is needed")
    else:
        for index, question in enumerate(questions):
            parsed_questions.append(check.text(question, f"{where}.questions[{index}]"))
    source = topic.get("knowledge_source") or ""
    if source and source not in KNOWLEDGE_SOURCES:
        check.problem(f"{where}.knowledge_source", f"use one of {', '.join(KNOWLEDGE_SOURCES)}")
        source = ""
    return {
        "key": key,
        "title": check.text(topic.get("title"), f"{where}.title"),
        "why": check.text(topic.get("why"), f"{where}.why"),
        "audiences": check.key_list(topic.get("audiences"), f"{where}.audiences", allowed=audience_keys),
        "questions": parsed_questions,
        "instruments": check.key_list(
            topic.get("instruments"), f"{where}.instruments", pattern=INSTRUMENT_KEY_RE
        ),
        "knowledge_source": source,
    }


def _ordered_text(texts: dict | None) -> dict | None:
    if not texts:
        return None
    return {lang: texts[lang] for lang in LANGUAGES if lang in texts}


def to_yaml(definition: dict) -> str:
    """The definition as a YAML file in the documented order, loadable again with ``parse_guide``."""
    out: dict = {"format": definition.get("format", FORMAT_VERSION), "key": definition["key"]}
    out["version"] = definition["version"]
    for name in ("title", "description", "source"):
        if definition.get(name):
            out[name] = _ordered_text(definition[name])
    out["audiences"] = [
        {"key": a["key"], "label": _ordered_text(a["label"]), "contexts": list(a["contexts"])}
        for a in definition["audiences"]
    ]
    phases: dict = {}
    for phase in PHASES:
        body = definition["phases"][phase]
        entry: dict = {}
        if body.get("intro"):
            entry["intro"] = _ordered_text(body["intro"])
        entry["topics"] = []
        for topic in body["topics"]:
            item: dict = {"key": topic["key"], "title": _ordered_text(topic["title"])}
            item["why"] = _ordered_text(topic["why"])
            if topic.get("audiences"):
                item["audiences"] = list(topic["audiences"])
            item["questions"] = [_ordered_text(q) for q in topic["questions"]]
            if topic.get("instruments"):
                item["instruments"] = list(topic["instruments"])
            if topic.get("knowledge_source"):
                item["knowledge_source"] = topic["knowledge_source"]
            entry["topics"].append(item)
        phases[phase] = entry
    out["phases"] = phases
    return yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)


@dataclass(frozen=True)
class Topic:
    """One topic of the guide, in the active language."""

    key: str
    phase: str
    title: str
    why: str
    questions: list[str]
    instruments: list[str]
    knowledge_source: str
    audiences: list[str]  # the audiences it is meant for (all of them when the file names none)
    for_everyone: bool


class Guide:
    """A stored guide, with what the pages and the conversation form need."""

    def __init__(self, data: dict):
        self.data = data

    @property
    def key(self) -> str:
        return self.data["key"]

    @property
    def version(self) -> int:
        return self.data["version"]

    @property
    def title(self) -> str:
        return localised(self.data["title"])

    @property
    def description(self) -> str:
        return localised(self.data.get("description"))

    @property
    def source(self) -> str:
        return localised(self.data.get("source"))

    @cached_property
    def audience_keys(self) -> list[str]:
        return [audience["key"] for audience in self.data["audiences"]]

    def audiences(self) -> list[tuple[str, str]]:
        """(key, label) of every audience, in the file's order."""
        return [(a["key"], localised(a["label"])) for a in self.data["audiences"]]

    def audience_label(self, key: str) -> str:
        for audience in self.data["audiences"]:
            if audience["key"] == key:
                return localised(audience["label"])
        return ""

    def audience_for(self, context: str) -> str:
        """The audience a trajectory context belongs to ("" when no audience names it)."""
        for audience in self.data["audiences"]:
            if context in audience["contexts"]:
                return audience["key"]
        return ""

    def intro(self, phase: str) -> str:
        return localised(self.data["phases"][phase].get("intro"))

    def _topic(self, phase: str, raw: dict) -> Topic:
        return Topic(
            key=raw["key"],
            phase=phase,
            title=localised(raw["title"]),
            why=localised(raw.get("why")),
            questions=[localised(q) for q in raw["questions"]],
            instruments=list(raw.get("instruments") or []),
            knowledge_source=raw.get("knowledge_source") or "",
            audiences=list(raw.get("audiences") or self.audience_keys),
            for_everyone=not raw.get("audiences") or set(raw["audiences"]) >= set(self.audience_keys),
        )

    def _raw_topics(self, phase: str) -> list[dict]:
        return self.data["phases"][phase]["topics"]

    def topics_in(self, phase: str, audience: str = "") -> list[Topic]:
        """The phase's topics for an audience key (every topic when ``audience`` is empty), in order."""
        return [
            self._topic(phase, raw)
            for raw in self._raw_topics(phase)
            if not audience or not raw.get("audiences") or audience in raw["audiences"]
        ]

    def topics_for(self, phase: str, context: str) -> list[Topic]:
        """The phase's topics for a trajectory context (its audience's topics), in the guide's order."""
        return self.topics_in(phase, self.audience_for(context))

    @cached_property
    def _index(self) -> dict[str, tuple[str, dict]]:
        return {raw["key"]: (phase, raw) for phase in PHASES for raw in self._raw_topics(phase)}

    def topic(self, key: str) -> Topic | None:
        found = self._index.get(key)
        return self._topic(*found) if found else None

    def topic_raw(self, key: str) -> tuple[str, dict] | None:
        """(phase, stored topic with both languages), for the editor."""
        return self._index.get(key)

    def topic_titles(self, keys) -> list[str]:
        """The titles of the given topics, in the given order; unknown keys are skipped."""
        return [localised(self._index[key][1]["title"]) for key in keys if key in self._index]

    def phases(self, audience: str = "") -> list[tuple[str, str, list[Topic]]]:
        """(phase, intro, topics) for every phase of the cycle, optionally for one audience."""
        return [(phase, self.intro(phase), self.topics_in(phase, audience)) for phase in PHASES]
