"""The fit rule (matching/fit.py, docs/matching.md) as properties."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from waardewerk.matching import fit

KEYS = ["use_skills", "develop_skills", "involvement", "contacts", "own_goals", "income", "contribution"]
score = st.integers(min_value=1, max_value=5)
maybe = st.one_of(st.none(), score)
client = st.fixed_dictionaries(
    {k: st.fixed_dictionaries({"importance": score, "enabled": score, "achieved": score}) for k in KEYS}
)
profile = st.fixed_dictionaries({k: maybe for k in KEYS}).map(
    lambda d: {k: v for k, v in d.items() if v is not None}
)


@given(client, profile, profile, st.integers(min_value=1, max_value=5))
def test_every_value_has_one_status_and_the_summary_adds_up(values, job, employer, threshold):
    result = fit.compute(KEYS, values, job, employer, threshold=threshold)
    assert [v.key for v in result.values] == KEYS
    important = [k for k in KEYS if values[k]["importance"] >= threshold]
    assert result.important == important
    assert sorted(result.matched + result.partial + result.gaps + result.unknown) == sorted(important)
    for value in result.values:
        expected_job = job.get(value.key, employer.get(value.key))
        assert value.job == expected_job
        assert value.source == ("job" if value.key in job else "employer" if value.key in employer else "")
        if value.key not in important:
            assert value.status == fit.NOT_IMPORTANT
        elif expected_job is None:
            assert value.status == fit.UNKNOWN
        elif expected_job >= 4:
            assert value.status == fit.MATCH
        elif expected_job <= 2:
            assert value.status == fit.GAP
        else:
            assert value.status == fit.PARTIAL
    share = result.fit_share
    assert share is None if not important else share == Fraction(len(result.matched), len(important))


@given(client, profile, profile, st.sampled_from(KEYS))
def test_a_higher_job_score_never_lowers_the_fit(values, job, employer, key):
    """Monotone: raising the job's score on one value never makes the fit share smaller."""
    before = fit.compute(KEYS, values, job, employer)
    raised = dict(job) | {key: min(5, (job.get(key) or employer.get(key) or 1) + 1)}
    after = fit.compute(KEYS, values, raised, employer)
    if before.fit_share is not None:
        assert after.fit_share >= before.fit_share


def test_the_reasons_name_the_numbers():
    from waardewerk.matching.templatetags.matching import value_reason

    values = {k: {"importance": 2, "enabled": 3, "achieved": 3} for k in KEYS}
    values["income"] = {"importance": 5, "enabled": 2, "achieved": 1}
    values["contacts"] = {"importance": 4, "enabled": 4, "achieved": 4}
    result = fit.compute(KEYS, values, {"income": 2}, {"contacts": 5})
    by_key = {v.key: v for v in result.values}
    assert result.gaps == ["income"] and result.matched == ["contacts"]
    assert result.fit_share == Fraction(1, 2)
    assert "5" in value_reason(by_key["income"]) and "2" in value_reason(by_key["income"])
    assert "werkgever" in value_reason(by_key["contacts"])  # the default language is Dutch
    assert result.as_dict()["fit_share"] == 0.5


def test_nothing_important_sorts_last():
    nothing = fit.compute(KEYS, {}, {k: 5 for k in KEYS})
    some = fit.compute(KEYS, {"income": {"importance": 5}}, {"income": 1})
    assert nothing.fit_share is None
    assert sorted([nothing, some], key=fit.Fit.sort_key) == [some, nothing]
