"""Reads for the team quality pages: the organisation's stored figures (computed again when stale) put in
rows with their labels, from the instruments' current definitions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.core.content import localised
from waardewerk.insights import suppression
from waardewerk.instruments.selectors import current_instruments
from waardewerk.quality import figures, policies, tasks
from waardewerk.quality.models import QualityScope, QualitySnapshot

# The indicators in the order of the page, with their label and the short definition shown beside them.
INDICATORS = {
    "intake_complete": (
        gettext_lazy("Intake complete"),
        gettext_lazy("left the intake phase with every intake measurement of the checklist"),
    ),
    "plan_sources": (
        gettext_lazy("Plan on three knowledge sources"),
        gettext_lazy(
            "every choice of the current plan rests on research, expertise and the client's preference"
        ),
    ),
    "plan_agreed": (
        gettext_lazy("Client agreed with the current plan"),
        gettext_lazy("the client's agreement is recorded on the plan version in force"),
    ),
    "remeasure_on_time": (
        gettext_lazy("Re-measurement on time"),
        gettext_lazy("every re-measurement in the quarter within the schedule's interval"),
    ),
    "reflection": (
        gettext_lazy("Evaluation with reflection"),
        gettext_lazy(
            "trajectories ended in the quarter with what worked, what to do differently, chances left"
        ),
    ),
    "sustained_work": (
        gettext_lazy("Still working 6 months after a placement"),
        gettext_lazy("placements whose 6-month follow-up in the quarter says the client still works there"),
    ),
    "intervision": (
        gettext_lazy("Intervision participation"),
        gettext_lazy("team members recorded present at an intervision session in the quarter"),
    ),
}


# The caveat of each indicator, for the quarterly report (the full text is in docs/quality.md).
CAVEATS = {
    "intake_complete": gettext_lazy(
        "The intake checklist of the instruments now is applied to earlier quarters; a measurement after the "
        "intake does not count."
    ),
    "plan_sources": gettext_lazy("Counts that each source is written down, not how good it is."),
    "plan_agreed": gettext_lazy("A version made in the last days of a quarter counts as not yet agreed."),
    "remeasure_on_time": gettext_lazy(
        "A trajectory never re-measured is not counted here; the work list shows late measurements."
    ),
    "reflection": gettext_lazy("Counts that the reflection is written, not what it says."),
    "sustained_work": gettext_lazy(
        "Only placements whose 6-month follow-up was recorded; a follow-up not recorded is not counted."
    ),
    "intervision": gettext_lazy(
        "Team membership as it is now; a session whose attendance was not recorded counts for nobody."
    ),
    "experience": gettext_lazy(
        "Who is asked is not random, and clients know their professional sees the answers."
    ),
    "principle": gettext_lazy(
        "The professional ticks it, not the client, and ticking is optional: it says what was intended, "
        "not how the client experienced it."
    ),
    "change": gettext_lazy(
        "A change is not an effect of the method: there is no comparison group, and the trajectories that "
        "end in a quarter are not a sample."
    ),
}


def caveat(key: str) -> str:
    if key.startswith("principle:"):
        return str(CAVEATS["principle"])
    return str(CAVEATS.get(key) or CAVEATS["change"])


def is_stale(snapshot: QualitySnapshot | None, now: dt.datetime | None = None) -> bool:
    if snapshot is None:
        return True
    now = now or timezone.now()
    return must_recompute(snapshot) or now - snapshot.computed_at > dt.timedelta(
        hours=settings.QUALITY_MAX_AGE_HOURS
    )


def must_recompute(snapshot: QualitySnapshot | None) -> bool:
    return (
        snapshot is None
        or snapshot.method != figures.METHOD
        or snapshot.min_cell_size != suppression.min_cell_size()
    )


def snapshot_for(organisation_id: int) -> QualitySnapshot:
    """The organisation's figures: computed now when none can be shown; when they are only old, shown with
    their "computed at" while a task computes them again (as the practice-evidence figures)."""
    snapshot = QualitySnapshot.objects.filter(organisation_id=organisation_id).first()
    if must_recompute(snapshot):
        return figures.refresh(organisation_id)
    if is_stale(snapshot):
        tasks.refresh_figures.enqueue(organisation_id)
        return QualitySnapshot.objects.filter(organisation_id=organisation_id).first() or snapshot
    return snapshot


@dataclass
class Cell:
    n: int | None  # None: too few to show
    text: str = ""


@dataclass
class Row:
    key: str
    label: str
    definition: str
    cells: list[Cell]
    trend: str = ""
    compare: Cell | None = None  # the organisation's figure of the same quarter


@dataclass
class Table:
    title: str
    quarters: list[str]
    rows: list[Row] = field(default_factory=list)
    compare_label: str = ""
    team_uuid: object = None  # the team lead's tables: for the quarterly report's links


def _share_cell(figure: dict | None) -> Cell:
    if not figure or figure.get("n") is None:
        return Cell(None)
    share = figure.get("share")
    return Cell(figure["n"], f"{share:g}%" if share is not None else "-")


def _change_cell(figure: dict | None) -> Cell:
    if not figure or figure.get("n") is None:
        return Cell(None)
    return Cell(
        figure["n"],
        _("median %(median)s (%(q1)s to %(q3)s)")
        % {"median": f"{figure['median']:+g}", "q1": f"{figure['q1']:+g}", "q3": f"{figure['q3']:+g}"},
    )


def _level_cell(figure: dict | None) -> Cell:
    if not figure or figure.get("n") is None:
        return Cell(None)
    return Cell(
        figure["n"],
        _("median %(median)s (%(q1)s to %(q3)s)")
        % {"median": f"{figure['median']:g}", "q1": f"{figure['q1']:g}", "q3": f"{figure['q3']:g}"},
    )


def _value(figure: dict | None, kind: str):
    if not figure or figure.get("n") is None:
        return None
    return figure.get("share") if kind == "share" else figure.get("median")


def _trend(previous, latest) -> str:
    """The last complete quarter against the one before it, in words (the team's own past only)."""
    if previous is None or latest is None:
        return ""
    if latest > previous:
        return _("higher")
    if latest < previous:
        return _("lower")
    return _("the same")


def measure_labels(measures: list[dict]) -> dict[str, str]:
    instruments = {instrument.pk: definition for instrument, definition in current_instruments()}
    labels = {}
    for m in measures:
        definition = instruments.get(m["instrument_id"])
        if definition is None:
            continue
        name = definition.short_title
        if m["kind"] == "set_size":
            label = _("%(instrument)s: size of the capability set") % {"instrument": name}
        elif m["kind"] == "dimension":
            term = definition.plan_terms().get(m["term"], m["term"])
            label = f"{name}: {term}"
        else:
            label = _("%(instrument)s: level") % {"instrument": name}
        who = _("client") if m["respondent"] == "client" else _("professional")
        labels[m["key"]] = _("Change in %(what)s (by the %(who)s)") % {"what": label, "who": who}
    return labels


def scope_figures(snapshot: QualitySnapshot, scopes) -> dict[str, dict]:
    """The stored figures of the given scopes (one query); a scope without figures is left out."""
    return dict(
        QualityScope.objects.filter(snapshot=snapshot, scope__in=list(scopes)).values_list("scope", "figures")
    )


def table(
    snapshot: QualitySnapshot,
    stored: dict[str, dict],
    scope: str,
    title: str,
    *,
    with_intervision=True,
    compare=None,
) -> Table:
    """The rows of one scope's table from the stored figures (``scope_figures``), with the organisation's
    figure of the last complete quarter beside it when ``compare``."""
    data = snapshot.figures
    quarters = data.get("quarters", [])
    scoped = stored.get(scope, {})
    org = stored.get("org", {}) if compare else {}
    # The current quarter is still running: the trend compares the two quarters before it.
    complete = quarters[-2] if len(quarters) >= 2 else None
    before = quarters[-3] if len(quarters) >= 3 else None
    result = Table(
        title, quarters, compare_label=_("Organisation, %(quarter)s") % {"quarter": complete or ""}
    )
    for key, (label, definition) in INDICATORS.items():
        if key == "intervision" and not with_intervision:
            continue
        cells = [_share_cell(scoped.get(q, {}).get(key)) for q in quarters]
        trend = _trend(
            _value(scoped.get(before, {}).get(key), "share"),
            _value(scoped.get(complete, {}).get(key), "share"),
        )
        row = Row(key, str(label), str(definition), cells, trend)
        if compare:
            row.compare = _share_cell(org.get(complete, {}).get(key))
        result.rows.append(row)
    if any(scoped.get(q, {}).get("experience", {}).get("n") for q in quarters) or data.get("experience"):
        cells = [_level_cell(scoped.get(q, {}).get("experience")) for q in quarters]
        trend = _trend(
            _value(scoped.get(before, {}).get("experience"), "change"),
            _value(scoped.get(complete, {}).get("experience"), "change"),
        )
        row = Row(
            "experience",
            _("Client experience"),
            _("the client's latest answer in the quarter, mean of the statements from 1 to 5"),
            cells,
            trend,
        )
        if compare:
            row.compare = _level_cell(org.get(complete, {}).get("experience"))
        result.rows.append(row)
    for principle in data.get("principles", []):
        key = principle["key"]
        cells = [_share_cell(scoped.get(q, {}).get("principles", {}).get(key)) for q in quarters]
        trend = _trend(
            _value(scoped.get(before, {}).get("principles", {}).get(key), "share"),
            _value(scoped.get(complete, {}).get("principles", {}).get(key), "share"),
        )
        row = Row(
            f"principle:{key}",
            _("Principle served: %(title)s") % {"title": localised(principle["title"])},
            _("trajectories with a conversation in the quarter, one of which served this principle"),
            cells,
            trend,
        )
        if compare:
            row.compare = _share_cell(org.get(complete, {}).get("principles", {}).get(key))
        result.rows.append(row)
    for measure_key, label in measure_labels(data.get("measures", [])).items():
        cells = [_change_cell(scoped.get(q, {}).get("change", {}).get(measure_key)) for q in quarters]
        trend = _trend(
            _value(scoped.get(before, {}).get("change", {}).get(measure_key), "change"),
            _value(scoped.get(complete, {}).get("change", {}).get(measure_key), "change"),
        )
        row = Row(
            measure_key,
            label,
            _("trajectories ended in the quarter: latest minus first measurement"),
            cells,
            trend,
        )
        if compare:
            row.compare = _change_cell(org.get(complete, {}).get("change", {}).get(measure_key))
        result.rows.append(row)
    return result


def team_quality(actor) -> tuple[QualitySnapshot | None, list[Table]]:
    """The team lead's page: a table per team led (with the organisation's figure beside the last complete
    quarter) and the organisation's own table. Never per professional."""
    teams = list(policies.quality_teams(actor))
    if not teams:
        return None, []
    snapshot = snapshot_for(actor.organisation_id)
    stored = scope_figures(snapshot, ["org", *(f"team:{team.pk}" for team in teams)])
    tables = [table(snapshot, stored, f"team:{team.pk}", str(team), compare=True) for team in teams]
    for team, found in zip(teams, tables, strict=True):
        found.team_uuid = team.uuid
    tables.append(table(snapshot, stored, "org", _("The whole organisation")))
    return snapshot, tables


def team_report(actor, team_uuid) -> tuple[QualitySnapshot, object, Table]:
    """One team's table for the quarterly report; a team the actor does not lead is the 404 of a team that
    does not exist."""
    team = policies.quality_teams(actor).filter(uuid=team_uuid).first()
    if team is None:
        raise Http404
    snapshot = snapshot_for(actor.organisation_id)
    stored = scope_figures(snapshot, ["org", f"team:{team.pk}"])
    return snapshot, team, table(snapshot, stored, f"team:{team.pk}", str(team), compare=True)


def own_quality(actor) -> tuple[QualitySnapshot, Table, list[Table]]:
    """A case worker's own figures (private) and those of the teams they belong to."""
    snapshot = snapshot_for(actor.organisation_id)
    teams = list(policies.own_teams(actor))
    stored = scope_figures(snapshot, [f"pro:{actor.pk}", *(f"team:{team.pk}" for team in teams)])
    mine = table(snapshot, stored, f"pro:{actor.pk}", _("Your own figures"), with_intervision=False)
    return snapshot, mine, [table(snapshot, stored, f"team:{team.pk}", str(team)) for team in teams]
