"""The suppression rule (docs/practice-evidence.md, "Suppression"): no shown cell below k, and no
complement (a total minus the shown cells) that reveals a suppressed cell or a small number."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from waardewerk.insights import suppression
from waardewerk.insights.checks import check_min_cell_size_setting

ks = st.integers(min_value=5, max_value=30)
tables = st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=200), max_size=8)


@given(tables, ks)
def test_no_shown_cell_below_k(counts, k):
    cells, total = suppression.suppress_table(counts, k)
    assert set(cells) == set(counts)
    for key, value in cells.items():
        assert value is None or (value == counts[key] and value >= k)
    assert total is None or total >= k


@given(tables, ks)
def test_no_complement_reveals_a_suppressed_cell(counts, k):
    """With the total shown, total minus the shown cells is the sum of the suppressed ones: that sum must
    cover two cells or more and be at least k, or it would give a suppressed cell (or a small group) away."""
    cells, total = suppression.suppress_table(counts, k)
    if total is None:
        assert all(value is None for value in cells.values())
        return
    assert total == sum(counts.values())
    hidden = [key for key, value in cells.items() if value is None]
    if hidden:
        assert len(hidden) >= 2
        assert total - sum(v for v in cells.values() if v is not None) >= k


@given(tables, ks)
def test_nothing_is_hidden_without_need(counts, k):
    cells, total = suppression.suppress_table(counts, k)
    if total is not None and all(value >= k for value in counts.values()):
        assert cells == dict(counts)


@given(st.integers(min_value=0, max_value=100), ks)
def test_a_single_figure_is_shown_from_k_on(n, k):
    assert (suppression.shown("x", n, k) == "x") == (n >= k)


def test_the_usual_case():
    cells, total = suppression.suppress_table({"ww": 14, "wia_wga": 3, "other": 22}, 10)
    # 3 is too few; 14 goes too, or 39 - 22 - 14 would give the 3 back.
    assert cells == {"ww": None, "wia_wga": None, "other": 22}
    assert total == 39


def test_a_small_total_hides_everything():
    assert suppression.suppress_table({"a": 4, "b": 3}, 10) == ({"a": None, "b": None}, None)


def test_counts_must_be_counts():
    with pytest.raises(ValueError):
        suppression.suppress_table({"a": -1}, 10)


def test_the_default_is_ten():
    assert suppression.min_cell_size() == 10


@pytest.mark.parametrize("value", [4, 0, -3, "10", 2.5])
def test_a_threshold_below_five_is_refused(value):
    with override_settings(INSIGHTS_MIN_CELL_SIZE=value):
        with pytest.raises(ImproperlyConfigured):
            suppression.min_cell_size()
        errors = check_min_cell_size_setting()
        assert [e.id for e in errors] == ["waardewerk.E040"]
        assert "waardewerk.E040" in {
            e.id for e in run_checks(include_deployment_checks=True, tags=["security"])
        }


@override_settings(INSIGHTS_MIN_CELL_SIZE=5)
def test_five_is_allowed():
    assert suppression.min_cell_size() == 5
    assert check_min_cell_size_setting() == []


def test_the_application_refuses_to_start_with_a_threshold_below_five():
    import os
    import subprocess
    import sys

    env = os.environ | {"WAARDEWERK_INSIGHTS_MIN_CELL_SIZE": "4"}
    done = subprocess.run(  # noqa: S603 (the app's own entry point)
        [sys.executable, "-m", "waardewerk.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "INSIGHTS_MIN_CELL_SIZE is 4" in done.stderr
