"""Pseudonymising the free text of a case presentation (docs/intervision.md, "Pseudonymisation").

Two steps, both plain string work on what the record knows, never a guess about the person:

1. **Replace** every identifier the record holds: the client's names (each part and the whole, with and
   without the infix), the contacts named in conversations, the employer, the client's place, street and
   postal code, e-mail address and phone number, and the words the case owner added. Patterns catch what
   looks like a BSN or other long number, an e-mail address, a phone number or a Dutch postal code even
   when the record does not know it. Each is replaced by a placeholder that says what it was
   ("[client]", "[employer]", ...).
2. **Mark** every remaining capitalised word (except a common word at the start of a sentence) for the
   case owner to check: a name the record does not know looks like that. The owner adds such words to the
   words to hide, or leaves them (an organisation's acronym, a method's name).

The result is a list of segments ``[text, kind]`` with kind ``""`` (plain), ``"replaced"`` (a
placeholder) or ``"mark"`` (a capitalised word to check), so the page can show the marks to the owner and
the same text without marks to the group. Written here rather than taken from a library: the
pseudonymisers we know (Presidio, deduce) find names by statistical models or Dutch medical lists and pull in
large dependencies; what this step must replace is known exactly (the record), and what it cannot know it
only marks, so a person checks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Words that often start a sentence (Dutch and English): not marked there. Elsewhere every capitalised
# word is marked.
SENTENCE_STARTERS = frozenset(
    """
    de het een hij zij ze wij we ik u jij je in op na bij met voor om er dat dit die deze als maar en ook
    toen nu daarna dan wel niet geen nog samen wat wie waar waarom hoe omdat door over tijdens sinds zijn
    haar hun mijn onze eerst eerste tweede volgende vorige alle veel weinig meer minder tot vanaf uit aan
    the a an he she they it i you in on at after before with for to we his her their this that these those
    when then now also but and not no as because during since first next last all more less from
    """.split()
)
WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?:;]\s*$|^\s*$")
PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "email"),
    (re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b"), "postal_code"),
    (re.compile(r"(?:\+31|0031|\b0)[\s-]?\d(?:[\s-]?\d){7,9}\b"), "phone"),
    (re.compile(r"\b\d{8,}\b"), "number"),
)


def placeholder(kind: str) -> str:
    return {
        "client": _("[client]"),
        "contact": _("[contact]"),
        "employer": _("[employer]"),
        "place": _("[place]"),
        "address": _("[address]"),
        "postal_code": _("[postal code]"),
        "email": _("[e-mail]"),
        "phone": _("[phone]"),
        "number": _("[number]"),
        "other": _("[hidden]"),
    }[kind]


@dataclass
class Identifiers:
    """What the record knows about the client and the people around them, with the kind of each."""

    terms: dict[str, str] = field(default_factory=dict)  # lower-case term -> kind

    def add(self, value: str | None, kind: str) -> None:
        value = " ".join((value or "").split())
        if len(value) >= 2 and value.lower() not in self.terms:
            self.terms[value.lower()] = kind

    def add_name(self, first: str, infix: str, last: str, kind: str) -> None:
        """A person's name: the whole, with and without infix, and each part of two letters or more."""
        self.add(" ".join(p for p in (first, infix, last) if p), kind)
        self.add(" ".join(p for p in (infix, last) if p), kind)
        self.add(" ".join(p for p in (first, last) if p), kind)
        for part in (first, last):
            for word in (part or "").split():
                self.add(word, kind)

    def add_list(self, value: str | None, kind: str) -> None:
        """Names in one field, separated by commas, semicolons, slashes, '&', 'en' or 'and' (the other
        participants of a conversation): each name and each of its words."""
        for name in re.split(r"[,;/&]|\s+(?:en|and)\s+", value or ""):
            name = name.strip()
            if not name:
                continue
            self.add(name, kind)
            for word in name.split():
                if word[:1].isupper():
                    self.add(word, kind)

    def pattern(self) -> re.Pattern | None:
        if not self.terms:
            return None
        ordered = sorted(self.terms, key=len, reverse=True)  # the longest first: "Jan de Vries" before "Jan"
        alternatives = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered)
        return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


def pseudonymise(text: str, known: Identifiers, pattern: re.Pattern | None = None) -> list[list[str]]:
    """The text as segments ``[text, kind]``: identifiers replaced, remaining capitalised words marked."""
    if not text:
        return []
    pattern = pattern if pattern is not None else known.pattern()
    spans: list[tuple[int, int, str]] = []
    if pattern is not None:
        for match in pattern.finditer(text):
            spans.append((match.start(), match.end(), known.terms.get(_normal(match.group()), "other")))
    for regex, kind in PATTERNS:
        for match in regex.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e, _k in spans):
                spans.append((match.start(), match.end(), kind))
    spans.sort()
    segments: list[list[str]] = []
    position = 0
    for start, end, kind in spans:
        if start < position:
            continue
        _marked(text[position:start], text[:position], segments)
        segments.append([placeholder(kind), "replaced"])
        position = end
    _marked(text[position:], text[:position], segments)
    return segments


def _normal(value: str) -> str:
    return " ".join(value.split()).lower()


def _marked(text: str, before: str, segments: list[list[str]]) -> None:
    """Append ``text`` as segments, marking capitalised words (``before``: the text preceding it)."""
    position = 0
    for match in WORD.finditer(text):
        word = match.group()
        if not word[:1].isupper():
            continue
        preceding = before + text[: match.start()]
        at_start = bool(SENTENCE_END.search(preceding))
        if at_start and word.lower() in SENTENCE_STARTERS:
            continue
        _plain(text[position : match.start()], segments)
        segments.append([word, "mark"])
        position = match.end()
    _plain(text[position:], segments)


def _plain(text: str, segments: list[list[str]]) -> None:
    if not text:
        return
    if segments and segments[-1][1] == "":
        segments[-1][0] += text
    else:
        segments.append([text, ""])


def marks(segments: list[list[str]]) -> list[str]:
    return [text for text, kind in segments if kind == "mark"]


def as_text(segments: list[list[str]]) -> str:
    return "".join(text for text, _kind in segments)


def age_band(age: int) -> str:
    """Ten-year bands; the youngest and oldest open-ended so a rare age does not stand out."""
    if age < 25:
        return _("under 25")
    if age >= 65:
        return _("65 or older")
    low = 25 + (age - 25) // 10 * 10
    return _("%(low)d to %(high)d") % {"low": low, "high": low + 9}
