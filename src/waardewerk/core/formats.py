"""Dates formatted for display: one Dutch format per context, remembered per language and format.

- In lists and tables: ``LIST`` ("17 aug. 2026"); with a time ``LIST_TIME`` ("17 aug. 2026 14:30").
- In running text and headings: ``TEXT`` ("17 augustus 2026").
- ISO dates only in exports, URLs and ``datetime`` attributes.

Month names are lower case in Dutch. Django's ``M`` gives "Aug" (title case, no full stop) and its ``N``
"aug" (no full stop); the Dutch abbreviations with their full stop ("mrt.", "mei") are written here, in
place of ``M`` when the active language is Dutch. Templates use the ``day`` filter
(``core/templatetags/days.py``, a builtin) instead of ``date``.

A list page shows a few dates per row; Django's ``date_format`` looks up the format and the translated
month names on every call (the caseload spent nearly half its template time on them). The same dates
come back on every request, so this process keeps the strings it made.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from django.utils.formats import date_format
from django.utils.translation import get_language

LIST = "j M Y"
LIST_TIME = "j M Y H:i"
TEXT = "j F Y"

DUTCH_MONTHS_SHORT = (
    "jan.",
    "feb.",
    "mrt.",
    "apr.",
    "mei",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
)
_UNESCAPED_M = re.compile(r"(?<!\\)M")


def day(value: dt.date | None, fmt: str = LIST) -> str:
    """``value`` as the ``date`` template filter shows it with ``fmt``, in the active language, with the
    Dutch abbreviated month names ("17 aug. 2026")."""
    if value is None or value == "":
        return ""
    return _formatted(get_language(), fmt, value)


@functools.lru_cache(maxsize=8192)
def _formatted(language: str, fmt: str, value: dt.date) -> str:
    if (language or "").startswith("nl") and "M" in fmt:
        short = "".join("\\" + c for c in DUTCH_MONTHS_SHORT[value.month - 1])
        fmt = _UNESCAPED_M.sub(lambda _m: short, fmt)
    return date_format(value, fmt)  # under ``language``, the active one (part of the key)
