"""The occupation classification jobs are coded in: the occupational groups of CBS's BRC 2014, shipped as
data (``data/brc2014.yaml``, CC BY 4.0, source named wherever the list is shown; docs/matching.md).

A job stores the group's four-digit code; the name is read from the file. The file is read once per
process; it is reference data of the installation, not something an organisation edits."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "brc2014.yaml"


@cache
def classification() -> dict:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    groups = {str(code): name for code, name in data["groups"].items()}
    classes = {str(code): name for code, name in data["classes"].items()}
    return {"title": data["title"], "licence": data["licence"], "classes": classes, "groups": groups}


def name(code: str) -> str:
    """The group's name, or the code itself for a code the list does not have."""
    return classification()["groups"].get(code, code)


def is_known(code: str) -> bool:
    return code in classification()["groups"]


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For a select: the groups under their class, each as "code name"."""
    data = classification()
    grouped: dict[str, list[tuple[str, str]]] = {}
    for code, label in data["groups"].items():
        grouped.setdefault(code[:2], []).append((code, f"{code} {label}"))
    return [(data["classes"][cls], grouped[cls]) for cls in sorted(grouped)]


def attribution() -> str:
    return classification()["licence"]["attribution"]
