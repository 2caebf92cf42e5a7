"""Instruments are content: nothing outside ``instruments/`` names a particular instrument.

What the checklist, the effect view, the portal, the reports, the plan and the evaluation do with an
instrument comes from its definition (``roles``, docs/instrument-format.md). This test scans the code and
templates for the keys of the shipped instruments and fails on any mention, in any case and also inside
an identifier (``lwc_answers``), so a new one cannot slip in.
"""

import re
from pathlib import Path

import yaml

from waardewerk.instruments.services import BUILTIN_DIR

SRC = Path(__file__).resolve().parents[1] / "src" / "waardewerk"

# Where an instrument may be named:
EXCLUDED_DIRS = {
    "instruments",  # the instruments app itself: definitions, scoring, the effect view
    "migrations",  # history
    "locale",  # translation catalogues
    "tests",  # tests use the shipped instruments as their fixtures
}


def _keys() -> list[str]:
    return sorted(yaml.safe_load(path.read_text())["key"] for path in BUILTIN_DIR.glob("*.yaml"))


def _pattern(keys) -> re.Pattern:
    """A key in any case, alone or as part of an identifier (``lwc_answers``), not inside a word."""
    return re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, keys)) + r")(?![a-z0-9])", re.IGNORECASE)


def _scanned() -> list[Path]:
    files = []
    for path in sorted(SRC.rglob("*")):
        relative = path.relative_to(SRC)
        if path.suffix not in (".py", ".html", ".txt") or not path.is_file():
            continue
        if EXCLUDED_DIRS & set(relative.parts[:-1]):
            continue
        files.append(path)
    return files


def test_no_code_outside_the_instruments_app_names_an_instrument():
    keys = _keys()
    assert {"lwc", "igm", "participatieladder"} <= set(keys)
    pattern = _pattern(keys)
    files = _scanned()
    assert len(files) > 100, "the scan found too few files: is SRC right?"
    found = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found, "Name no instrument outside instruments/; use its definition's roles:\n" + "\n".join(
        found
    )


def test_the_guard_recognises_a_key_in_every_form():
    pattern = _pattern(["lwc", "igm"])
    for line in ('if key == "lwc":', "igm = definitions['igm']", "make(lwc_answers())", "the LWC was taken"):
        assert pattern.search(line), line
    for line in ("owlwcat", "pigmy", "sigma"):
        assert not pattern.search(line), line
