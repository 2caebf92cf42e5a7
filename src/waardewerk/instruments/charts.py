"""Progress charts for a trajectory's repeated measurements, rendered server-side as SVG.

The same SVG serves the effect view, the portal and the PDF reports:

- on a page: ``<img src="{{ chart.data_uri }}" width="{{ chart.width }}" height="{{ chart.height }}"
  alt="...">`` with CSS ``width: 100%; height: auto``. The data URI keeps the SVG a document of its own,
  so the page's Content-Security-Policy (``img-src 'self' data:``) is all it needs.
- in a PDF made with WeasyPrint: the same ``<img>`` (it fills the content width when no CSS width is
  set), or ``{{ chart.svg|safe }}`` inlined; the SVG has no prolog, no ``<style>`` element and no
  ``style`` attributes (presentation attributes instead), so it also inlines cleanly.

The chart draws no heading of its own (the page has one); ``title`` becomes the SVG's ``<title>``. Every
chart needs its data table beside it as the text alternative.

Everything here is a pure function of its inputs: labels arrive translated, dates as ``datetime.date``,
values as numbers or ``None`` (a gap). Equal inputs give byte-identical output. The charts are made to be
read in black-and-white print: series differ by line style, marker shape and grey level, always in the
same order (see ``SERIES_STYLES``); the one accent colour (the threshold line) is never the only
difference.

**Caching.** ``line_chart`` and ``small_multiples`` draw nothing: they return a ``Chart`` whose ``key`` is
a hash of everything the drawing depends on (the spec: title, labels in the page's language, dates and
values; the drawing code; the matplotlib version). Its SVG is looked up when first needed, or for many
charts at once with ``render_many`` (one round trip): first in this process (the last ``CACHE_SIZE``
charts), then in the cache all processes share (``settings.CACHES["default"]``), and only then drawn by
``chart_drawing`` (which imports matplotlib) and stored in both. Measurement submits draw their
trajectory's charts in advance (``instruments.tasks.draw_effect_charts``), so a page view, even the first
one in a freshly started process, normally draws nothing. Without Django settings (a plain script) only
the process cache is used.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.metadata
import logging
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import mark_safe

__all__ = [
    "SERIES_STYLES",
    "Chart",
    "Panel",
    "Series",
    "clear_cache",
    "line_chart",
    "render_many",
    "small_multiples",
]

logger = logging.getLogger(__name__)

# --- public types ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One line: a label and its measurements ``(date, value)`` (sorted by date here); ``None`` is a gap."""

    label: str
    points: tuple[tuple[date, float | None], ...] = ()

    def __post_init__(self):
        # Accept lists too, but store tuples so that the series is hashable (the render cache needs it).
        object.__setattr__(self, "label", str(self.label))  # a lazy translation is fixed now
        points = tuple((day, value) for day, value in self.points)
        object.__setattr__(self, "points", tuple(sorted(points, key=lambda point: point[0])))


@dataclass(frozen=True)
class Panel:
    """One small chart of a small multiple, with a printed title. Series match across panels by index."""

    title: str
    series: tuple[Series, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "title", str(self.title))
        object.__setattr__(self, "series", tuple(self.series))


@dataclass(frozen=True)
class Drawing:
    """A drawn chart: the ``<svg>`` element without XML prolog or DOCTYPE, which scales to its container
    (``width="100%"`` and a ``viewBox``, no fixed height), and the viewBox size in whole points (1/72
    inch)."""

    svg: str
    width: int
    height: int
    data_uri: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        uri = "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")
        # Base64 holds no character HTML must escape: a page puts these tens of kilobytes out as they are.
        object.__setattr__(self, "data_uri", mark_safe(uri))  # noqa: S308


class Chart:
    """A chart: its ``title``, the ``key`` of its content, and its drawing (``svg``, ``width``, ``height``,
    ``data_uri``), found in a cache or drawn when first asked for. Put ``width`` and ``height`` on the
    ``<img>`` so that the browser knows the aspect ratio before it has decoded the image."""

    __slots__ = ("_drawing", "key", "spec", "title")

    def __init__(self, spec: _Spec, key: str):
        self.spec = spec
        self.title = spec.title
        self.key = key
        self._drawing: Drawing | None = None

    def __repr__(self):
        return f"<Chart {self.title!r} {self.key}>"

    @property
    def drawing(self) -> Drawing:
        if self._drawing is None:
            render_many([self])
        return self._drawing

    @property
    def svg(self) -> str:
        return self.drawing.svg

    @property
    def width(self) -> int:
        return self.drawing.width

    @property
    def height(self) -> int:
        return self.drawing.height

    @property
    def data_uri(self) -> str:
        return self.drawing.data_uri


# --- look ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesStyle:
    color: str
    dashes: tuple[float, ...] | None  # on/off lengths in line widths; None is a solid line
    marker: str
    marker_size: float = 6.5


# By series index, the same on every chart and every panel: 0 solid black circles, 1 dashed dark grey
# squares, 2 dotted mid-grey triangles, 3 dash-dot diamonds, ... Greys stay at least 3:1 against white
# (WCAG 1.4.11). A seventh series and further reuse the styles with open (white-filled) markers.
SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#000000", None, "o"),
    SeriesStyle("#4d4d4d", (3.0, 1.5), "s", 6.0),
    SeriesStyle("#767676", (0.8, 1.2), "^", 7.5),
    SeriesStyle("#2b2b2b", (4.0, 1.5, 1.0, 1.5), "D", 5.5),
    SeriesStyle("#5e5e5e", (6.0, 2.0), "v", 7.5),
    SeriesStyle("#8a8a8a", (2.0, 1.0, 0.8, 1.0, 0.8, 1.0), "P", 7.5),
)
ACCENT = "#b3261e"  # the threshold line; dark enough to print as a dark grey
LINE_WIDTH = 2.0
FONT_SIZE = 9.0
# 6.7 in = 482 pt = 170 mm: the text width of an A4 page with 20 mm margins, so a chart prints at 1:1
# (9 pt text) and shows at 12-14 px text on a web page 600-760 px wide.
FIGURE_WIDTH = 6.7
LINE_CHART_HEIGHT = 3.0  # plus the legend
PANEL_HEIGHT = 1.75  # per row of panels, plus the legend
MAX_X_TICKS = 6
LEGEND_ROW_HEIGHT = 0.3
LEGEND_HANDLE_EM = 3.2
CACHE_SIZE = 256  # charts kept in each process


def style_for(index: int) -> SeriesStyle:
    return SERIES_STYLES[index % len(SERIES_STYLES)]


# --- public functions ------------------------------------------------------------------------------------


def line_chart(
    *,
    title: str,
    series: tuple[Series, ...],
    y_min: float,
    y_max: float,
    y_ticks: tuple[tuple[float, str], ...] = (),
    y_label: str = "",
    x_label: str = "",
    threshold: float | None = None,
    threshold_label: str = "",
    step: bool = False,
    empty_label: str = "",
    height: float = LINE_CHART_HEIGHT,
) -> Chart:
    """One chart with one line per series.

    ``y_ticks`` are ``(value, label)`` pairs; an empty label shows the value. ``step`` draws levels that
    hold until the next measurement (e.g. the participation ladder). ``empty_label`` is printed when no
    series has a value. ``height`` is in inches (the width is fixed at ``FIGURE_WIDTH``).
    """
    spec = _Spec(
        title=title,
        panels=(Panel(title="", series=tuple(series)),),
        y_min=y_min,
        y_max=y_max,
        y_ticks=_normalise_ticks(y_ticks),
        y_label=y_label,
        x_label=x_label,
        threshold=threshold,
        threshold_label=threshold_label,
        step=step,
        empty_label=empty_label,
        columns=1,
        height=height,
    )
    return _chart(spec)


def small_multiples(
    *,
    title: str,
    panels: tuple[Panel, ...],
    y_min: float,
    y_max: float,
    y_ticks: tuple[tuple[float, str], ...] = (),
    columns: int = 3,
    threshold: float | None = None,
    threshold_label: str = "",
    step: bool = False,
    y_label: str = "",
    x_label: str = "",
    empty_label: str = "",
    panel_height: float = PANEL_HEIGHT,
) -> Chart:
    """Several panels in a grid sharing both axes, with one legend for all.

    Series are matched across panels by position (series 0 has the same style and legend entry in every
    panel); the legend takes each position's label from the first panel that has it. Tick labels are
    printed on the outer panels only: the y labels in the first column, the dates under the lowest
    panel of each column.
    """
    spec = _Spec(
        title=title,
        panels=tuple(panels),
        y_min=y_min,
        y_max=y_max,
        y_ticks=_normalise_ticks(y_ticks),
        y_label=y_label,
        x_label=x_label,
        threshold=threshold,
        threshold_label=threshold_label,
        step=step,
        empty_label=empty_label,
        columns=columns,
        height=panel_height,
        multiple=True,
    )
    return _chart(spec)


def render_many(charts: Iterable[Chart]) -> int:
    """Give every chart its drawing, with one look-up in the shared cache for all that this process does
    not hold yet; draw (and store) those not found there. Returns how many were drawn."""
    pending = {chart.key: chart for chart in charts if chart._drawing is None}
    if not pending:
        return 0
    shared = _shared_cache()
    found = shared.get_many(list(pending)) if shared is not None else {}
    missing = []
    for key, chart in pending.items():
        drawing = _decode(found.get(key))
        if drawing is None:
            missing.append(chart)
        else:
            chart._drawing = drawing
    if not missing:
        return 0
    # Imported here, not at the top: only a process that draws pays for matplotlib.
    from waardewerk.instruments import chart_drawing

    for chart in missing:
        chart._drawing = chart_drawing.draw(chart.spec)
    if shared is not None:
        shared.set_many({chart.key: _encode(chart._drawing) for chart in missing})
    logger.debug("drew %d chart(s)", len(missing))
    return len(missing)


def clear_cache() -> None:
    """Forget the charts this process holds (the shared cache keeps them)."""
    with _MEMO_LOCK:
        _MEMO.clear()


# --- the spec and the caches --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    title: str
    panels: tuple[Panel, ...]
    y_min: float
    y_max: float
    y_ticks: tuple[tuple[float, str], ...]
    y_label: str
    x_label: str
    threshold: float | None
    threshold_label: str
    step: bool
    empty_label: str
    columns: int
    height: float
    multiple: bool = False

    def __post_init__(self):
        for name in ("title", "y_label", "x_label", "threshold_label", "empty_label"):
            object.__setattr__(self, name, str(getattr(self, name)))  # lazy translations are fixed now
        if not self.y_min < self.y_max:
            raise ValueError("y_min must be less than y_max")
        if self.columns < 1:
            raise ValueError("columns must be at least 1")
        if self.height <= 0:
            raise ValueError("height must be positive")


def _normalise_ticks(ticks) -> tuple[tuple[float, str], ...]:
    return tuple((value, str(label)) for value, label in ticks)


_MEMO: OrderedDict[str, Chart] = OrderedDict()
_MEMO_LOCK = threading.Lock()
_KEY_PREFIX = "chart:"


def _chart(spec: _Spec) -> Chart:
    """The chart of ``spec``: the one this process already holds for equal content, or a new one."""
    key = _KEY_PREFIX + hashlib.sha256(f"{_code_version()}\n{spec!r}".encode()).hexdigest()
    with _MEMO_LOCK:
        chart = _MEMO.get(key)
        if chart is None:
            chart = _MEMO[key] = Chart(spec, key)
            if len(_MEMO) > CACHE_SIZE:
                _MEMO.popitem(last=False)
        else:
            _MEMO.move_to_end(key)
    return chart


@functools.cache
def _code_version() -> str:
    """What else a drawing depends on besides its spec: the drawing code and the matplotlib version. A
    release that changes either gives every chart a new key, so no process serves an old drawing."""
    here = Path(__file__).resolve().parent
    code = hashlib.sha256()
    for name in ("charts.py", "chart_drawing.py"):
        code.update((here / name).read_bytes())
    return f"{code.hexdigest()[:16]}-{importlib.metadata.version('matplotlib')}"


def _shared_cache():
    """The cache shared by all processes, or None outside a configured Django project."""
    return caches["default"] if settings.configured else None


def _encode(drawing: Drawing) -> tuple:
    return (zlib.compress(drawing.svg.encode(), 6), drawing.width, drawing.height)


def _decode(value) -> Drawing | None:
    """A drawing from the shared cache; None for a miss or for a value this code cannot read."""
    try:
        svg, width, height = value
        return Drawing(svg=zlib.decompress(svg).decode(), width=int(width), height=int(height))
    except (TypeError, ValueError, zlib.error, UnicodeDecodeError):
        return None
