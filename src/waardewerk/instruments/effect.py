"""The effect view: a trajectory's measurements turned into charts, data tables and the change in words.

How an instrument is summarised and charted comes from its definition (``roles.effect``, see
docs/instrument-format.md): the summary kind reads the scoring rule's results (a capability set with the
values gained and lost, a profile per dimension or per group mean with the gap between client and
professional, a level over time, a total or mean over time) and ``charts`` names the charts to draw, the
first being the summary chart. The same objects feed the web page, the portal and the PDF report; every
chart comes with a table holding the same numbers (its text alternative).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from waardewerk.core.formats import day
from waardewerk.instruments import charts
from waardewerk.instruments.definition import Definition, by_order, localised
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

    @property
    def explanation(self) -> list[str]:
        """What the charts mean for the client, in plain words (``roles.explanation``)."""
        return self.definition.roles.explanation

    @property
    def summary(self) -> str:
        return self.definition.roles.summary


def _day(value) -> str:
    return day(value)  # the list format, remembered per language (``core.formats``): tens of dates a page


def _arrow(first, last) -> str:
    return f"{_fmt(first)} → {_fmt(last)}"


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return number_format(round(value, 2))
    return str(value)


# The respondents' labels per language, as plain strings (an effect view shows one in most table rows).
_RESPONDENT_LABELS: dict[str | None, dict[str, str]] = {}


def _respondent_label(value: str) -> str:
    language = get_language()
    labels = _RESPONDENT_LABELS.get(language)
    if labels is None:
        labels = _RESPONDENT_LABELS[language] = {v: str(label) for v, label in Respondent.choices}
    label = labels.get(value)
    return label if label is not None else str(Respondent(value).label)


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
            return ", ".join(
                f"{definition.group_title(name)} {_fmt(groups[name])}"
                for name in group_order(definition, groups)
            )
        scores = score["scores"]
        order = [d for d in _dimensions(definition) if d in scores]
        order += sorted(set(scores) - set(order))
        return ", ".join(
            f"{definition.item_label(k) if k in definition.items else k} {scores[k]}" for k in order
        )
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
    """Group current submitted measurements by instrument (oldest first) and present each group as its
    definition's roles say, in the order of ``roles.effect.order``.

    With ``render`` the charts get their SVG at once, from the caches in one round trip (drawn only when
    no cache holds them); otherwise when first used."""
    grouped: dict[str, list[Measurement]] = defaultdict(list)
    for measurement in measurements:
        grouped[measurement.instrument.key].append(measurement)
    effects = []
    for key, group in grouped.items():
        definition = definitions[group[-1].instrument_version_id]
        effect = InstrumentEffect(key, definition.title, definition, group)
        _SUMMARIES[definition.roles.summary](effect)
        effects.append(effect)
    if render:
        charts.render_many(item.chart for effect in effects for item in effect.charts)
    return by_order(effects)


def _scored(effect: InstrumentEffect, *rules: str) -> list[Measurement]:
    """The measurements whose score the summary can read (an older version may have another rule)."""
    return [m for m in effect.measurements if m.score.get("rule") in rules]


def _wanted(effect: InstrumentEffect, chart: str) -> bool:
    return chart in effect.definition.roles.charts


# capability set --------------------------------------------------------------------------------------


def _capability(effect: InstrumentEffect) -> None:
    definition = effect.definition
    measurements = _scored(effect, "capability_set")
    if not measurements:
        return
    first, last = measurements[0], measurements[-1]

    def title(key: str) -> str:
        return definition.group_title(key)

    if len(measurements) > 1:
        gained = [k for k in last.score["capability_set"] if k not in first.score["capability_set"]]
        lost = [k for k in first.score["capability_set"] if k not in last.score["capability_set"]]
        text = _("Capability set %(change)s") % {
            "change": _arrow(first.score["capability_set_size"], last.score["capability_set_size"])
        }
        details = []
        if gained:
            details.append(_("added: %(values)s") % {"values": ", ".join(title(k) for k in gained)})
        if lost:
            details.append(_("no longer: %(values)s") % {"values": ", ".join(title(k) for k in lost)})
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
                    f"{title(k)} ({status_label(last.score['values'][k]['status'])})"
                    for k in last.score["discrepancies"]
                )
            }
        )
    for chart in definition.roles.charts:
        _CAPABILITY_CHARTS[chart](effect, measurements, title)


def _set_size_chart(effect: InstrumentEffect, measurements: list[Measurement], title) -> None:
    definition = effect.definition
    total = len(_value_keys(definition, measurements))
    size_series = charts.Series(
        _("Capability set (number of values)"),
        tuple((m.taken_on, float(m.score["capability_set_size"])) for m in measurements),
    )
    size_chart = charts.line_chart(
        title=_("%(instrument)s: capability set size over time") % {"instrument": definition.short_title},
        series=(size_series,),
        y_min=0,
        y_max=total,
        y_ticks=tuple((float(n), str(n)) for n in range(total + 1)),
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
                        ", ".join(title(k) for k in m.score["capability_set"]) or "–",
                    ]
                    for m in measurements
                ],
            ),
        )
    )


def _parts_chart(effect: InstrumentEffect, measurements: list[Measurement], title) -> None:
    definition = effect.definition
    keys = _value_keys(definition, measurements)
    threshold = measurements[-1].score.get("threshold", definition.params.get("threshold", 4))
    parts = (("importance", _("A importance")), ("enabled", _("B enabled")), ("achieved", _("C achieved")))

    def value(m, key, part):
        entry = m.score["values"].get(key)
        return None if entry is None else float(entry[part])

    panels = tuple(
        charts.Panel(
            title(key),
            tuple(
                charts.Series(label, tuple((m.taken_on, value(m, key, part)) for m in measurements))
                for part, label in parts
            ),
        )
        for key in keys
    )
    scale_item = f"{keys[0]}.importance"
    scale = definition.scale(scale_item) if scale_item in definition.items else {"values": []}
    y_ticks = tuple((float(entry["value"]), str(entry["value"])) for entry in scale["values"])
    abc_chart = charts.small_multiples(
        title=_("%(instrument)s: importance, enablement and achievement per work value")
        % {"instrument": definition.short_title},
        panels=panels,
        y_min=int(y_ticks[0][0]) if y_ticks else 1,
        y_max=int(y_ticks[-1][0]) if y_ticks else 5,
        y_ticks=y_ticks,
        columns=3,
        threshold=float(threshold),
        threshold_label=_("threshold %(n)s") % {"n": threshold},
    )
    rows = []
    for m in measurements:
        for key in keys:
            entry = m.score["values"].get(key)
            if entry is None:
                continue
            rows.append(
                [
                    _day(m.taken_on),
                    title(key),
                    str(entry["importance"]),
                    str(entry["enabled"]),
                    str(entry["achieved"]),
                    status_label(entry["status"]),
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


_CAPABILITY_CHARTS = {"set_size": _set_size_chart, "parts": _parts_chart}


def _value_keys(definition: Definition, measurements: list[Measurement]) -> list[str]:
    """The work values in the definition's order (a score's JSON keys have no dependable order)."""
    keys = definition.params.get("values") if definition.rule == "capability_set" else None
    return list(keys or sorted(measurements[-1].score["values"]))


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


_STATUS_LABELS = {
    "capability": gettext_lazy("in the capability set"),
    "not_enabled": gettext_lazy("important, not enabled"),
    "not_achieved": gettext_lazy("important and enabled, not achieved"),
    "not_valued": gettext_lazy("not important now"),
}


def status_label(status: str) -> str:
    label = _STATUS_LABELS.get(status)
    return str(label) if label is not None else status  # one translation per call, not four


# profile ---------------------------------------------------------------------------------------------


def _profile(effect: InstrumentEffect) -> None:
    """Summary ``dimensions`` or ``groups``: per respondent each dimension (or group mean) from first to
    latest, and where the latest client and professional ratings differ by ``roles.effect.gap`` or more."""
    definition = effect.definition
    measurements = _scored(effect, "profile")
    if not measurements:
        return
    by_groups = definition.roles.summary == "groups"
    respondents = [r for r in definition.data["respondents"] if any(m.respondent == r for m in measurements)]
    by_respondent = {r: [m for m in measurements if m.respondent == r] for r in respondents}
    if by_groups:
        keys = _group_keys(definition, measurements)
        label, values = definition.group_title, (lambda m: m.score.get("groups") or {})
    else:
        keys = _dimensions(definition)
        label, values = definition.item_label, (lambda m: m.score["scores"])
    for respondent, group in by_respondent.items():
        who = _respondent_label(respondent).lower()
        if len(group) > 1:
            first, last = values(group[0]), values(group[-1])
            changes = [f"{label(k)} {_arrow(first.get(k), last.get(k))}" for k in keys]
            effect.changes.append(
                _("%(instrument)s, rated by the %(who)s: %(changes)s")
                % {"instrument": definition.short_title, "who": who, "changes": "; ".join(changes)}
            )
        else:
            effect.changes.append(
                _("%(instrument)s, rated by the %(who)s: one measurement so far")
                % {"instrument": definition.short_title, "who": who}
            )
    gap = definition.roles.gap
    if {"client", "professional"} <= set(by_respondent):
        latest_client = values(by_respondent["client"][-1])
        latest_prof = values(by_respondent["professional"][-1])
        apart = [
            label(k)
            for k in keys
            if latest_client.get(k) is not None
            and latest_prof.get(k) is not None
            and abs(latest_client[k] - latest_prof[k]) >= gap
        ]
        if apart:
            effect.changes.append(
                _("Client and professional differ by %(gap)s or more on: %(items)s. Worth discussing.")
                % {"gap": _fmt(gap), "items": ", ".join(apart)}
            )
    for chart in definition.roles.charts:
        _PROFILE_CHARTS[chart](effect, measurements, respondents, by_respondent)


def _dimensions(definition: Definition) -> list[str]:
    dimensions = definition.params.get("dimensions") if definition.rule == "profile" else None
    return list(dimensions or definition.items)


def _group_keys(definition: Definition, measurements: list[Measurement]) -> list[str]:
    groups = definition.params.get("groups") if definition.rule == "profile" else None
    return group_order(definition, groups or measurements[-1].score.get("groups") or {})


def group_order(definition: Definition, keys) -> list[str]:
    """Group keys in the order of the definition's ``groups`` (a JSON object's keys have no dependable
    order), then any others alphabetically."""
    keys = set(keys)
    return [k for k in definition.groups if k in keys] + sorted(keys - set(definition.groups))


def _dimensions_chart(effect, measurements, respondents, by_respondent) -> None:
    definition = effect.definition
    dimensions = _dimensions(definition)
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


def _groups_chart(effect, measurements, respondents, by_respondent) -> None:
    definition = effect.definition
    keys = _group_keys(definition, measurements)
    if not keys:
        return
    scale = definition.scale(_dimensions(definition)[0])

    def mean(m, key):
        return _num((m.score.get("groups") or {}).get(key))

    panels = tuple(
        charts.Panel(
            definition.group_title(key),
            tuple(
                charts.Series(
                    _respondent_label(r), tuple((m.taken_on, mean(m, key)) for m in by_respondent[r])
                )
                for r in respondents
            ),
        )
        for key in keys
    )
    chart = charts.small_multiples(
        title=_("%(instrument)s: group means over time") % {"instrument": definition.short_title},
        panels=panels,
        y_min=scale["min"],
        y_max=scale["max"],
        y_ticks=tuple((float(v), str(v)) for v in range(scale["min"], scale["max"] + 1)),
        columns=min(3, len(keys)),
    )
    effect.charts.append(
        EffectChart(
            chart,
            _("The mean of each group over time, from %(min)s to %(max)s; one line per respondent.")
            % {"min": scale["min"], "max": scale["max"]},
            DataTable(
                _("%(instrument)s: group means per measurement") % {"instrument": definition.short_title},
                [_("Date"), _("Rated by")] + [definition.group_title(k) for k in keys],
                [
                    [_day(m.taken_on), _respondent_label(m.respondent)]
                    + [_fmt((m.score.get("groups") or {}).get(k)) for k in keys]
                    for m in measurements
                ],
            ),
        )
    )


_PROFILE_CHARTS = {"dimensions": _dimensions_chart, "groups": _groups_chart}


def _num(value) -> float | None:
    return None if value is None else float(value)


# level, sum, mean -------------------------------------------------------------------------------------


def _level(effect: InstrumentEffect) -> None:
    definition = effect.definition
    measurements = _scored(effect, "level")
    if not measurements:
        return
    item = level_item(definition)
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
        chart="level",
    )


def level_item(definition: Definition) -> str:
    """The item whose answer is the level (rule ``level``)."""
    return definition.params["item"] if definition.rule == "level" else next(iter(definition.items))


def level_label(definition: Definition, level) -> str:
    """A level with its scale label: "4: Unpaid work"."""
    label = definition.scale_label(level_item(definition), level)
    return f"{level}: {label}" if label and label != str(level) else str(level)


def _total(effect: InstrumentEffect) -> None:
    definition = effect.definition
    measurements = _scored(effect, "sum", "mean")
    if not measurements:
        return
    field_name = "total" if measurements[-1].score["rule"] == "sum" else "mean"
    measurements = [m for m in measurements if field_name in m.score]
    items = definition.params.get("items") or list(definition.items)
    scales = [definition.scale(i) for i in items if i in definition.items]
    if field_name == "total":
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
        chart="total",
    )


def _single_value(effect, measurements, *, value, label, y_min, y_max, y_ticks, step, heading, chart) -> None:
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
    if not _wanted(effect, chart):
        return
    series = tuple(
        charts.Series(
            _respondent_label(r),
            tuple((m.taken_on, float(value(m))) for m in measurements if m.respondent == r),
        )
        for r in respondents
    )
    line = charts.line_chart(
        title=_("%(instrument)s over time") % {"instrument": definition.short_title},
        series=series,
        y_min=y_min,
        y_max=y_max,
        y_ticks=y_ticks,
        step=step,
    )
    effect.charts.append(
        EffectChart(
            line,
            _("%(instrument)s per measurement.") % {"instrument": definition.short_title},
            DataTable(
                _("%(instrument)s per measurement") % {"instrument": definition.short_title},
                [_("Date"), _("Rated by"), heading],
                [[_day(m.taken_on), _respondent_label(m.respondent), label(value(m))] for m in measurements],
            ),
        )
    )


_SUMMARIES = {
    "capability_set": _capability,
    "dimensions": _profile,
    "groups": _profile,
    "level": _level,
    "total": _total,
}


# The roles in words (the instrument page) ------------------------------------------------------------------


def _and(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def roles_in_words(definition: Definition) -> list[tuple[str, str]]:
    """What Waardewerk does with the instrument, one (topic, explanation) row per role, for the catalogue."""
    roles = definition.roles
    who = {"": _("anyone"), "client": _("the client"), "professional": _("the professional")}
    checklist = []
    if roles.checklist("intake"):
        checklist.append(
            _("at the intake, filled in by %(who)s")
            % {"who": _and([who[r] for r in roles.checklist("intake")])}
        )
    if roles.checklist("final"):
        checklist.append(
            _("a final measurement in the evaluation phase, by %(who)s")
            % {"who": _and([who[r] for r in roles.checklist("final")])}
        )
    kinds = {
        "capability_set": _("the capability set from first to latest, values added and no longer in it"),
        "dimensions": _("each dimension from first to latest, per respondent"),
        "groups": _("each group mean from first to latest, per respondent"),
        "level": _("the level from first to latest"),
        "total": _("the total or mean from first to latest"),
    }
    summary = kinds[roles.summary]
    if roles.summary in ("dimensions", "groups"):
        summary += "; " + _("client and professional %(gap)s or more apart are named") % {"gap": roles.gap}
    shows = {
        "none": _("nothing"),
        "summary": _("the change in words and the summary chart"),
        "full": _("all"),
    }
    audiences = {
        "file": pgettext("report version", "file"),
        "commissioner": pgettext("report version", "commissioner"),
        "employer": pgettext("report version", "employer"),
    }
    reports = "; ".join(f"{label}: {shows[roles.report(a)]}" for a, label in audiences.items())
    if roles.health_related:
        reports += " " + _("(health-related: never for the employer)")
    rows = [
        (_("Phase checklist"), "; ".join(checklist) or _("not in the checklist")),
        (_("Effect view"), f"{summary} ({_('charts')}: {', '.join(roles.charts) or '–'})"),
        (_("Reports"), reports),
        (_("Explanation for the client"), " ".join(roles.explanation) or _("none")),
    ]
    if roles.plan:
        rows.append(
            (
                _("Plan"),
                _("goals can serve its work values")
                if roles.plan == "work_values"
                else _("goals can work on its determinants"),
            )
        )
    if roles.outcome:
        rows.append((_("Evaluation"), _("its level is the outcome recorded in the evaluation")))
    if not roles.declared:
        rows.append((_("Roles"), _("this version declares none: the defaults apply")))
    return rows
