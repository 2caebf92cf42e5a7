"""What every content file shares: instrument definitions (instruments.definition) and the conversation guide
(knowledge.guide) are YAML or JSON files, checked with every problem named where it is, stored as JSON with a
checksum, and read in the active language with Dutch as the fallback.
"""

from __future__ import annotations

import hashlib
import json
import re

import yaml
from django.utils.translation import get_language

LANGUAGES = ("nl", "en")
MAX_FILE_BYTES = 512 * 1024


class ContentError(ValueError):
    """A content file that cannot be loaded; ``problems`` lists each problem with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class Checker:
    """Collects problems while a file is checked, so the author sees all of them at once."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def mapping(self, value, where: str) -> dict:
        if not isinstance(value, dict):
            self.problem(where, "expected a mapping (key: value)")
            return {}
        return value

    def unknown(self, value: dict, known, where: str) -> None:
        for name in value:
            if name not in known:
                self.problem(f"{where}.{name}" if where else str(name), "unknown field")

    def text(self, value, where: str, required: bool = True) -> dict | None:
        """Texts per language, e.g. ``{nl: "...", en: "..."}``; Dutch is required."""
        if value is None:
            if required:
                self.problem(where, "missing")
            return None
        if not isinstance(value, dict):
            self.problem(where, 'expected texts per language, e.g. {nl: "...", en: "..."}')
            return None
        out = {}
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.problem(f"{where}.{lang}", f"unknown language (use {', '.join(LANGUAGES)})")
            elif not isinstance(text, str) or not text.strip():
                self.problem(f"{where}.{lang}", "expected a non-empty text")
            else:
                out[lang] = text.strip()
        if "nl" not in value:
            self.problem(where, "the Dutch text (nl) is required")
        return out or None

    def string(self, value, where: str, required: bool = True) -> str:
        if value is None or value == "":
            if required:
                self.problem(where, "missing")
            return ""
        if not isinstance(value, str):
            self.problem(where, "expected a text")
            return ""
        return value.strip()

    def integer(self, value, where: str, minimum: int | None = None) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, "expected a whole number")
            return None
        if minimum is not None and value < minimum:
            self.problem(where, f"must be at least {minimum}")
            return None
        return value

    def key(self, value, where: str, pattern: re.Pattern, hint: str) -> str:
        if value is None or value == "":
            self.problem(where, "missing")
            return ""
        if not isinstance(value, str) or not pattern.match(value):
            self.problem(where, f"'{value}' is not a valid key ({hint})")
            return ""
        return value

    def key_list(self, value, where: str, allowed=None, pattern: re.Pattern | None = None) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, "expected a list")
            return []
        out = []
        for index, entry in enumerate(value):
            if not isinstance(entry, str):
                self.problem(f"{where}[{index}]", "expected a key")
            elif allowed is not None and entry not in allowed:
                self.problem(f"{where}[{index}]", f"unknown '{entry}' (known: {', '.join(allowed)})")
            elif pattern is not None and not pattern.match(entry):
                self.problem(f"{where}[{index}]", f"'{entry}' is not a valid key")
            elif entry in out:
                self.problem(f"{where}[{index}]", f"'{entry}' is listed twice")
            else:
                out.append(entry)
        return out


def load_text(text: str, filename: str = "", error: type[ContentError] = ContentError) -> object:
    """Read YAML or JSON (JSON is YAML); a file too large or with a syntax error raises ``error`` with the
    line."""
    if len(text.encode()) > MAX_FILE_BYTES:
        raise error([f"the file is larger than {MAX_FILE_BYTES // 1024} KB"])
    try:
        if filename.endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise error([f"line {exc.lineno}: not valid JSON ({exc.msg})"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise error([f"{where}: not valid YAML ({problem})"]) from None


def checksum(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def localised(texts: dict | None, language: str | None = None) -> str:
    """The text in the active language, falling back to Dutch."""
    if not texts:
        return ""
    language = (language or get_language() or "nl")[:2]
    return texts.get(language) or texts.get("nl") or next(iter(texts.values()))
