"""Small numbers are never shown (docs/practice-evidence.md, "Suppression").

One rule for every figure about groups of trajectories (the practice-based evidence of the knowledge base,
the team quality figures): a figure that rests on fewer than *k* trajectories says "too few to show", and a
cell that would let someone work a suppressed cell out again (a total minus the cells that are shown) is
suppressed too. *k* is the setting ``INSIGHTS_MIN_CELL_SIZE`` (``WAARDEWERK_INSIGHTS_MIN_CELL_SIZE``,
default 10); below 5 the application refuses to start (``insights.checks``) and this module refuses to
compute.

The module knows nothing of trajectories or pages: it takes numbers and returns what may be shown, so any
app can use it. It imports nothing of the project but the settings.

- :func:`min_cell_size` - the *k* in force.
- :func:`shown` - one figure: its value when its *n* is at least *k*, else ``None``.
- :func:`suppress_table` - a one-dimensional table of counts that is shown with its total (counts per
  context, outcomes yes/no): primary suppression of every cell below *k*, then secondary suppression of the
  smallest cells shown until the suppressed cells are at least two and together at least *k*, so that
  "total minus the cells shown" never gives one suppressed cell or a small number. A total below *k*
  suppresses the whole table.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_MIN_CELL_SIZE = 10
FLOOR = 5  # the setting can be raised, never lowered below this


def check_min_cell_size(value) -> str:
    """An explanation when ``value`` is not an acceptable *k*, else an empty string."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"INSIGHTS_MIN_CELL_SIZE must be a whole number (got {value!r})."
    if value < FLOOR:
        return (
            f"INSIGHTS_MIN_CELL_SIZE is {value}: figures about fewer than {FLOOR} trajectories can identify "
            f"clients. Use {FLOOR} or more (default {DEFAULT_MIN_CELL_SIZE})."
        )
    return ""


def min_cell_size() -> int:
    """The smallest number of trajectories a shown figure may rest on."""
    value = getattr(settings, "INSIGHTS_MIN_CELL_SIZE", DEFAULT_MIN_CELL_SIZE)
    problem = check_min_cell_size(value)
    if problem:
        raise ImproperlyConfigured(problem)
    return value


def shown(value, n: int, k: int | None = None):
    """``value`` when it rests on at least *k* trajectories, else ``None`` ("too few to show")."""
    k = min_cell_size() if k is None else k
    return value if n >= k else None


def suppress_table[K](
    counts: Mapping[K, int], k: int | None = None
) -> tuple[dict[K, int | None], int | None]:
    """The cells and the total of a table of counts that is shown with its total, with ``None`` for every
    suppressed cell (and for the total when it is below *k*).

    Secondary suppression picks the smallest shown cells first (ties in the table's order), so as little as
    possible is hidden."""
    k = min_cell_size() if k is None else k
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in counts.values()):
        raise ValueError("counts must be whole numbers of 0 or more")
    total = sum(counts.values())
    if total < k:
        return dict.fromkeys(counts), None
    hidden = {key for key, value in counts.items() if value < k}
    if hidden:
        candidates = sorted(
            (key for key in counts if key not in hidden),
            key=lambda key: (counts[key], list(counts).index(key)),
        )
        while candidates and (len(hidden) < 2 or sum(counts[key] for key in hidden) < k):
            hidden.add(candidates.pop(0))
    return {key: (None if key in hidden else value) for key, value in counts.items()}, total


def share(part: int | None, whole: int | None) -> float | None:
    """A percentage of two shown numbers (one decimal); ``None`` when either is suppressed or zero."""
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)
