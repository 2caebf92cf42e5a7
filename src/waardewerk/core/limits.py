"""Limits on input that hold for the whole application (docs/security.md, "Findings of the outside probe").

Every text has a maximum length, every date a sensible range and every whole number a range the database
can store. Forms get them from ``UtrechtFormMixin`` when a field does not set its own; encrypted model
fields get their maximum from ``max_length`` (``core.fields``). Domain rules (a date not before the start of
the trajectory, not in the future) stay in the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waardewerk.core import formats

# Free text without a limit of its own: a line (an input) or a text (a textarea).
LINE_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 5000
# Whole numbers: what a database integer column holds.
INTEGER_MIN = -(2**31)
INTEGER_MAX = 2**31 - 1
# Dates: nothing in this application happened before 1900, nor is planned more than ten years ahead.
EARLIEST_DATE = dt.date(1900, 1, 1)
FUTURE_YEARS = 10


def latest_date() -> dt.date:
    """Today plus ``FUTURE_YEARS`` (28 February for a 29 February)."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + FUTURE_YEARS)
    except ValueError:
        return today.replace(year=today.year + FUTURE_YEARS, day=28)


@deconstructible
class DateRangeValidator:
    """A date from ``earliest`` to ``latest`` (dates, or callables that give one, evaluated at each check)."""

    def __init__(
        self,
        earliest: dt.date | Callable[[], dt.date] = EARLIEST_DATE,
        latest: dt.date | Callable[[], dt.date] = latest_date,
    ):
        self.earliest = earliest
        self.latest = latest

    def bounds(self) -> tuple[dt.date, dt.date]:
        earliest = self.earliest() if callable(self.earliest) else self.earliest
        latest = self.latest() if callable(self.latest) else self.latest
        return earliest, latest

    def __call__(self, value) -> None:
        if value is None:
            return
        earliest, latest = self.bounds()
        if value < earliest:
            raise ValidationError(
                _("Give a date from %(date)s on."),
                code="date_too_early",
                params={"date": formats.day(earliest, formats.TEXT)},
            )
        if value > latest:
            raise ValidationError(
                _("Give a date until %(date)s."),
                code="date_too_late",
                params={"date": formats.day(latest, formats.TEXT)},
            )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator) and (self.earliest, self.latest) == (
            other.earliest,
            other.latest,
        )


def too_long_message(max_length: int, length: int) -> str:
    return gettext("Use at most %(max)d characters (now %(n)d).") % {"max": max_length, "n": length}


def limited_text(value: str | None, field: str, maximum: int, errors: dict, required: str = "") -> str:
    """``value`` stripped, for a service that collects its field errors in ``errors``: ``required`` (a
    message) when it is empty and must not be, or the too-long message when it is over ``maximum``."""
    value = (value or "").strip()
    if not value and required:
        errors[field] = required
    elif len(value) > maximum:
        errors[field] = too_long_message(maximum, len(value))
    return value
