"""Dates formatted for display, remembered per language and format.

A list page shows a few dates per row; Django's ``date_format`` looks up the format and the translated
month names on every call (the caseload spent nearly half its template time on them). The same dates
come back on every request, so this process keeps the strings it made.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.utils.formats import date_format
from django.utils.translation import get_language


def day(value: dt.date | None, fmt: str = "j M Y") -> str:
    """``value`` as the ``date`` template filter shows it with ``fmt``, in the active language."""
    if value is None:
        return ""
    return _formatted(get_language(), fmt, value)


@functools.lru_cache(maxsize=8192)
def _formatted(language: str, fmt: str, value: dt.date) -> str:
    return date_format(value, fmt)  # under ``language``, the active one (part of the key)
