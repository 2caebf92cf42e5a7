"""Loading guide files and the functional administrator's edits: each is a new version, none changes an
earlier one, a stale edit is refused, only the administrator edits, every edit is audited."""

import copy

import pytest
import yaml
from django.core.exceptions import ValidationError

from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.knowledge import selectors, services
from waardewerk.knowledge.guide import GuideError, parse_guide
from waardewerk.knowledge.models import ConversationGuide, GuideVersion
from waardewerk.knowledge.tests.conftest import clear_guides, fixture_data, fixture_text

pytestmark = pytest.mark.django_db


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _edit(**overrides) -> dict:
    values = {
        "title_nl": "Waarden in werk",
        "title_en": "Values in work",
        "why_nl": "Waarden geven richting aan werk.",
        "why_en": "",
        "questions_nl": ["Wat vindt u belangrijk?", "", "Waar krijgt u energie van?"],
        "questions_en": ["What matters to you?"],
        "audiences": ["first_track", "second_track", "job_seeker"],
        "instruments": ["lwc"],
        "knowledge_source": "research",
        "note": "Vragen korter gemaakt.",
    }
    return values | overrides


# Loading ------------------------------------------------------------------------------------------------


def test_loading_the_same_version_twice_is_a_no_op_and_other_content_is_refused(guide_v1):
    again = services.guide_load(fixture_text(), filename="guide.yaml")
    assert not again.created and again.version == guide_v1
    changed = fixture_data()
    changed["title"]["nl"] = "Andere titel"
    with pytest.raises(GuideError) as error:
        services.guide_load(_dump(changed))
    assert "version 1 of the guide exists already with other content" in error.value.problems[0]
    assert GuideVersion.objects.count() == 1


def test_the_highest_version_becomes_current(guide_v1):
    v3 = fixture_data() | {"version": 3}
    v3["title"] = {"nl": "Versie drie"}
    services.guide_load(_dump(v3), filename="v3.yaml", loaded_by="command line")
    v2 = fixture_data() | {"version": 2}
    v2["title"] = {"nl": "Versie twee"}
    result = services.guide_load(_dump(v2))
    assert result.created
    version, guide = selectors.current_guide()
    assert version.version == 3 and guide.title == "Versie drie"
    assert version.source_file == "v3.yaml" and version.loaded_by == "command line"
    assert [v.version for v in selectors.guide_versions("waardegericht")] == [3, 2, 1]


def test_one_guide_per_installation(guide_v1):
    other = fixture_data() | {"key": "another"}
    with pytest.raises(GuideError) as error:
        services.guide_load(_dump(other))
    assert "this installation's conversation guide is 'waardegericht'" in error.value.problems[0]


def test_a_broken_file_stores_nothing(db):
    clear_guides()
    data = fixture_data()
    del data["phases"]["plan"]
    with pytest.raises(GuideError):
        services.guide_load(_dump(data))
    assert not ConversationGuide.objects.exists()
    assert selectors.current_guide() is None


def test_current_guide_is_one_query(guide_v1, django_assert_num_queries):
    with django_assert_num_queries(1):
        version, guide = selectors.current_guide()
        assert version.guide.key == guide.key == "waardegericht"


def test_the_shipped_guide_is_not_loaded_over_an_edited_one(
    guide_v1, functional_admin, monkeypatch, tmp_path
):
    services.guide_topic_move(actor=functional_admin, topic_key="plan_search", direction="up", base_version=1)
    newer = fixture_data() | {"version": 2}
    newer["title"] = {"nl": "Nieuwe standaard"}
    shipped = tmp_path / "default.yaml"
    shipped.write_text(_dump(newer))
    monkeypatch.setattr(services, "BUILTIN_FILE", shipped)
    assert services.load_builtin() is None  # version 2 exists (the edit): kept
    shipped.write_text(_dump(newer | {"version": 3}))
    assert services.load_builtin() is None  # newer, but the current version is an edit: not loaded over it
    assert selectors.current_guide()[0].version == 2


def test_a_newer_shipped_guide_replaces_an_unedited_shipped_one(db, monkeypatch, tmp_path):
    clear_guides()
    shipped = tmp_path / "default.yaml"
    shipped.write_text(fixture_text())
    monkeypatch.setattr(services, "BUILTIN_FILE", shipped)
    assert services.load_builtin().created
    assert services.load_builtin() is None
    shipped.write_text(_dump(fixture_data() | {"version": 2}))
    assert services.load_builtin().created
    version = selectors.current_guide()[0]
    assert version.version == 2 and version.loaded_by == "waardewerk" and not version.is_edit


# Edits ---------------------------------------------------------------------------------------------------


def test_topic_update_creates_a_new_version_and_leaves_the_old_one_unchanged(guide_v1, functional_admin):
    before = copy.deepcopy(GuideVersion.objects.get(pk=guide_v1.pk).definition)
    stored = services.guide_topic_update(
        actor=functional_admin, topic_key="intake_values", base_version=1, **_edit()
    )
    assert stored.version == 2 and stored.created_by == functional_admin
    assert stored.note == "Vragen korter gemaakt."
    assert GuideVersion.objects.get(pk=guide_v1.pk).definition == before
    version, guide = selectors.current_guide()
    assert version.pk == stored.pk and version.definition["version"] == 2
    topic = guide.data["phases"]["intake"]["topics"][0]
    assert topic == {
        "key": "intake_values",
        "title": {"nl": "Waarden in werk", "en": "Values in work"},
        "why": {"nl": "Waarden geven richting aan werk."},
        "audiences": [],  # all audiences ticked: for everyone
        "questions": [
            {"nl": "Wat vindt u belangrijk?", "en": "What matters to you?"},
            {"nl": "Waar krijgt u energie van?"},  # the empty line in between is dropped
        ],
        "instruments": ["lwc"],
        "knowledge_source": "research",
    }
    assert parse_guide(_dump(version.definition)) == version.definition  # still a valid guide


def test_topic_update_checks_every_field(guide_v1, functional_admin):
    with pytest.raises(ValidationError) as error:
        services.guide_topic_update(
            actor=functional_admin,
            topic_key="intake_values",
            base_version=1,
            **_edit(
                title_nl=" ",
                why_nl="",
                questions_nl=["", ""],
                questions_en=["What?"],
                audiences=[],
                instruments=["nonexistent"],
                knowledge_source="gut",
                note="",
            ),
        )
    errors = error.value.message_dict
    assert set(errors) == {
        "title_nl",
        "why_nl",
        "questions_en",
        "audiences",
        "instruments",
        "knowledge_source",
        "note",
    }
    assert GuideVersion.objects.count() == 1


def test_english_questions_beyond_the_dutch_ones_are_refused(guide_v1, functional_admin):
    with pytest.raises(ValidationError) as error:
        services.guide_topic_update(
            actor=functional_admin,
            topic_key="intake_values",
            base_version=1,
            **_edit(questions_nl=["Eén vraag"], questions_en=["One question", "Two questions"]),
        )
    assert "questions_en" in error.value.message_dict


def test_some_audiences_are_stored_in_the_guide_order(guide_v1, functional_admin):
    services.guide_topic_update(
        actor=functional_admin,
        topic_key="intake_values",
        base_version=1,
        **_edit(audiences=["job_seeker", "first_track"]),
    )
    _version, guide = selectors.current_guide()
    assert guide.topic("intake_values").audiences == ["first_track", "job_seeker"]
    assert [t.key for t in guide.topics_for("intake", "second_track")] == ["intake_employer"]


def test_topic_add_derives_a_unique_key_from_the_dutch_title(guide_v1, functional_admin):
    first = services.guide_topic_add(
        actor=functional_admin, phase="plan", base_version=1, **_edit(title_nl="Werk & zorg: één plan!")
    )
    second = services.guide_topic_add(
        actor=functional_admin, phase="plan", base_version=2, **_edit(title_nl="Werk & zorg: één plan")
    )
    assert first.added_key == "werk_zorg_een_plan" and second.added_key == "werk_zorg_een_plan_2"
    _version, guide = selectors.current_guide()
    assert [t.key for t in guide.topics_in("plan")][-2:] == ["werk_zorg_een_plan", "werk_zorg_een_plan_2"]
    third = services.guide_topic_add(
        actor=functional_admin, phase="plan", base_version=3, **_edit(title_nl="2 sporen")
    )
    assert third.added_key == "topic_2_sporen"
    with pytest.raises(ValidationError):
        services.guide_topic_add(actor=functional_admin, phase="aftercare", base_version=4, **_edit())


def test_topic_remove_keeps_the_topic_in_the_old_version(guide_v1, functional_admin):
    stored = services.guide_topic_remove(
        actor=functional_admin, topic_key="plan_employer", note="Dubbel met intake.", base_version=1
    )
    assert stored.version == 2
    assert selectors.current_guide()[1].topic("plan_employer") is None
    from waardewerk.knowledge.guide import Guide

    assert Guide(selectors.guide_version("waardegericht", 1).definition).topic("plan_employer") is not None
    with pytest.raises(services.TopicNotFound):
        services.guide_topic_remove(
            actor=functional_admin, topic_key="plan_employer", note="x", base_version=2
        )
    with pytest.raises(ValidationError) as error:
        services.guide_topic_remove(actor=functional_admin, topic_key="plan_search", note=" ", base_version=2)
    assert "note" in error.value.message_dict


def test_topic_move_within_its_phase_with_a_default_note(guide_v1, functional_admin):
    stored = services.guide_topic_move(
        actor=functional_admin, topic_key="monitoring_search", direction="up", base_version=1
    )
    assert "“Zoeken (monitoring)”" in stored.note  # the default note names the topic (in the user's language)
    guide = selectors.current_guide()[1]
    assert [t.key for t in guide.topics_in("monitoring")] == [
        "monitoring_values",
        "monitoring_search",
        "monitoring_employer",
    ]
    with pytest.raises(ValidationError) as error:
        services.guide_topic_move(
            actor=functional_admin, topic_key="monitoring_values", direction="up", base_version=2
        )
    assert "direction" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.guide_topic_move(
            actor=functional_admin, topic_key="monitoring_employer", direction="down", base_version=2
        )
    with pytest.raises(ValidationError):
        services.guide_topic_move(
            actor=functional_admin, topic_key="monitoring_values", direction="left", base_version=2
        )
    assert GuideVersion.objects.count() == 2


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(guide_v1, functional_admin):
    services.guide_topic_update(actor=functional_admin, topic_key="intake_values", base_version=1, **_edit())
    for attempt in (
        lambda: services.guide_topic_update(
            actor=functional_admin, topic_key="intake_values", base_version=1, **_edit(title_nl="Mijn versie")
        ),
        lambda: services.guide_topic_add(actor=functional_admin, phase="plan", base_version=1, **_edit()),
        lambda: services.guide_topic_remove(
            actor=functional_admin, topic_key="plan_values", note="Weg", base_version=1
        ),
        lambda: services.guide_topic_move(
            actor=functional_admin, topic_key="plan_search", direction="up", base_version=None
        ),
    ):
        with pytest.raises(ConcurrentEditError) as error:
            attempt()
        assert "versie 2 van de leidraad opgeslagen" in error.value.messages[0]  # Dutch first
    assert GuideVersion.objects.count() == 2
    assert selectors.current_guide()[1].topic("intake_values").title == "Waarden in werk"


@pytest.mark.parametrize("role", ["professional", "team_lead"])
def test_only_the_functional_administrator_edits(guide_v1, request, role):
    actor = request.getfixturevalue(role)
    calls = [
        lambda: services.guide_topic_update(
            actor=actor, topic_key="intake_values", base_version=1, **_edit()
        ),
        lambda: services.guide_topic_add(actor=actor, phase="plan", base_version=1, **_edit()),
        lambda: services.guide_topic_remove(actor=actor, topic_key="plan_values", note="x", base_version=1),
        lambda: services.guide_topic_move(
            actor=actor, topic_key="plan_search", direction="up", base_version=1
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDeniedError):
            call()
    assert GuideVersion.objects.count() == 1


def test_every_edit_is_audited(guide_v1, functional_admin):
    services.guide_topic_update(actor=functional_admin, topic_key="intake_values", base_version=1, **_edit())
    services.guide_topic_add(actor=functional_admin, phase="plan", base_version=2, **_edit(title_nl="Nieuw"))
    services.guide_topic_move(actor=functional_admin, topic_key="nieuw", direction="up", base_version=3)
    services.guide_topic_remove(actor=functional_admin, topic_key="nieuw", note="Toch niet.", base_version=4)
    events = list(AccessEvent.objects.filter(object_type="knowledge.guideversion").order_by("id"))
    assert [e.detail["change"] for e in events] == ["topic_update", "topic_add", "topic_move", "topic_remove"]
    assert all(e.action == "change" and e.actor_id == functional_admin.pk for e in events)
    assert [e.detail["version"] for e in events] == [2, 3, 4, 5]
    assert events[1].detail["topic"] == "nieuw" and events[1].detail["phase"] == "plan"
    assert events[3].reason == "Toch niet."


def test_a_removed_topics_key_is_not_given_to_a_new_topic(guide_v1, functional_admin):
    services.guide_topic_remove(actor=functional_admin, topic_key="plan_values", note="Weg.", base_version=1)
    added = services.guide_topic_add(
        actor=functional_admin, phase="plan", base_version=2, **_edit(title_nl="Plan values")
    )
    assert added.added_key == "plan_values_2"
