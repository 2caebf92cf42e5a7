"""The guide format: every problem named with its place; the reader localises and filters by audience."""

import json

import pytest
import yaml
from django.utils import translation

from waardewerk.knowledge.guide import (
    CONTEXTS,
    PHASES,
    Guide,
    GuideError,
    check_guide,
    checksum,
    parse_guide,
    to_yaml,
)
from waardewerk.knowledge.tests.conftest import fixture_data, fixture_text
from waardewerk.trajectories.models import Context, Phase


def _problems(data) -> list[str]:
    with pytest.raises(GuideError) as error:
        parse_guide(yaml.safe_dump(data, allow_unicode=True))
    return error.value.problems


def test_phases_and_contexts_are_the_trajectories():
    assert list(PHASES) == list(Phase.values)
    assert list(CONTEXTS) == list(Context.values)


def test_the_fixture_is_valid_and_json_works_as_well():
    data = parse_guide(fixture_text(), "guide.yaml")
    assert data["key"] == "waardegericht" and data["version"] == 1
    assert parse_guide(json.dumps(fixture_data()), "guide.json") == data


def test_top_level_problems_are_all_named():
    data = fixture_data()
    del data["title"]
    data["version"] = "one"
    data["colour"] = "blue"
    data["format"] = 2
    data["key"] = "Not A Key"
    problems = _problems(data)
    assert "title: missing" in problems
    assert any(p.startswith("version: expected a whole number") for p in problems)
    assert "colour: unknown field" in problems
    assert "format: only format 1 exists" in problems
    assert any(p.startswith("key: 'Not A Key' is not a valid key") for p in problems)


def test_dutch_text_is_required_and_english_is_optional():
    data = fixture_data()
    data["title"] = {"en": "Only English"}
    data["description"] = "a plain string"
    data["phases"]["plan"]["topics"][0]["why"] = {"nl": "Alleen Nederlands"}
    data["phases"]["plan"]["topics"][0]["questions"][0] = {"nl": "  ", "fr": "Quoi?"}
    problems = _problems(data)
    assert "title: the Dutch text (nl) is required" in problems
    assert any(p.startswith("description: expected texts per language") for p in problems)
    where = "phases.plan.topics[0] (plan_values).questions[0]"
    assert f"{where}.nl: expected a non-empty text" in problems
    assert f"{where}.fr: unknown language (use nl, en)" in problems
    assert not any("why" in p for p in problems)


def test_all_six_phases_and_no_others():
    data = fixture_data()
    del data["phases"]["evaluation"]
    data["phases"]["aftercare"] = {"topics": []}
    problems = _problems(data)
    assert "phases: the phase 'evaluation' is missing" in problems
    assert any(p.startswith("phases.aftercare: unknown phase") for p in problems)


def test_topic_problems_name_the_phase_topic_and_field():
    data = fixture_data()
    topics = data["phases"]["intake"]["topics"]
    topics[1]["key"] = topics[0]["key"]  # twice in the same phase
    data["phases"]["plan"]["topics"][0]["key"] = "intake_values"  # and once in another phase
    topics[2]["key"] = "Bad-Key"
    topics[0]["questions"] = []
    topics[0]["knowledge_source"] = "gut_feeling"
    topics[0]["audiences"] = ["first_track", "pensioners"]
    topics[0]["colour"] = "red"
    del topics[2]["title"]
    problems = _problems(data)
    where = "phases.intake.topics[0] (intake_values)"
    assert f"{where}.questions: a list of at least one question is needed" in problems
    assert f"{where}.knowledge_source: use one of client, expertise, research" in problems
    assert any(p.startswith(f"{where}.audiences[1]: unknown 'pensioners'") for p in problems)
    assert f"{where}.colour: unknown field" in problems
    assert any(
        "(intake_values).key: 'intake_values' is used twice (also in phase intake)" in p for p in problems
    )
    assert sum("'intake_values' is used twice" in p for p in problems) == 2
    assert any(
        p.startswith("phases.intake.topics[2] (Bad-Key).key: 'Bad-Key' is not a valid key") for p in problems
    )
    assert "phases.intake.topics[2] (Bad-Key).title: missing" in problems


def test_audiences_must_cover_every_context_once():
    data = fixture_data()
    data["audiences"][0]["contexts"] = ["first_track", "ww"]  # ww belongs to job_seeker as well
    data["audiences"][2]["contexts"] = ["participation_act", "ww", "wia_wga"]  # "other" is left out
    data["audiences"][1]["contexts"] = ["second_track", "abroad"]
    problems = _problems(data)
    assert any("'ww' belongs to audience 'first_track' already" in p for p in problems)
    assert "audiences: no audience for the context(s) other" in problems
    assert any(p.startswith("audiences[1] (second_track).contexts[1]: unknown 'abroad'") for p in problems)


def test_syntax_errors_name_the_line():
    with pytest.raises(GuideError) as error:
        parse_guide("key: x\nphases: [unclosed\n")
    assert error.value.problems[0].startswith("line ")
    with pytest.raises(GuideError) as error:
        parse_guide("{", "guide.json")
    assert "not valid JSON" in error.value.problems[0]
    with pytest.raises(GuideError):
        parse_guide("")


def test_reader_filters_by_audience_in_order_and_localises():
    guide = Guide(parse_guide(fixture_text()))
    assert guide.audience_for("ww") == "job_seeker"
    assert guide.audience_for("first_track") == "first_track"
    assert guide.audience_for("unknown") == ""
    assert [t.key for t in guide.topics_for("intake", "second_track")] == ["intake_values", "intake_employer"]
    assert [t.key for t in guide.topics_for("plan", "participation_act")] == ["plan_values", "plan_search"]
    assert len(guide.topics_for("plan", "")) == 3  # no audience: every topic
    with translation.override("nl"):
        topic = guide.topic("intake_values")
        assert topic.title == "Waarden (intake)"
        assert topic.questions == ["Wat vindt u belangrijk in werk?", "Wat geeft u energie?"]
        assert guide.title == "Gespreksleidraad (test)"
    with translation.override("en"):
        topic = guide.topic("intake_values")
        assert topic.title == "Values (intake)"
        # a question without English falls back to Dutch
        assert topic.questions == ["What matters to you in work?", "Wat geeft u energie?"]
        assert guide.topic("plan_search").why == "Werk zoeken vraagt een plan."
        assert guide.topic_titles(["plan_search", "gone", "intake_values"]) == [
            "Searching (plan)",
            "Values (intake)",
        ]
    assert topic.phase == "intake" and topic.instruments == ["lwc"] and topic.knowledge_source == "client"
    assert topic.for_everyone and topic.audiences == ["first_track", "second_track", "job_seeker"]
    employer = guide.topic("intake_employer")
    assert not employer.for_everyone and employer.audiences == ["first_track", "second_track"]
    assert guide.topic("gone") is None
    assert [phase for phase, _intro, _topics in guide.phases()] == list(PHASES)


def test_yaml_export_loads_again_unchanged_whatever_the_key_order():
    data = parse_guide(fixture_text())
    # PostgreSQL's jsonb returns keys in its own order: the export must not depend on it.
    shuffled = json.loads(json.dumps(data, sort_keys=True))
    shuffled["phases"] = dict(reversed(list(shuffled["phases"].items())))
    text = to_yaml(shuffled)
    assert text.index("intake:") < text.index("evaluation:")
    assert parse_guide(text) == data
    assert checksum(shuffled) == checksum(data)
    assert check_guide(data) == data


def test_the_shipped_guide_is_complete():
    from waardewerk.instruments.services import BUILTIN_DIR
    from waardewerk.knowledge.services import BUILTIN_FILE

    data = parse_guide(BUILTIN_FILE.read_text(encoding="utf-8"), str(BUILTIN_FILE))
    guide = Guide(data)
    assert data["key"] == "waardegericht"
    assert list(data["phases"]) == list(PHASES)
    assert guide.audience_keys == ["first_track", "second_track", "job_seeker"]
    for context in CONTEXTS:
        assert guide.audience_for(context)
    shipped_instruments = {path.stem for path in BUILTIN_DIR.glob("*.yaml")}
    for phase in PHASES:
        for audience in guide.audience_keys:
            topics = guide.topics_in(phase, audience)
            assert len(topics) >= 4, f"{phase}: only {len(topics)} topics for {audience}"
        for raw in data["phases"][phase]["topics"]:
            assert raw["title"].get("en") and raw["why"].get("en"), f"{raw['key']} lacks English"
            assert all(q.get("en") for q in raw["questions"]), f"{raw['key']} has a question without English"
            assert set(raw["instruments"]) <= shipped_instruments, raw["key"]
        assert data["phases"][phase]["intro"]


def test_the_shipped_guide_is_loaded_after_migrate(db):
    from waardewerk.knowledge.selectors import current_guide

    version, guide = current_guide()
    assert guide.key == "waardegericht" and version.loaded_by == "waardewerk"
    assert version.source_file == "default.yaml"
