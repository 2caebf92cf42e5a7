"""Scoring rules: worked examples from the sources and properties that must hold for any answers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import IGM_ITEMS, LWC_VALUES, lwc_answers
from waardewerk.instruments.scoring import ScoringError, capability_set, level, mean, profile, total

LWC_PARAMS = {"values": list(LWC_VALUES), "threshold": 4, "overall_item": "overall"}


def test_all_values_valued_enabled_and_achieved_make_a_full_capability_set():
    result = capability_set(LWC_PARAMS, lwc_answers(4, 4, 4))
    assert result["capability_set_size"] == 7
    assert result["capability_set"] == list(LWC_VALUES)
    assert result["discrepancies"] == []


def test_worked_example_statuses_and_discrepancies_first():
    """A client who values income highly but whose work does not enable it (B low) and who values
    contacts, which the work enables but which are not achieved (C low): both are the topics to act on;
    the work-context discrepancy (not enabled) is listed before the personal one (not achieved)."""
    answers = lwc_answers(
        4,
        4,
        4,
        income=(5, 2, 2),
        contacts=(4, 4, 3),
        involvement=(2, 5, 5),
        own_goals=(3, 1, 1),
    )
    result = capability_set(LWC_PARAMS, answers)
    statuses = {key: value["status"] for key, value in result["values"].items()}
    assert statuses == {
        "use_skills": "capability",
        "develop_skills": "capability",
        "involvement": "not_valued",
        "contacts": "not_achieved",
        "own_goals": "not_valued",
        "income": "not_enabled",
        "contribution": "capability",
    }
    assert result["capability_set"] == ["use_skills", "develop_skills", "contribution"]
    assert result["capability_set_size"] == 3
    assert result["discrepancies"] == ["income", "contacts"]
    assert result["overall"] == 4


def test_threshold_is_a_parameter_of_the_definition():
    answers = lwc_answers(4, 4, 4, income=(5, 5, 5))
    assert capability_set(LWC_PARAMS | {"threshold": 5}, answers)["capability_set"] == ["income"]
    assert capability_set(LWC_PARAMS | {"threshold": 3}, lwc_answers(3, 3, 3))["capability_set_size"] == 7


def test_missing_answers_are_named():
    answers = lwc_answers()
    del answers["income.enabled"], answers["contacts.importance"]
    with pytest.raises(ScoringError) as error:
        capability_set(LWC_PARAMS, answers)
    assert set(error.value.items) == {"income.enabled", "contacts.importance"}


score5 = st.integers(min_value=1, max_value=5)
lwc_strategy = st.fixed_dictionaries(
    {f"{value}.{part}": score5 for value in LWC_VALUES for part in ("importance", "enabled", "achieved")}
    | {"overall": score5}
)


@given(lwc_strategy, st.integers(min_value=1, max_value=5))
def test_capability_set_properties(answers, threshold):
    result = capability_set(LWC_PARAMS | {"threshold": threshold}, answers)
    assert 0 <= result["capability_set_size"] <= 7
    assert result["capability_set_size"] == len(result["capability_set"])
    for key, value in result["values"].items():
        a, b, c = (answers[f"{key}.{part}"] for part in ("importance", "enabled", "achieved"))
        in_set = a >= threshold and b >= threshold and c >= threshold
        assert (value["status"] == "capability") == in_set
        assert (key in result["capability_set"]) == in_set
        if value["status"] == "not_valued":
            assert a < threshold
        if value["status"] == "not_enabled":
            assert a >= threshold > b
        if value["status"] == "not_achieved":
            assert a >= threshold and b >= threshold > c
        assert (key in result["discrepancies"]) == (value["status"] in ("not_enabled", "not_achieved"))
    statuses = [result["values"][k]["status"] for k in result["discrepancies"]]
    assert statuses == sorted(statuses, key=lambda s: s != "not_enabled")


@given(lwc_strategy, st.sampled_from(LWC_VALUES), st.sampled_from(["enabled", "achieved", "importance"]))
def test_raising_an_answer_never_shrinks_the_capability_set(answers, value, part):
    before = capability_set(LWC_PARAMS, answers)["capability_set_size"]
    raised = dict(answers)
    raised[f"{value}.{part}"] = min(5, raised[f"{value}.{part}"] + 1)
    assert capability_set(LWC_PARAMS, raised)["capability_set_size"] >= before


IGM_PARAMS = {
    "dimensions": list(IGM_ITEMS),
    "groups": {"willen": list(IGM_ITEMS[:4]), "kunnen": list(IGM_ITEMS[4:])},
}


def test_profile_keeps_each_rating_and_averages_the_groups():
    answers = dict(zip(IGM_ITEMS, [2, 3, 4, 4, 1, 2], strict=True))
    result = profile(IGM_PARAMS, answers)
    assert result["scores"] == answers
    assert result["groups"] == {"willen": 3.25, "kunnen": 1.5}


@given(st.fixed_dictionaries({item: score5 for item in IGM_ITEMS}))
def test_profile_group_means_lie_within_their_members(answers):
    result = profile(IGM_PARAMS, answers)
    for group, members in IGM_PARAMS["groups"].items():
        values = [answers[m] for m in members]
        assert min(values) <= result["groups"][group] <= max(values)


def test_level_is_the_rung():
    assert level({"item": "rung"}, {"rung": 4})["level"] == 4
    with pytest.raises(ScoringError):
        level({"item": "rung"}, {})


def test_sum_and_mean_with_a_reverse_scored_item():
    scales = {i: {"min": 1, "max": 5} for i in "abc"}
    params = {"items": ["a", "b", "c"], "reverse": ["c"]}
    assert total(params, {"a": 4, "b": 4, "c": 2}, scales)["total"] == 12
    assert mean(params, {"a": 4, "b": 4, "c": 2}, scales)["mean"] == 4.0
    assert mean(params, {"a": 1, "b": 2, "c": 2}, scales)["mean"] == 2.33  # (1 + 2 + 4) / 3
