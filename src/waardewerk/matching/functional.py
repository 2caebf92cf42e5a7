"""The sections a job's functional demands are written in (``data/functional_demands.yaml``): the six sections
of the Functionele Mogelijkhedenlijst (FML), by name only, with the source named; the FML's items are not
shipped. A job stores, per section key, the demands in words (docs/matching.md). Read once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "functional_demands.yaml"
DEMAND_MAX = 500


@cache
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def keys() -> list[str]:
    return [section["key"] for section in _data()["sections"]]


def sections() -> list[dict]:
    """Per section: ``key``, ``name`` and ``hint`` in the current language."""
    language = _language()
    return [{"key": s["key"], "name": s[language], "hint": s["hint"][language]} for s in _data()["sections"]]


def source() -> str:
    return _data()["source"][_language()]


def rows(demands: dict) -> list[dict]:
    """The sections a job has demands in, in the list's order, with their names."""
    demands = demands or {}
    return [{**s, "text": demands[s["key"]]} for s in sections() if demands.get(s["key"])]
