"""Progress charts: valid, deterministic, self-describing SVG, readable without colour; no database needed
(a cache in memory stands in for the shared cache; tests/test_chart_cache.py covers the real one)."""

import base64
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from waardewerk.instruments import chart_drawing, charts
from waardewerk.instruments.charts import Chart, Panel, Series, line_chart, small_multiples

# Imported through chart_drawing, which first points it at a writable cache directory.
matplotlib = chart_drawing.matplotlib


@pytest.fixture(autouse=True)
def _cache_in_memory(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    yield
    cache.clear()


SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
START = date(2025, 1, 13)
DATES = tuple(START + timedelta(days=offset) for offset in (0, 61, 125, 190, 250, 330))
AGREEMENT = ((1, "Helemaal niet"), (2, ""), (3, "Neutraal"), (4, ""), (5, "Heel erg"))
LADDER = (
    (1, "Geïsoleerd"),
    (2, "Sociale contacten buiten de deur"),
    (3, "Deelname georganiseerde activiteiten"),
    (4, "Onbetaald werk"),
    (5, "Betaald werk met ondersteuning"),
    (6, "Betaald werk"),
)
WORK_VALUES = ("Autonomie", "Zekerheid", "Contact", "Erkenning", "Zingeving", "Structuur", "Gezondheid")


def series(label, values, dates=DATES):
    return Series(label, tuple(zip(dates, values, strict=False)))


def client_chart(**overrides):
    arguments = {
        "title": "Zelfredzaamheid",
        "series": (series("Cliënt", (2, 3, 3, 4, 4, 5)), series("Professional", (2, 2, 3, None, 4, 4))),
        "y_min": 1,
        "y_max": 5,
    }
    return line_chart(**(arguments | overrides))


def work_values(values=(1, 2, 3, 4, 5, 4), **overrides):
    panels = tuple(
        Panel(
            title,
            (
                series("A: belangrijk", values),
                series("B: zo is het nu", values[::-1]),
                series("C: haalbaar", values),
            ),
        )
        for title in WORK_VALUES
    )
    arguments = {"title": "Werkwaarden", "panels": panels, "y_min": 1, "y_max": 5, "y_ticks": AGREEMENT}
    return small_multiples(**(arguments | overrides))


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)  # noqa: S314 (our own output)


def texts(chart: Chart) -> list[str]:
    return [element.text or "" for element in parse(chart).iter(f"{SVG}text")]


def plot_areas(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) of each panel's white background; the first white rectangle is the figure's."""
    boxes = []
    for path in root.iter(f"{SVG}path"):
        parts = path.get("d", "").split()
        if path.get("fill") != "#ffffff" or set(parts[0::3]) != {"M", "L", "z"} or len(parts) != 13:
            continue
        numbers = [float(part) for part in parts if part not in {"M", "L", "z"}]
        if len(numbers) == 8:
            xs, ys = numbers[0::2], numbers[1::2]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes[1:]


def data_markers(chart: Chart, circles_only: bool = True) -> list[ET.Element]:
    """<use> elements placing a data marker inside a panel (not the legend's sample). A circle marker is
    a <path> definition drawn with curves; tick marks are straight."""
    root = parse(chart)
    markers = {
        path.get("id")
        for path in root.iter(f"{SVG}path")
        if path.get("id") and (" C " in path.get("d", "") or not circles_only)
    }
    areas = plot_areas(root)
    found = []
    for use in root.iter(f"{SVG}use"):
        if use.get(XLINK_HREF, "").lstrip("#") not in markers:
            continue
        x, y = float(use.get("x")), float(use.get("y"))
        if any(x0 - 1 <= x <= x1 + 1 and y0 - 1 <= y <= y1 + 1 for x0, y0, x1, y1 in areas):
            found.append(use)
    return found


# --- the SVG document ---


@pytest.mark.parametrize(
    "chart",
    [
        pytest.param(lambda: client_chart(), id="line"),
        pytest.param(lambda: work_values(), id="small-multiples"),
        pytest.param(lambda: line_chart(title="Leeg", series=(), y_min=0, y_max=10), id="nothing"),
    ],
)
def test_well_formed_svg_with_view_box_and_title(chart):
    chart = chart()
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert chart.svg.startswith("<svg ")  # no XML prolog or DOCTYPE: it can be inlined
    view_box = [float(number) for number in root.get("viewBox").split()]
    assert view_box[:2] == [0, 0] and view_box[2] > 0 and view_box[3] > 0
    assert (chart.width, chart.height) == (round(view_box[2]), round(view_box[3]))
    assert root.get("width") == "100%" and root.get("height") is None  # scales with its container
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == chart.title
    assert list(root)[0] is title  # the first child, where assistive technology looks for it


def test_title_is_escaped():
    chart = client_chart(title='Werk & "zin" <2025>')
    assert parse(chart).find(f"{SVG}title").text == 'Werk & "zin" <2025>'


def test_no_script_no_style_no_external_references():
    for chart in (client_chart(threshold=3.5, threshold_label="Norm"), work_values(step=True)):
        assert "<script" not in chart.svg
        # Presentation attributes instead of style attributes and a style element: the SVG may even be
        # inlined under the site's Content-Security-Policy.
        assert "style=" not in chart.svg and "<style" not in chart.svg
        assert "http://" not in chart.svg.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
            'xmlns:xlink="http://www.w3.org/1999/xlink"', ""
        )
        # Internal references only, and each points at an element that exists.
        root = parse(chart)
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        for element in root.iter():
            reference = element.get(XLINK_HREF)
            if reference:
                assert reference.startswith("#") and reference[1:] in ids


def test_data_uri_decodes_to_the_svg():
    chart = client_chart()
    prefix = "data:image/svg+xml;base64,"
    assert chart.data_uri.startswith(prefix)
    assert base64.b64decode(chart.data_uri[len(prefix) :]).decode() == chart.svg


def test_text_stays_text_in_a_generic_font_list():
    root = parse(client_chart())
    assert root.get("font-family") == "'DejaVu Sans', 'Arial', 'Helvetica', sans-serif"
    assert root.find(f".//{SVG}text") is not None


# --- deterministic and cached ---


def test_same_input_same_bytes_different_input_different_bytes():
    first = client_chart()
    charts.clear_cache()
    again = client_chart()
    assert first is not again and first.svg == again.svg
    assert client_chart(series=(series("Cliënt", (2, 3, 3, 4, 4, 4)),)).svg != first.svg
    assert client_chart(title="Ander").svg != first.svg


def test_same_bytes_in_another_process(tmp_path):
    script = (
        "from datetime import date\n"
        "from waardewerk.instruments.charts import Series, line_chart\n"
        "s = Series('Cliënt', ((date(2025, 1, 1), 2), (date(2025, 3, 1), None), (date(2025, 6, 1), 4)))\n"
        "print(line_chart(title='T', series=(s,), y_min=1, y_max=5, threshold=3, threshold_label='N').svg)\n"
    )
    environment = os.environ | {"PYTHONHASHSEED": "12345"}
    other = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=environment
    ).stdout
    points = ((date(2025, 1, 1), 2), (date(2025, 3, 1), None), (date(2025, 6, 1), 4))
    here = line_chart(
        title="T", series=(Series("Cliënt", points),), y_min=1, y_max=5, threshold=3, threshold_label="N"
    )
    assert other == here.svg + "\n"


def test_cache_returns_the_same_object_for_equal_inputs():
    first = client_chart()
    # Equal but separately built inputs (lists become tuples), keyword arguments in another order.
    second = line_chart(
        y_max=5,
        y_min=1,
        series=(
            Series("Cliënt", [(day, value) for day, value in zip(DATES, (2, 3, 3, 4, 4, 5), strict=True)]),
            Series("Professional", list(zip(DATES, (2, 2, 3, None, 4, 4), strict=True))),
        ),
        title="Zelfredzaamheid",
    )
    assert second is first
    assert work_values() is work_values()
    assert work_values() is not work_values(columns=2)


def test_rendering_leaves_matplotlib_settings_alone():
    before = dict(matplotlib.rcParams)
    work_values(values=(5, 4, 3, 2, 1, 1))
    assert dict(matplotlib.rcParams) == before


def test_concurrent_rendering_gives_the_same_charts():
    inputs = [(1, 2, 3, 4, 5, offset % 5 + 1) for offset in range(6)]
    expected = [client_chart(series=(series("Cliënt", values),)).svg for values in inputs]
    charts.clear_cache()
    cache.clear()  # drawn again, in threads at the same time
    results: dict[int, str] = {}

    def render(index):
        results[index] = client_chart(series=(series("Cliënt", inputs[index]),)).svg

    threads = [threading.Thread(target=render, args=(index,)) for index in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[index] for index in range(len(inputs))] == expected


# --- what the chart shows ---


def test_labels_passed_appear_as_text():
    chart = work_values(threshold=3, threshold_label="Drempel", y_label="Score")
    shown = texts(chart)
    for label in ("A: belangrijk", "B: zo is het nu", "C: haalbaar", "Drempel", "Score", *WORK_VALUES):
        assert label in shown
    for _, label in AGREEMENT:
        if label:
            assert label in shown
    assert "2" in shown  # a tick without a label shows its value


def test_long_labels_are_wrapped_not_lost():
    chart = line_chart(title="Ladder", series=(series("Trede", (1, 2, 2, 3, None, 4)),), y_min=1, y_max=6,
                       y_ticks=LADDER, step=True, y_label="Trede", x_label="Datum meting")  # fmt: skip
    joined = " ".join(texts(chart))
    for _, label in LADDER:
        for word in label.split():
            assert word in joined
    # Each line is its own text anchored at its end, so the lines stay aligned in any substitute font.
    root = parse(chart)
    wrapped = [element for element in root.iter(f"{SVG}text") if element.text == "de deur"]
    assert wrapped and wrapped[0].get("text-anchor") == "end"


def test_x_axis_shows_short_dates():
    shown = texts(client_chart())
    assert "13-01-2025" in shown and "09-12-2025" in shown
    long_span = (START, START + timedelta(days=400), START + timedelta(days=800))
    shown = texts(client_chart(series=(series("Cliënt", (1, 2, 3), dates=long_span),)))
    assert "01-2025" in shown and "03-2027" in shown


@pytest.mark.parametrize("span", [0, 1, 9, 45, 120, 365, 500, 1200, 4000])
@pytest.mark.parametrize("count", [1, 2, 6, 40])
@pytest.mark.parametrize("columns", [1, 4])
def test_date_labels_never_overlap_and_stay_few(span, count, columns):
    dates = tuple(
        sorted({START + timedelta(days=span * index // max(count - 1, 1)) for index in range(count)})
    )
    panel_series = (series("Cliënt", [3] * len(dates), dates=dates),)
    spec = charts._Spec(
        title="T",
        panels=tuple(Panel(f"Paneel {index}", panel_series) for index in range(columns + 1)),
        y_min=1, y_max=5, y_ticks=AGREEMENT, y_label="", x_label="", threshold=None, threshold_label="",
        step=False, empty_label="", columns=columns, height=charts.PANEL_HEIGHT, multiple=columns > 1,
    )  # fmt: skip
    with matplotlib.rc_context(chart_drawing._RC):
        figure = chart_drawing._build_figure(spec)
        figure.draw_without_rendering()
        for axes in figure.axes:
            labels = [label for label in axes.get_xticklabels() if label.get_visible() and label.get_text()]
            assert len(labels) <= charts.MAX_X_TICKS
            boxes = sorted((label.get_window_extent() for label in labels), key=lambda box: box.x0)
            for left, right in zip(boxes, boxes[1:], strict=False):
                assert left.x1 < right.x0, [label.get_text() for label in labels]
            # The first measurement is always labelled on the panels that show dates.
            if labels:
                assert labels[0].get_text() in {dates[0].strftime("%d-%m-%Y"), dates[0].strftime("%m-%Y")}


def test_single_measurement_draws_a_marker():
    chart = line_chart(title="Eén", series=(Series("Cliënt", ((START, 3),)),), y_min=1, y_max=5)
    uses = data_markers(chart)
    assert len(uses) == 1
    x, y = float(uses[0].get("x")), float(uses[0].get("y"))
    assert 0 < x < chart.width and 0 < y < chart.height
    assert "13-01-2025" in texts(chart)


def test_gaps_leave_markers_for_the_values_present():
    chart = line_chart(
        title="Gaten", series=(series("Cliënt", (2, None, 4, None, None, 5)),), y_min=1, y_max=5
    )
    assert len(data_markers(chart)) == 3
    step = line_chart(
        title="Gaten", series=(series("Cliënt", (2, None, 4, None, None, 5)),), y_min=1, y_max=5, step=True
    )
    assert len(data_markers(step)) == 3


def test_empty_series_and_panels_do_not_crash():
    empty = Series("Cliënt", ())
    chart = line_chart(title="Leeg", series=(empty,), y_min=1, y_max=5, empty_label="Nog geen metingen")
    assert "Nog geen metingen" in texts(chart) and "Cliënt" in texts(chart)
    assert data_markers(chart) == []
    only_gaps = line_chart(title="Leeg", series=(series("Cliënt", (None, None)),), y_min=1, y_max=5)
    assert data_markers(only_gaps) == []
    parse(small_multiples(title="Leeg", panels=(), y_min=1, y_max=5))
    parse(
        small_multiples(title="Leeg", panels=(Panel("A", ()), Panel("B", (empty, empty))), y_min=1, y_max=5)
    )


def test_values_outside_the_scale_stay_visible():
    chart = line_chart(title="Buiten", series=(series("Cliënt", (0, 7)),), y_min=1, y_max=5)
    assert len(data_markers(chart)) == 2
    for use in data_markers(chart):
        assert 0 < float(use.get("y")) < chart.height


def test_a_threshold_outside_the_scale_stays_visible():
    chart = client_chart(threshold=6, threshold_label="Norm")
    root = parse(chart)
    (area,) = plot_areas(root)
    lines = [path for path in root.iter(f"{SVG}path") if path.get("stroke") == charts.ACCENT]
    y = float(lines[0].get("d").split()[2])
    assert area[1] <= y <= area[3]


def test_series_styles_differ_without_colour():
    styles = charts.SERIES_STYLES
    assert len({style.dashes for style in styles}) == len(styles)
    assert len({style.marker for style in styles}) == len(styles)
    assert len({style.color for style in styles}) == len(styles)
    assert styles[0] == charts.SeriesStyle("#000000", None, "o")
    assert styles[1].marker == "s" and styles[2].marker == "^"
    for style in styles:  # grey levels only
        red, green, blue = (int(style.color[position : position + 2], 16) for position in (1, 3, 5))
        assert red == green == blue


def test_series_keep_their_style_across_panels():
    chart = small_multiples(
        title="Determinanten",
        panels=(Panel("Motivatie", (series("Cliënt", (1,)), series("Professional", (2,)))),
                Panel("Gezondheid", (series("Cliënt", (3,)), series("Professional", (4,))))),
        y_min=1, y_max=5,
    )  # fmt: skip
    # Each style's marker is defined once and used once per panel plus once in the shared legend.
    root = parse(chart)
    counts: dict[str, int] = {}
    for use in root.iter(f"{SVG}use"):
        counts[use.get(XLINK_HREF)] = counts.get(use.get(XLINK_HREF), 0) + 1
    assert sorted(count for count in counts.values() if count == 3) == [3, 3]
    assert texts(chart).count("Cliënt") == 1  # one shared legend


def test_threshold_is_dashed_and_in_the_legend():
    chart = client_chart(threshold=3.5, threshold_label="Streefwaarde")
    assert "Streefwaarde" in texts(chart)
    root = parse(chart)
    accent = [path for path in root.iter(f"{SVG}path") if path.get("stroke") == charts.ACCENT]
    assert len(accent) == 2  # the line and its legend sample
    assert all(path.get("stroke-dasharray") for path in accent)


def test_labels_that_look_like_markup_or_math_are_plain_text():
    label = '<b>"€ 5 $x^2$"</b> & ]]>'
    chart = line_chart(
        title=label, series=(series(label, (1, 2)), series("_verborgen", (2, 3))), y_min=1, y_max=5
    )
    assert label in texts(chart)
    assert "_verborgen" in texts(chart)  # matplotlib would leave a legend label starting with "_" out


def test_lazy_translations_are_fixed_when_the_chart_is_asked_for():
    from django.utils.translation import gettext_lazy, override

    with override("en"):
        chart = client_chart(title=gettext_lazy("Date"), series=(series(gettext_lazy("Date"), (1, 2)),))
    assert type(chart.title) is str and chart.title == "Date"
    assert "Date" in texts(chart)


def test_bad_scale_is_refused():
    with pytest.raises(ValueError, match="y_min"):
        client_chart(y_min=5, y_max=5)
    with pytest.raises(ValueError, match="columns"):
        work_values(columns=0)


def test_sizes_stay_small():
    assert len(client_chart().svg) < 15_000
    assert len(work_values().svg) < 50_000


# --- environment ---


def test_matplotlib_cache_directory_defaults_to_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.setenv("WAARDEWERK_DATA_DIR", str(tmp_path / "data"))
    chart_drawing._configure_matplotlib_dir()
    assert os.environ["MPLCONFIGDIR"] == str((tmp_path / "data" / "matplotlib").resolve())
    assert (tmp_path / "data" / "matplotlib").is_dir()


def test_matplotlib_cache_directory_falls_back_to_the_temporary_directory(tmp_path, monkeypatch):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.setenv("WAARDEWERK_DATA_DIR", str(not_a_directory))
    chart_drawing._configure_matplotlib_dir()
    assert os.environ["MPLCONFIGDIR"] == str(Path(chart_drawing.tempfile.gettempdir()))


def test_an_explicit_matplotlib_cache_directory_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path))
    monkeypatch.setenv("WAARDEWERK_DATA_DIR", str(tmp_path / "data"))
    chart_drawing._configure_matplotlib_dir()
    assert os.environ["MPLCONFIGDIR"] == str(tmp_path)
    assert not (tmp_path / "data").exists()


def test_import_sets_the_cache_directory_and_never_loads_pyplot(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "MPLCONFIGDIR"}
    environment |= {"WAARDEWERK_DATA_DIR": str(tmp_path), "HOME": "/nonexistent"}
    script = (
        "import os, sys\n"
        "from waardewerk.instruments import chart_drawing\n"  # first: matplotlib reads it on import
        "import matplotlib\n"
        "print(os.environ['MPLCONFIGDIR'], matplotlib.get_configdir(), matplotlib.get_backend(),\n"
        "      'matplotlib.pyplot' in sys.modules)\n"
    )
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=environment
    )
    expected = str(tmp_path.resolve() / "matplotlib")
    assert output.stdout.lower().split() == [expected.lower(), expected.lower(), "agg", "false"]


# --- property ---

points = st.lists(
    st.tuples(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
        st.one_of(st.none(), st.floats(min_value=1, max_value=6), st.integers(min_value=1, max_value=6)),
    ),
    max_size=12,
)


# Text is written as text, drawn by the viewer's fonts; matplotlib still warns about characters that
# DejaVu Sans (which it measures with) lacks.
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(points, min_size=1, max_size=4),
    labels=st.lists(st.text(max_size=30), min_size=4, max_size=4),
    step=st.booleans(),
)
def test_any_series_renders_valid_xml(data, labels, step):
    all_series = tuple(
        Series(label, sorted(values, key=lambda point: point[0]))
        for label, values in zip(labels, data, strict=False)
    )
    chart = line_chart(title=labels[0], series=all_series, y_min=1, y_max=6, y_ticks=LADDER, step=step,
                       threshold=3.5, threshold_label=labels[1])  # fmt: skip
    root = parse(chart)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title") is not None
    assert len(data_markers(chart, circles_only=False)) >= sum(
        1 for values in data for _, value in values if value is not None
    )
