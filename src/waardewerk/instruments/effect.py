"""The effect view: a trajectory's measurements turned into charts, data tables and the change in words.

Each scoring rule has its own presentation: the capability set (size over time, and A/B/C per work
value), a profile (each dimension over time, client beside professional), a level (the rung over time)
and a sum or mean (the total over time). The same objects feed the web page and the PDF report; every
chart comes with a table holding the same numbers (its text alternative).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from waardewerk.instruments import charts
from waardewerk.instruments.definition import Definition, localised
from waardewerk.instruments.models import Measurement, Respondent


@dataclass
class DataTable:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class EffectChart:
    chart: charts.Chart
    description: str
    table: DataTable


@dataclass
class InstrumentEffect:
    key: str
    title: str
    definition: Definition
    measurements: list[Measurement]
    changes: list[str] = field(default_factory=list)
    charts: list[EffectChart] = field(default_factory=list)


def _day(value) -> str:
    return date_format(value, "d-m-Y")


def _arrow(first, last) -> str:
    return f"{_fmt(first)} → {_fmt(last)}"


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return number_format(round(value, 2))
    return str(value)


def _respondent_label(value: str) -> str:
    return str(Respondent(value).label)


def score_summary(definition: Definition, score: dict) -> str:
    """One line for a timeline or a list: what this measurement came to."""
    rule = score.get("rule")
    if rule == "capability_set":
        return _("capability set %(n)s of %(total)s") % {
            "n": score["capability_set_size"],
            "total": len(score["values"]),
        }
    if rule == "profile":
        groups = score.get("groups") or {}
        if groups:
            return ", ".join(f"{name} {_fmt(value)}" for name, value in groups.items())
        return ", ".join(f"{definition.item_label(k)} {v}" for k, v in score["scores"].items())
    if rule == "level":
        item = definition.params["item"]
        return _("level %(level)s: %(label)s") % {
            "level": score["level"],
            "label": definition.scale_label(item, score["level"]),
        }
    if rule == "sum":
        return _("total %(total)s") % {"total": score["total"]}
    if rule == "mean":
        return _("mean %(mean)s") % {"mean": _fmt(score["mean"])}
    return ""


def build(
    measurements: list[Measurement], definitions: dict[int, Definition], *, render: bool = True
) -> list[InstrumentEffect]:
    """Group current submitted measurements by instrument (oldest first) and present each group.

    With ``render`` the charts get their SVG at once, from the caches in one round trip (drawn only when
    no cache holds them); otherwise when first used."""
    grouped: dict[str, list[Measurement]] = defaultdict(list)
    for measurement in measurements:
        grouped[measurement.instrument.key].append(measurement)
    effects = []
    for key in sorted(grouped, key=_instrument_order):
        group = grouped[key]
        definition = definitions[group[-1].instrument_version_id]
        effect = InstrumentEffect(key, definition.title, definition, group)
        builder = _BUILDERS.get(definition.rule)
        if builder is not None:
            builder(effect)
        effects.append(effect)
    if render:
        charts.render_many(item.chart for effect in effects for item in effect.charts)
    return effects


def _instrument_order(key: str):
    order = ["lwc", "igm", "participatieladder"]
    return (order.index(key) if key in order else len(order), key)


# capability set --------------------------------------------------------------------------------------


def _capability(effect: InstrumentEffect) -> None:
    definition = effect.definition
    measurements = [m for m in effect.measurements if m.score.get("rule") == "capability_set"]
    if not measurements:
        return
    keys = definition.params["values"]
    threshold = definition.params.get("threshold", 4)
    value_titles = {key: definition.group_title(key) for key in keys}
    first, last = measurements[0], measurements[-1]

    size_label = _("Capability set (number of values)")
    if len(measurements) > 1:
        gained = [k for k in last.score["capability_set"] if k not in first.score["capability_set"]]
        lost = [k for k in first.score["capability_set"] if k not in last.score["capability_set"]]
        text = _("Capability set %(change)s") % {
            "change": _arrow(first.score["capability_set_size"], last.score["capability_set_size"])
        }
        details = []
        if gained:
            details.append(_("added: %(values)s") % {"values": ", ".join(value_titles[k] for k in gained)})
        if lost:
            details.append(_("no longer: %(values)s") % {"values": ", ".join(value_titles[k] for k in lost)})
        effect.changes.append(text + (f" ({'; '.join(details)})" if details else ""))
    else:
        effect.changes.append(
            _("Capability set %(n)s (one measurement so far)") % {"n": last.score["capability_set_size"]}
        )
    if last.score["discrepancies"]:
        effect.changes.append(
            _("Topics to act on now: %(values)s")
            % {
                "values": ", ".join(
                    f"{value_titles[k]} ({status_label(last.score['values'][k]['status'])})"
                    for k in last.score["discrepancies"]
                )
            }
        )

    size_series = charts.Series(
        size_label, tuple((m.taken_on, float(m.score["capability_set_size"])) for m in measurements)
    )
    size_chart = charts.line_chart(
        title=_("%(instrument)s: capability set size over time") % {"instrument": definition.short_title},
        series=(size_series,),
        y_min=0,
        y_max=len(keys),
        y_ticks=tuple((float(n), str(n)) for n in range(len(keys) + 1)),
        y_label=_("values in the capability set"),
    )
    effect.charts.append(
        EffectChart(
            size_chart,
            _("The number of work values that are important, enabled and achieved, per measurement."),
            DataTable(
                _("Capability set per measurement"),
                [_("Date"), _("Size"), _("Values in the capability set")],
                [
                    [
                        _day(m.taken_on),
                        str(m.score["capability_set_size"]),
                        ", ".join(value_titles[k] for k in m.score["capability_set"]) or "–",
                    ]
                    for m in measurements
                ],
            ),
        )
    )

    parts = (("importance", _("A importance")), ("enabled", _("B enabled")), ("achieved", _("C achieved")))
    panels = tuple(
        charts.Panel(
            value_titles[key],
            tuple(
                charts.Series(
                    label, tuple((m.taken_on, float(m.score["values"][key][part])) for m in measurements)
                )
                for part, label in parts
            ),
        )
        for key in keys
    )
    scale_item = f"{keys[0]}.importance"
    abc_chart = charts.small_multiples(
        title=_("%(instrument)s: importance, enablement and achievement per work value")
        % {"instrument": definition.short_title},
        panels=panels,
        y_min=1,
        y_max=5,
        y_ticks=tuple(
            (float(entry["value"]), str(entry["value"])) for entry in definition.scale(scale_item)["values"]
        ),
        columns=3,
        threshold=float(threshold),
        threshold_label=_("threshold %(n)s") % {"n": threshold},
    )
    rows = []
    for m in measurements:
        for key in keys:
            value = m.score["values"][key]
            rows.append(
                [
                    _day(m.taken_on),
                    value_titles[key],
                    str(value["importance"]),
                    str(value["enabled"]),
                    str(value["achieved"]),
                    status_label(value["status"]),
                ]
            )
    effect.charts.append(
        EffectChart(
            abc_chart,
            _(
                "Per work value: how important it is (A), whether the work enables it (B) and whether it is "
                "achieved (C), on a scale of 1 to 5. A value is in the capability set when all three reach "
                "%(n)s."
            )
            % {"n": threshold},
            DataTable(
                _("A, B and C per work value and measurement"),
                [_("Date"), _("Work value"), "A", "B", "C", _("Status")],
                rows,
            ),
        )
    )


def capability_rows(definition: Definition, score: dict) -> list[dict]:
    """One measurement's work values, the topics to act on (discrepancies) first."""
    if score.get("rule") != "capability_set":
        return []
    discrepancies = score["discrepancies"]
    order = discrepancies + [k for k in definition.params["values"] if k not in discrepancies]
    return [
        {
            "title": definition.group_title(key),
            "status": score["values"][key]["status"],
            "status_label": status_label(score["values"][key]["status"]),
            "a": score["values"][key]["importance"],
            "b": score["values"][key]["enabled"],
            "c": score["values"][key]["achieved"],
            "act_on": key in discrepancies,
        }
        for key in order
    ]


def status_label(status: str) -> str:
    return {
        "capability": _("in the capability set"),
        "not_enabled": _("important, not enabled"),
        "not_achieved": _("important and enabled, not achieved"),
        "not_valued": _("not important now"),
    }.get(status, status)


# profile ---------------------------------------------------------------------------------------------


def _profile(effect: InstrumentEffect) -> None:
    definition = effect.definition
    measurements = [m for m in effect.measurements if m.score.get("rule") == "profile"]
    if not measurements:
        return
    dimensions = definition.params.get("dimensions") or list(definition.items)
    respondents = [r for r in definition.data["respondents"] if any(m.respondent == r for m in measurements)]
    by_respondent = {r: [m for m in measurements if m.respondent == r] for r in respondents}
    for respondent, group in by_respondent.items():
        who = _respondent_label(respondent).lower()
        if len(group) > 1:
            first, last = group[0].score["scores"], group[-1].score["scores"]
            changes = [f"{definition.item_label(d)} {_arrow(first.get(d), last.get(d))}" for d in dimensions]
            effect.changes.append(
                _("%(instrument)s, rated by the %(who)s: %(changes)s")
                % {"instrument": definition.short_title, "who": who, "changes": "; ".join(changes)}
            )
        else:
            effect.changes.append(
                _("%(instrument)s, rated by the %(who)s: one measurement so far")
                % {"instrument": definition.short_title, "who": who}
            )
    if {"client", "professional"} <= set(by_respondent):
        latest_client = by_respondent["client"][-1].score["scores"]
        latest_prof = by_respondent["professional"][-1].score["scores"]
        apart = [
            definition.item_label(d)
            for d in dimensions
            if latest_client.get(d) is not None
            and latest_prof.get(d) is not None
            and abs(latest_client[d] - latest_prof[d]) >= 2
        ]
        if apart:
            effect.changes.append(
                _("Client and professional differ by 2 or more on: %(items)s. Worth discussing.")
                % {"items": ", ".join(apart)}
            )
    panels = tuple(
        charts.Panel(
            definition.item_label(d),
            tuple(
                charts.Series(
                    _respondent_label(r),
                    tuple((m.taken_on, _num(m.score["scores"].get(d))) for m in by_respondent[r]),
                )
                for r in respondents
            ),
        )
        for d in dimensions
    )
    scale = definition.scale(dimensions[0])
    chart = charts.small_multiples(
        title=_("%(instrument)s over time") % {"instrument": definition.short_title},
        panels=panels,
        y_min=scale["min"],
        y_max=scale["max"],
        y_ticks=tuple((float(v), str(v)) for v in range(scale["min"], scale["max"] + 1)),
        columns=3,
    )
    effect.charts.append(
        EffectChart(
            chart,
            _("Each determinant over time, rated from %(min)s to %(max)s; one line per respondent.")
            % {"min": scale["min"], "max": scale["max"]},
            DataTable(
                _("%(instrument)s per measurement") % {"instrument": definition.short_title},
                [_("Date"), _("Rated by")] + [definition.item_label(d) for d in dimensions],
                [
                    [_day(m.taken_on), _respondent_label(m.respondent)]
                    + [_fmt(m.score["scores"].get(d)) for d in dimensions]
                    for m in measurements
                ],
            ),
        )
    )


def _num(value) -> float | None:
    return None if value is None else float(value)


# level, sum, mean -------------------------------------------------------------------------------------


def _level(effect: InstrumentEffect) -> None:
    definition = effect.definition
    measurements = [m for m in effect.measurements if m.score.get("rule") == "level"]
    if not measurements:
        return
    item = definition.params["item"]
    scale = definition.scale(item)
    _single_value(
        effect,
        measurements,
        value=lambda m: m.score["level"],
        label=lambda v: f"{v}: {definition.scale_label(item, v)}",
        y_min=scale["min"],
        y_max=scale["max"],
        y_ticks=tuple((float(e["value"]), f"{e['value']} {localised(e['label'])}") for e in scale["values"]),
        step=True,
        heading=_("Level"),
    )


def _total(effect: InstrumentEffect) -> None:
    definition = effect.definition
    measurements = [m for m in effect.measurements if m.score.get("rule") in ("sum", "mean")]
    if not measurements:
        return
    field_name = "total" if definition.rule == "sum" else "mean"
    items = definition.params.get("items") or list(definition.items)
    scales = [definition.scale(i) for i in items]
    if field_name == "sum":
        low, high = sum(s["min"] for s in scales), sum(s["max"] for s in scales)
    else:
        low, high = min(s["min"] for s in scales), max(s["max"] for s in scales)
    _single_value(
        effect,
        measurements,
        value=lambda m: m.score[field_name],
        label=_fmt,
        y_min=low,
        y_max=high,
        y_ticks=(),
        step=False,
        heading=_("Total") if field_name == "total" else _("Mean"),
    )


def _single_value(effect, measurements, *, value, label, y_min, y_max, y_ticks, step, heading) -> None:
    definition = effect.definition
    respondents = [r for r in definition.data["respondents"] if any(m.respondent == r for m in measurements)]
    for respondent in respondents:
        group = [m for m in measurements if m.respondent == respondent]
        suffix = f" ({_respondent_label(respondent).lower()})" if len(respondents) > 1 else ""
        if len(group) > 1:
            effect.changes.append(
                f"{definition.short_title}{suffix}: {_arrow(label(value(group[0])), label(value(group[-1])))}"
            )
        else:
            effect.changes.append(
                _("%(instrument)s%(who)s: %(value)s (one measurement so far)")
                % {"instrument": definition.short_title, "who": suffix, "value": label(value(group[0]))}
            )
    series = tuple(
        charts.Series(
            _respondent_label(r),
            tuple((m.taken_on, float(value(m))) for m in measurements if m.respondent == r),
        )
        for r in respondents
    )
    chart = charts.line_chart(
        title=_("%(instrument)s over time") % {"instrument": definition.short_title},
        series=series,
        y_min=y_min,
        y_max=y_max,
        y_ticks=y_ticks,
        step=step,
    )
    effect.charts.append(
        EffectChart(
            chart,
            _("%(instrument)s per measurement.") % {"instrument": definition.short_title},
            DataTable(
                _("%(instrument)s per measurement") % {"instrument": definition.short_title},
                [_("Date"), _("Rated by"), heading],
                [[_day(m.taken_on), _respondent_label(m.respondent), label(value(m))] for m in measurements],
            ),
        )
    )


_BUILDERS = {
    "capability_set": _capability,
    "profile": _profile,
    "level": _level,
    "sum": _total,
    "mean": _total,
}
