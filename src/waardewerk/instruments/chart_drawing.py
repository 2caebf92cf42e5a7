"""Drawing the charts of ``waardewerk.instruments.charts`` with matplotlib.

Only a process that draws imports this module (and with it matplotlib, half a second and some 30 MB): a
process that finds every chart in a cache never does. ``draw`` is a pure function of the chart's spec:
equal specs give byte-identical SVG, in any process.

Rendering uses matplotlib's object API only (``Figure`` and ``FigureCanvasSVG``, never pyplot). Matplotlib
keeps its settings in one global ``rcParams``; the chart settings are applied with ``rc_context`` under a
module lock, so concurrent requests in threads neither see nor change each other's settings.
"""

from __future__ import annotations

import io
import math
import os
import re
import sys
import tempfile
import textwrap
import threading
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from waardewerk.instruments.charts import (
    ACCENT,
    FIGURE_WIDTH,
    FONT_SIZE,
    LEGEND_HANDLE_EM,
    LEGEND_ROW_HEIGHT,
    LINE_WIDTH,
    MAX_X_TICKS,
    SERIES_STYLES,
    Drawing,
    Panel,
    SeriesStyle,
    _Spec,
    style_for,
)


def _configure_matplotlib_dir() -> None:
    """Give matplotlib a writable cache directory before it is imported (HOME may be read-only)."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    candidates = []
    try:
        data_dir = os.environ.get("WAARDEWERK_DATA_DIR") or str(Path.cwd() / "var")
        candidates.append(Path(data_dir).resolve() / "matplotlib")
    except OSError:  # the working directory may have gone
        pass
    candidates.append(Path(tempfile.gettempdir()))
    for candidate in candidates:
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK | os.X_OK):
            os.environ["MPLCONFIGDIR"] = str(candidate)
            return


_configure_matplotlib_dir()

import matplotlib  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, Locator  # noqa: E402
from matplotlib.transforms import ScaledTranslation, blended_transform_factory  # noqa: E402

if "matplotlib.pyplot" not in sys.modules:
    # Only the non-interactive backend is ever needed; without pyplot this merely records the choice.
    matplotlib.use("Agg")

_RC = {
    "svg.fonttype": "none",  # text stays text: small, searchable, selectable; fonts come from the viewer
    "svg.hashsalt": "waardewerk",  # stable ids for clip paths and markers, so output is reproducible
    "svg.id": None,
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": FONT_SIZE,
    "text.parse_math": False,  # a "$" in a translated label is just a dollar sign
    "text.usetex": False,
    "axes.titlesize": FONT_SIZE,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 4.0,
    "axes.labelsize": FONT_SIZE,
    "axes.edgecolor": "#333333",
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "xtick.labelsize": FONT_SIZE - 0.5,
    "ytick.labelsize": FONT_SIZE - 0.5,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.labelcolor": "#000000",
    "ytick.labelcolor": "#000000",
    "legend.fontsize": FONT_SIZE,
    "legend.frameon": False,
    "legend.handlelength": LEGEND_HANDLE_EM,
    "lines.scale_dashes": True,
    "figure.facecolor": "#ffffff",
    "axes.facecolor": "#ffffff",
    "savefig.facecolor": "#ffffff",
    "path.simplify": True,
}
_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}  # no <metadata> at all
_LOCK = threading.Lock()

# Characters that XML cannot hold, or should not: control characters and lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Approximate advance widths (in em) of DejaVu Sans, the widest of the fonts named; used to keep date
# labels from overlapping without measuring them.
_DIGIT_EM = 0.64
_HYPHEN_EM = 0.37


def draw(spec: _Spec) -> Drawing:
    """The SVG of ``spec`` and its size in points."""
    with _LOCK, matplotlib.rc_context(_RC):
        figure = _build_figure(spec)
        buffer = io.StringIO()
        FigureCanvasSVG(figure).print_svg(buffer, metadata=_METADATA)
    width, height = (round(size * 72) for size in figure.get_size_inches())
    return Drawing(svg=_tidy_svg(buffer.getvalue(), spec.title), width=width, height=height)


def _value(value) -> float:
    """A plottable float: ``None`` and non-finite values become NaN, which matplotlib draws as a gap."""
    if value is None:
        return math.nan
    number = float(value)
    return number if math.isfinite(number) else math.nan


def _build_figure(spec: _Spec) -> Figure:
    """The matplotlib figure for ``spec``, laid out (constrained layout) and with its date ticks placed."""
    panels = spec.panels or (Panel(title=""),)
    columns = min(spec.columns, len(panels))
    rows = math.ceil(len(panels) / columns)
    legend = _legend_entries(spec)
    legend_columns, legend_rows = _legend_shape(legend)
    height = spec.height * rows + LEGEND_ROW_HEIGHT * legend_rows
    figure = Figure(figsize=(FIGURE_WIDTH, height), dpi=72, layout="constrained")
    figure.get_layout_engine().set(w_pad=4 / 72, h_pad=4 / 72, wspace=0.04, hspace=0.06)
    grid = figure.add_gridspec(rows, columns)

    days = sorted(
        {day.toordinal() for panel in panels for series in panel.series for day, _ in series.points}
    )
    values = [
        number
        for panel in panels
        for series in panel.series
        for _, value in series.points
        if not math.isnan(number := _value(value))
    ]
    # Never hide a value or the threshold: outside the scale they widen it rather than disappear.
    extra = [*values, *([spec.threshold] if spec.threshold is not None else [])]
    y_low = min([spec.y_min, *extra])
    y_high = max([spec.y_max, *extra])
    y_pad = (y_high - y_low) * 0.06
    if days:
        x_pad = max((days[-1] - days[0]) * 0.06, 14)
        x_limits = (days[0] - x_pad, days[-1] + x_pad)
    else:
        x_limits = (0.0, 1.0)

    labelled_ticks = any(label for _, label in spec.y_ticks)
    first_axes = None
    axes_list = []
    for index, panel in enumerate(panels):
        row, column = divmod(index, columns)
        axes = figure.add_subplot(grid[row, column], sharex=first_axes, sharey=first_axes)
        if first_axes is None:
            first_axes = axes
            _set_y_ticks(axes, spec)
        axes_list.append(axes)
        _draw_panel(axes, panel, spec)
        axes.set_xlim(*x_limits)
        axes.set_ylim(y_low - y_pad, y_high + y_pad)
        has_panel_below = index + columns < len(panels)
        axes.tick_params(axis="x", labelbottom=not has_panel_below, length=3)
        axes.tick_params(
            axis="y", labelleft=column == 0 and not labelled_ticks, length=0 if labelled_ticks else 3
        )
        if column == 0 and labelled_ticks:
            _label_y_ticks(axes, spec, columns)
        if spec.multiple and panel.title:
            axes.set_title(_wrap(panel.title, _title_chars(columns), 2))

    if legend:
        handles, texts = zip(*legend, strict=True)
        figure.legend(handles, texts, loc="outside upper center", ncols=legend_columns, columnspacing=1.6)
    if spec.y_label:  # at the figure's edge, clear of the tick labels whatever their kind
        figure.supylabel(_text(spec.y_label), fontsize=FONT_SIZE)
    if spec.x_label:
        if spec.multiple:
            figure.supxlabel(_text(spec.x_label), fontsize=FONT_SIZE)
        else:
            first_axes.set_xlabel(_text(spec.x_label))

    if days:
        locator = _DateTickLocator(days, axes_list)
        first_axes.xaxis.set_major_locator(locator)
        first_axes.xaxis.set_major_formatter(FuncFormatter(locator.label))
    else:
        first_axes.set_xticks([])
    return figure


def _draw_panel(axes, panel: Panel, spec: _Spec) -> None:
    axes.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    any_value = False
    for index, series in enumerate(panel.series):
        style = style_for(index)
        xs = [day.toordinal() for day, _ in series.points]
        ys = [_value(value) for _, value in series.points]
        any_value = any_value or any(not math.isnan(y) for y in ys)
        if not xs:
            continue
        axes.add_line(
            _line(style, index, xs, ys, step=spec.step, zorder=3 + 0.01 * (len(panel.series) - index))
        )
    if spec.threshold is not None:
        axes.axhline(spec.threshold, **_threshold_style(), zorder=2)
    if not any_value and spec.empty_label:
        axes.text(
            0.5,
            0.5,
            _text(spec.empty_label),
            transform=axes.transAxes,
            ha="center",
            va="center",
            bbox={"facecolor": "#ffffff", "edgecolor": "none"},
        )


def _line(style: SeriesStyle, index: int, xs, ys, *, step: bool = False, zorder: float = 3) -> Line2D:
    open_marker = index >= len(SERIES_STYLES)
    line = Line2D(
        xs,
        ys,
        color=style.color,
        linewidth=LINE_WIDTH,
        marker=style.marker,
        markersize=style.marker_size,
        markerfacecolor="#ffffff" if open_marker else style.color,
        markeredgecolor=style.color,
        markeredgewidth=1.2,
        drawstyle="steps-post" if step else "default",
        solid_joinstyle="round",
        solid_capstyle="round",
        dash_capstyle="butt",
        zorder=zorder,
        clip_on=False,
    )
    if style.dashes is not None:
        line.set_linestyle((0, style.dashes))
    return line


def _threshold_style() -> dict:
    return {"color": ACCENT, "linewidth": 1.4, "linestyle": (0, (7.0, 2.5)), "dash_capstyle": "butt"}


def _set_y_ticks(axes, spec: _Spec) -> None:
    if spec.y_ticks:
        positions = [value for value, _ in spec.y_ticks]
        if any(label for _, label in spec.y_ticks):
            axes.set_yticks(positions, [""] * len(positions))  # labelled by _label_y_ticks
        else:
            axes.set_yticks(positions, [_number(value) for value in positions])
    else:
        low, high = math.ceil(spec.y_min), math.floor(spec.y_max)
        step = max(1, math.ceil((high - low) / 8))
        axes.set_yticks(list(range(low, high + 1, step)))


def _label_y_ticks(axes, spec: _Spec, columns: int) -> None:
    """Text labels for the y ticks, wrapped to two lines. Each line is its own right-aligned text, because
    matplotlib positions the lines of a multi-line text for its own font metrics, which would leave the
    lines ragged in a viewer that substitutes another font; a single line is anchored at its end."""
    width = 24 if columns == 1 else max(12, 30 - 4 * columns)
    size = FONT_SIZE - 0.5
    line_height = size * 1.2
    base = blended_transform_factory(axes.transAxes, axes.transData)
    low, high = axes.get_ylim()
    for value, label in spec.y_ticks:
        if not low <= value <= high:
            continue
        lines = _wrap(label, width, 2).split("\n") if label else [_number(value)]
        for number, line in enumerate(lines):
            offset = ((len(lines) - 1) / 2 - number) * line_height
            transform = base + ScaledTranslation(-4 / 72, offset / 72, axes.figure.dpi_scale_trans)
            axes.text(
                0, value, line, transform=transform, ha="right", va="center", fontsize=size, clip_on=False
            )


class _DateTickLocator(Locator):
    """Ticks at measurement dates, as many as fit without overlapping labels (at most ``MAX_X_TICKS``).

    Matplotlib asks a locator for ticks while it lays the figure out and again when it draws, so the
    choice is made for the width the panels finally get. Days are shown (dd-mm-yyyy) unless the
    measurements span more than a year or a narrow panel would show fewer than three dates; then months
    (mm-yyyy).
    """

    def __init__(self, days: list[int], axes_list: list):
        self.days = days
        self.axes_list = axes_list
        self.labels: dict[int, str] = {}

    def __call__(self):
        low, high = self.axis.get_view_interval()
        figure = self.axes_list[0].figure
        width = min(axes.get_window_extent().width for axes in self.axes_list) * 72 / figure.dpi  # points
        span = self.days[-1] - self.days[0]
        ticks = _x_ticks(self.days, high - low, width, "%d-%m-%Y")
        if span > 366 or (span > 62 and len(ticks) < min(3, len(self.days))):
            ticks = _x_ticks(self.days, high - low, width, "%m-%Y")
        self.labels = dict(ticks)
        return list(self.labels)

    def label(self, value: float, position=None) -> str:
        return self.labels.get(round(value), "")


def _x_ticks(days: list[int], x_range: float, axes_width: float, date_format: str) -> list[tuple[int, str]]:
    characters = len(date(2000, 12, 31).strftime(date_format))
    hyphens = date_format.count("-")
    em = (characters - hyphens) * _DIGIT_EM + hyphens * _HYPHEN_EM + 0.6  # + 0.6 em between labels
    min_gap = x_range * em * (FONT_SIZE - 0.5) / max(axes_width, 1.0)
    kept = _thin(days, min_gap)
    while len(kept) > MAX_X_TICKS:
        min_gap *= 1.25
        kept = _thin(days, min_gap)
    ticks: list[tuple[int, str]] = []
    for day in kept:
        label = date.fromordinal(day).strftime(date_format)
        if not ticks or ticks[-1][1] != label:
            ticks.append((day, label))
    return ticks


def _thin(days: list[int], min_gap: float) -> list[int]:
    """Measurement dates to label: the first, then each at least ``min_gap`` after the last one kept,
    with the last measurement taking the place of the last kept one when that keeps the gap."""
    kept: list[int] = []
    for day in days:
        if not kept or day - kept[-1] >= min_gap:
            kept.append(day)
    if kept[-1] != days[-1] and len(kept) > 1 and days[-1] - kept[-2] >= min_gap:
        kept[-1] = days[-1]
    return kept


def _legend_entries(spec: _Spec) -> list[tuple[Line2D, str]]:
    labels: dict[int, str] = {}
    for panel in spec.panels:
        for index, series in enumerate(panel.series):
            labels.setdefault(index, series.label)
    entries = [
        (_line(style_for(index), index, [], []), _wrap(labels[index], 40, 2))
        for index in sorted(labels)
        if labels[index]
    ]
    if spec.threshold is not None and spec.threshold_label:
        entries.append((Line2D([], [], **_threshold_style()), _wrap(spec.threshold_label, 40, 2)))
    return entries


def _legend_shape(entries) -> tuple[int, int]:
    """(columns, lines of text) for the legend: as many columns as fit the width. Matplotlib fills a
    legend column by column, so with ``rows`` rows, column c holds entries [c * rows, (c + 1) * rows)."""
    if not entries:
        return 1, 0
    available = FIGURE_WIDTH * 72 - 16
    widths = [
        (LEGEND_HANDLE_EM + 0.8 + 0.56 * max(len(line) for line in text.split("\n"))) * FONT_SIZE
        for _, text in entries
    ]
    for columns in range(len(entries), 0, -1):
        rows = math.ceil(len(entries) / columns)
        column_widths = [max(widths[start : start + rows]) for start in range(0, len(entries), rows)]
        if columns == 1 or sum(column_widths) + 1.6 * FONT_SIZE * (len(column_widths) - 1) <= available:
            break
    lines = sum(max(text.count("\n") + 1 for _, text in entries[row::rows]) for row in range(rows))
    return len(column_widths), lines


def _title_chars(columns: int) -> int:
    """Characters of a bold panel title that fit a panel (its share of the width less spacing and ticks)."""
    return max(10, int((FIGURE_WIDTH * 72 / columns - 20) / (0.64 * FONT_SIZE)))


def _text(text: str) -> str:
    """One line of plain text: runs of white space become one space; characters that XML cannot hold
    (control characters, lone surrogates) are dropped."""
    return " ".join(_NOT_XML.sub("", str(text)).split())


def _wrap(text: str, width: int, max_lines: int) -> str:
    """Wrap to at most ``max_lines`` lines of about ``width`` characters, shortening with an ellipsis."""
    lines = textwrap.wrap(_text(text), width=width, max_lines=max_lines, placeholder=" …")
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:g}"


# --- SVG clean-up ----------------------------------------------------------------------------------------

# CSS properties that SVG also accepts as presentation attributes. Moving them out of style="..." keeps
# the SVG usable inline under a strict CSP (no style attributes) and makes it a little smaller.
_PRESENTATION = frozenset(
    {
        "clip-path",
        "fill",
        "fill-opacity",
        "font-family",
        "font-size",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
    }
)
_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_ID_ATTRIBUTE = re.compile(r' id="([^"]*)"')
_REFERENCE = re.compile(r'(?:href="|url\()#([^")\s]+)')
_TAG = re.compile(r"<[^>]+>")
_NO_ROTATION = re.compile(r' transform="rotate\(-?0 [-\d.e]+ [-\d.e]+\)"')
_ROOT = re.compile(r"<svg\b[^>]*>")
_ATTRIBUTE_NAME = re.compile(r' ([\w:-]+)="')
_USE = re.compile(r'<use xlink:href="#([^"]+)"[^>]*>')
_TOKEN = re.compile(r"<[^>]+>|[^<]+")
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")
_FONT_FAMILY = " font-family=\"'DejaVu Sans', 'Arial', 'Helvetica', sans-serif\""


def _style_to_attributes(match: re.Match) -> str:
    attributes, rest = [], []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name in _PRESENTATION:
            attributes.append(f' {name}="{value}"')
        else:
            rest.append(f"{name}: {value}")
    if rest:
        attributes.append(f' style="{"; ".join(rest)}"')
    return "".join(attributes)


def _tidy_tag(match: re.Match, referenced: set[str]) -> str:
    tag = _STYLE_ATTRIBUTE.sub(_style_to_attributes, match.group(0))
    tag = tag.replace(_FONT_FAMILY, "")  # inherited from the root
    tag = _NO_ROTATION.sub("", tag)
    tag = _ID_ATTRIBUTE.sub(lambda found: found.group(0) if found.group(1) in referenced else "", tag)
    tag = _LONG_DECIMAL.sub(r"\1", tag)  # 0.01 pt is plenty
    return re.sub(r"\s*\n\s*", " ", tag)


def _unwrap_groups(body: str) -> str:
    """Drop ``<g>`` elements without attributes (after the unused ids are gone, most of them), keeping
    their content."""
    parts = []
    stack = []
    for piece in _TOKEN.findall(body):
        if piece == "<g/>":
            continue
        if piece.startswith("<g"):
            bare = piece == "<g>"
            stack.append(bare)
            if bare:
                continue
        elif piece == "</g>" and stack.pop():
            continue
        parts.append(piece)
    return "".join(parts)


def _slim_uses(body: str) -> str:
    """Matplotlib repeats a marker's stroke on every ``<use>`` of it; the definition's own attributes win
    over what the ``<use>`` passes down, so these copies do nothing and go."""
    own: dict[str, set[str]] = {}
    for tag in _TAG.findall(body):
        if tag.startswith("<path ") and (found := _ID_ATTRIBUTE.search(tag)):
            own[found.group(1)] = set(_ATTRIBUTE_NAME.findall(tag)) - {"id", "d"}

    def slim(match: re.Match) -> str:
        tag = match.group(0)
        for name in own.get(match.group(1), ()):
            tag = re.sub(f' {name}="[^"]*"', "", tag)
        return tag

    return _USE.sub(slim, body)


def _tidy_svg(svg: str, title: str) -> str:
    """Matplotlib's SVG made embeddable: no prolog, scalable, a <title>, no style element or attributes,
    no unused ids, no whitespace between elements. Attributes are only rewritten inside tags (matplotlib
    escapes "<" and ">" in text), so a label that looks like markup stays as it is."""
    svg = svg[svg.index("<svg") :]
    root = _ROOT.search(svg)
    view_box = re.search(r'viewBox="([^"]*)"', root.group(0)).group(1)
    new_root = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
        f'width="100%" viewBox="{view_box}" role="img" stroke-linejoin="round" stroke-linecap="butt"'
        f"{_FONT_FAMILY}><title>{escape(_text(title))}</title>"
    )
    # The default style element (*{stroke-linejoin: round; stroke-linecap: butt}) is now on the root,
    # where it is inherited instead of leaking into an HTML page that inlines the SVG.
    body = re.sub(r'<style type="text/css">[^<]*</style>', "", svg[root.end() :])
    referenced = {reference for tag in _TAG.findall(body) for reference in _REFERENCE.findall(tag)}
    body = _TAG.sub(lambda match: _tidy_tag(match, referenced), body)
    body = re.sub(r">\s+<", "><", body)
    body = _unwrap_groups(body).replace("<defs></defs>", "")
    body = _slim_uses(body)
    return new_root + body.strip() + "\n"
