"""Links to many objects of one kind on a page: reversed once, then filled in."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def url_with_uuid(name: str) -> Callable[[object], str]:
    """``reverse(name, args=[uuid])`` for many uuids: a list row's link costs a string replace, not a
    reverse (the caseload has 25 rows, the effect view a row per measurement)."""
    pattern = reverse(name, args=[PLACEHOLDER])
    return lambda uuid: pattern.replace(PLACEHOLDER, str(uuid))
