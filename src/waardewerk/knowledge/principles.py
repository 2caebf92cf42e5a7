"""Guiding principles (leidende gedragsprincipes): parse and check a principles file, and read a stored one.

The format is in docs/knowledge.md ("Guiding principles"). One list per installation, versioned content like
the conversation guide (``services.PRINCIPLES``). ``check_principles`` returns the normalised dict or raises
``PrinciplesError`` naming every problem with its place; ``Principles`` reads a stored (checked) dict for the
pages and the conversation form, in the active language. Principles are a list, so their order is kept in
PostgreSQL's jsonb too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from waardewerk.core.content import Checker, ContentError, load_text, localised

__all__ = ["Principle", "Principles", "PrinciplesError", "check_principles", "parse_principles"]

KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
PRINCIPLE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TOP_FIELDS = ("key", "version", "title", "about", "principles")
PRINCIPLE_FIELDS = ("key", "title", "explanation", "in_practice", "sources")
SOURCE_FIELDS = ("citation", "doi", "url", "unverified")
MAX_PRINCIPLES = 40
CITATION_MAX = 500


class PrinciplesError(ContentError):
    """A principles file that cannot be loaded; ``problems`` lists each problem with its place."""


def parse_principles(text: str, filename: str = "") -> dict:
    return check_principles(load_text(text, filename, PrinciplesError))


def check_principles(raw) -> dict:
    check = Checker()
    data = check.mapping(raw, "file")
    if not data:
        raise PrinciplesError(check.problems or ["the file is empty"])
    check.unknown(data, TOP_FIELDS, "")
    out: dict = {
        "key": check.key(data.get("key"), "key", KEY_RE, "lower case letters, digits, '_' or '-'"),
        "version": check.integer(data.get("version"), "version", minimum=1),
        "title": check.text(data.get("title"), "title"),
        "about": check.text(data.get("about"), "about", required=False),
    }
    principles = data.get("principles")
    if not isinstance(principles, list) or not principles:
        check.problem("principles", "a list of at least one principle is needed")
        principles = []
    if len(principles) > MAX_PRINCIPLES:
        check.problem("principles", f"at most {MAX_PRINCIPLES} principles")
    seen: set[str] = set()
    out["principles"] = [_principle(check, p, index, seen) for index, p in enumerate(principles)]
    if check.problems:
        raise PrinciplesError(check.problems)
    return out


def _principle(check: Checker, raw, index: int, seen: set[str]) -> dict:
    principle = check.mapping(raw, f"principles[{index}]")
    key = principle.get("key")
    where = f"principles[{index}] ({key})" if isinstance(key, str) and key else f"principles[{index}]"
    check.unknown(principle, PRINCIPLE_FIELDS, where)
    key = check.key(key, f"{where}.key", PRINCIPLE_KEY_RE, "lower case letters, digits and '_'")
    if key and key in seen:
        check.problem(f"{where}.key", f"'{key}' is used twice")
    seen.add(key)
    out = {
        "key": key,
        "title": check.text(principle.get("title"), f"{where}.title"),
        "explanation": check.text(principle.get("explanation"), f"{where}.explanation"),
    }
    in_practice = check.text(principle.get("in_practice"), f"{where}.in_practice", required=False)
    if in_practice:
        out["in_practice"] = in_practice
    sources = principle.get("sources")
    if not isinstance(sources, list) or not sources:
        check.problem(
            f"{where}.sources", "name at least one source (citation), or say where the idea comes from"
        )
        sources = []
    out["sources"] = []
    for number, source in enumerate(sources):
        place = f"{where}.sources[{number}]"
        source = check.mapping(source, place)
        check.unknown(source, SOURCE_FIELDS, place)
        citation = check.string(source.get("citation"), f"{place}.citation")
        if len(citation) > CITATION_MAX:
            check.problem(f"{place}.citation", f"at most {CITATION_MAX} characters")
        item = {"citation": citation}
        for name in ("doi", "url"):
            value = check.string(source.get(name), f"{place}.{name}", required=False)
            if value:
                item[name] = value
        if item.get("url") and not item["url"].startswith(("https://", "http://")):
            check.problem(f"{place}.url", "a web address starting with https://")
        unverified = check.text(source.get("unverified"), f"{place}.unverified", required=False)
        if unverified:
            item["unverified"] = unverified
        out["sources"].append(item)
    return out


@dataclass(frozen=True)
class Source:
    citation: str
    doi: str
    url: str
    unverified: str

    @property
    def link(self) -> str:
        return self.url or (f"https://doi.org/{self.doi}" if self.doi else "")


@dataclass(frozen=True)
class Principle:
    key: str
    title: str
    explanation: str
    in_practice: str
    sources: tuple[Source, ...]


class Principles:
    """A stored principles list read in the active language."""

    def __init__(self, definition: dict):
        self.definition = definition

    @property
    def key(self) -> str:
        return self.definition["key"]

    @property
    def title(self) -> str:
        return localised(self.definition.get("title"))

    @property
    def about(self) -> str:
        return localised(self.definition.get("about"))

    def all(self) -> list[Principle]:
        return [
            Principle(
                key=p["key"],
                title=localised(p["title"]),
                explanation=localised(p["explanation"]),
                in_practice=localised(p.get("in_practice")),
                sources=tuple(
                    Source(s["citation"], s.get("doi", ""), s.get("url", ""), localised(s.get("unverified")))
                    for s in p.get("sources", [])
                ),
            )
            for p in self.definition.get("principles", [])
        ]

    def keys(self) -> list[str]:
        return [p["key"] for p in self.definition.get("principles", [])]

    def choices(self) -> list[tuple[str, str]]:
        return [(p["key"], localised(p["title"])) for p in self.definition.get("principles", [])]

    def titles(self, keys) -> list[dict]:
        """The titles per language of the given keys (unknown keys left out), for the timeline's data."""
        by_key = {p["key"]: p["title"] for p in self.definition.get("principles", [])}
        return [by_key[k] for k in keys if k in by_key]

    def find(self, key: str) -> dict | None:
        return next((p for p in self.definition.get("principles", []) if p["key"] == key), None)
