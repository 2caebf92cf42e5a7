"""Reads for the practice-evidence pages: the organisation's figures (computed again when stale) and the
labels to show them with, from the instruments' current definitions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.insights import figures, policies, suppression, tasks
from waardewerk.insights.models import EvidenceSnapshot
from waardewerk.instruments.selectors import current_instruments
from waardewerk.trajectories.models import Context

PART_LABELS = {"importance": "A", "enabled": "B", "achieved": "C"}


def is_stale(snapshot: EvidenceSnapshot | None, now: dt.datetime | None = None) -> bool:
    if snapshot is None:
        return True
    now = now or timezone.now()
    return (
        snapshot.method != figures.METHOD
        or snapshot.min_cell_size != suppression.min_cell_size()
        or now - snapshot.computed_at > dt.timedelta(hours=settings.INSIGHTS_MAX_AGE_HOURS)
    )


def must_recompute(snapshot: EvidenceSnapshot | None) -> bool:
    """No figures yet, or computed with another *k* or calculation: they cannot be shown as they are."""
    return (
        snapshot is None
        or snapshot.method != figures.METHOD
        or snapshot.min_cell_size != suppression.min_cell_size()
    )


def snapshot_for(organisation_id: int) -> EvidenceSnapshot:
    """The organisation's figures. Computed now when there are none that can be shown; when they are only
    old, the page shows them (with their "computed at") and a task computes them again: in the background
    by the worker (``waardewerk worker``), or in the request with ``WAARDEWERK_TASKS=immediate``
    (docs/operations.md)."""
    snapshot = EvidenceSnapshot.objects.filter(organisation_id=organisation_id).first()
    if must_recompute(snapshot):
        return figures.refresh(organisation_id)
    # Once per hour at most (the shared cache remembers it), so that views of stale figures do not fill the
    # queue while a worker is busy with them.
    if is_stale(snapshot) and caches["default"].add(f"insights:refresh:{organisation_id}", 1, timeout=3600):
        tasks.refresh_figures.enqueue(organisation_id)
        fresh = EvidenceSnapshot.objects.filter(organisation_id=organisation_id).first()
        return fresh or snapshot
    return snapshot


@dataclass
class EntryRow:
    entry: object
    chosen: int | None  # None: too few to show (or not chosen)
    url_key: str


def overview(actor) -> tuple[EvidenceSnapshot, list[EntryRow]]:
    snapshot = snapshot_for(actor.organisation_id)
    entries = snapshot.figures.get("entries", {})
    rows = []
    for entry in policies.evidence_entries(actor).order_by("name", "pk"):
        data = entries.get(str(entry.pk))
        if data is None:
            continue
        rows.append(EntryRow(entry, data["chosen"], entry.key))
    return snapshot, rows


def entry_for(actor, key: str):
    entry = policies.evidence_entries(actor).select_related("published", "current").filter(key=key).first()
    if entry is None:
        raise Http404
    return entry


class Labels:
    """Names for the figures, from the current definitions of the instruments (no instrument is named in
    code)."""

    def __init__(self):
        self.definitions = {instrument.key: definition for instrument, definition in current_instruments()}

    def instrument(self, key: str) -> str:
        definition = self.definitions.get(key)
        return definition.short_title or definition.title if definition else key

    def measure(self, spec: dict) -> str:
        definition = self.definitions.get(spec["instrument"])
        terms = definition.plan_terms() if definition else {}
        term = terms.get(spec["term"], spec["term"])
        kind = spec["kind"]
        if kind == "set_size":
            return _("Size of the capability set")
        if kind == "value":
            return _("%(value)s: %(part)s") % {"value": term, "part": self.part(spec["part"])}
        if kind == "determinant":
            return term
        return _("Level")

    @staticmethod
    def part(part: str) -> str:
        names = {
            "importance": _("A, importance"),
            "enabled": _("B, enabled by the work"),
            "achieved": _("C, achieved"),
        }
        return names.get(part, part)

    @staticmethod
    def respondent(respondent: str) -> str:
        return {"client": _("by the client"), "professional": _("by the professional")}.get(respondent, "")


@dataclass
class MeasureRow:
    instrument: str
    label: str
    respondent: str
    with_entry: dict
    without: dict


def entry_figures(actor, entry) -> dict:
    """What the entry page shows: the entry's figures with their labels, or ``None`` when it was never
    chosen here."""
    snapshot = snapshot_for(actor.organisation_id)
    data = snapshot.figures.get("entries", {}).get(str(entry.pk))
    result = {"snapshot": snapshot, "data": data, "k": snapshot.min_cell_size}
    if data is None:
        return result
    labels = Labels()
    contexts = dict(Context.choices)
    result["contexts"] = [(contexts.get(key, key), value) for key, value in data["contexts"].items()]
    result["measures"] = [
        MeasureRow(
            instrument=labels.instrument(row["measure"]["instrument"]),
            label=labels.measure(row["measure"]),
            respondent=labels.respondent(row["measure"]["respondent"]),
            with_entry=row["with"],
            without=row["without"],
        )
        for row in data["measures"]
    ]
    return result
