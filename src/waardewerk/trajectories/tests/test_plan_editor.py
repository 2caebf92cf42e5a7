"""The plan editor on formsets: goals and choices with their grounds, a choice linked to a goal added in
the same edit, and every changed or hostile form refused with 422, a message, the user's input kept and
nothing stored."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.factories import TrajectoryFactory
from waardewerk.trajectories import services
from waardewerk.trajectories.models import PlanVersion
from waardewerk.trajectories.plan import TEXT_MAX, PlanContent

pytestmark = pytest.mark.django_db

GOAL_TEXT = "Weer aan het werk in de zorg, 24 uur"
MINE = "Mijn eigen woorden, niet kwijtraken"


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=timezone.localdate() - dt.timedelta(days=60),
        context="participation_act",
    )


@pytest.fixture
def plan(professional, trajectory):
    """Version 1: one goal and one choice for it."""
    first = services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[
            {"key": "", "text": GOAL_TEXT, "values": ["contribution"], "determinants": [], "status": "active"}
        ],
        choices=[],
        reason="",
        base_number=0,
    )
    goal = PlanContent.from_json(first.content).goals[0].key
    return services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[
            {
                "key": goal,
                "text": GOAL_TEXT,
                "values": ["contribution"],
                "determinants": [],
                "status": "active",
            }
        ],
        choices=[{"key": "", "goal": goal, "description": "Werkervaringsplaats"}],
        reason="Keuze toegevoegd",
        base_number=1,
    )


@pytest.fixture
def editor(login, professional, trajectory):
    client = login(professional)
    url = reverse("trajectories:plan_edit", args=[trajectory.uuid])
    return lambda data: client.post(url, data)


def _form(version: PlanVersion, reason: str = "Bijgewerkt") -> dict:
    """What the page posts for a version, unchanged."""
    content = PlanContent.from_json(version.content)
    data = {
        "base_number": str(version.number),
        "reason": reason,
        "goal-TOTAL_FORMS": str(len(content.goals)),
        "goal-INITIAL_FORMS": str(len(content.goals)),
        "choice-TOTAL_FORMS": str(len(content.choices)),
        "choice-INITIAL_FORMS": str(len(content.choices)),
    }
    for i, goal in enumerate(content.goals):
        data |= {
            f"goal-{i}-key": goal.key,
            f"goal-{i}-text": goal.text,
            f"goal-{i}-status": goal.status,
            f"goal-{i}-values": goal.values,
            f"goal-{i}-determinants": goal.determinants,
        }
    for i, choice in enumerate(content.choices):
        data |= {f"choice-{i}-{name}": value for name, value in vars(choice).items()}
    return data


def _stored(trajectory) -> list[tuple[int, str]]:
    return list(
        PlanVersion.objects.filter(trajectory=trajectory).order_by("number").values_list("number", "content")
    )


def _refused(response, trajectory, before, *messages):
    """422, every message on the page, the user's own goal text kept in the form, nothing stored."""
    html = response.content.decode()
    assert response.status_code == 422
    for message in messages:
        assert message in html, message
    assert _stored(trajectory) == before
    return html


# Saving ------------------------------------------------------------------------------------------------


def test_the_page_posts_formsets_and_saves_a_new_version(login, professional, trajectory, plan, editor):
    html = login(professional).get(reverse("trajectories:plan_edit", args=[trajectory.uuid])).content.decode()
    for name in ("goal-TOTAL_FORMS", "goal-INITIAL_FORMS", "choice-TOTAL_FORMS", "goal-0-key", "base_number"):
        assert f'name="{name}"' in html
    assert 'maxlength="1000"' in html and 'maxlength="500"' in html
    data = _form(plan) | {"goal-0-text": "Weer aan het werk in de zorg, 16 uur", "goal-0-status": "achieved"}
    assert editor(data).status_code == 302
    latest = PlanVersion.objects.filter(trajectory=trajectory).latest("number")
    content = PlanContent.from_json(latest.content)
    before = PlanContent.from_json(plan.content)
    assert latest.number == 3 and latest.reason == "Bijgewerkt"
    assert content.goals[0].key == before.goals[0].key and content.goals[0].status == "achieved"
    assert content.choices == before.choices


def test_a_goal_and_a_choice_are_removed(trajectory, plan, editor):
    data = _form(plan) | {"choice-0-remove": "on"}
    assert editor(data).status_code == 302
    assert PlanContent.from_json(_stored(trajectory)[-1][1]).choices == []


def test_a_choice_for_a_goal_removed_in_the_same_edit_is_refused(trajectory, plan, editor):
    before = _stored(trajectory)
    data = _form(plan) | {"goal-0-remove": "on"}
    data |= {
        "goal-TOTAL_FORMS": "2",
        "goal-1-key": "",
        "goal-1-text": "Een ander doel",
        "goal-1-status": "active",
    }
    _refused(editor(data), trajectory, before, "Kies een van de doelen van het plan.")


def test_a_choice_links_to_a_goal_added_in_the_same_edit(trajectory, plan, editor):
    added = editor(_form(plan) | {"add": "goal"})  # "Add a goal" without JavaScript
    assert added.status_code == 200
    html = added.content.decode()
    key = re.search(r'name="goal-1-key" value="(g-[0-9a-f]{8})"', html)[1]
    assert f'<option value="{key}">' in html  # a choice can name the new goal before it is saved
    again = editor(_form(plan) | {"add": "goal"})
    assert key in again.content.decode()  # the same key for the same row: stable until saved
    data = _form(plan) | {
        "goal-TOTAL_FORMS": "2",
        "goal-1-key": key,
        "goal-1-text": "Een vak leren",
        "goal-1-status": "active",
        "choice-TOTAL_FORMS": "2",
        "choice-1-key": "",
        "choice-1-goal": key,
        "choice-1-description": "Praktijkleerroute",
    }
    assert editor(data).status_code == 302
    content = PlanContent.from_json(_stored(trajectory)[-1][1])
    assert content.goals[1].key == key and content.choices[1].goal == key


def test_the_first_plan_links_a_choice_to_its_first_goal(login, professional, trajectory, editor):
    html = login(professional).get(reverse("trajectories:plan_edit", args=[trajectory.uuid])).content.decode()
    key = re.search(r'name="goal-0-key" value="(g-[0-9a-f]{8})"', html)[1]
    choice_key = re.search(r'name="choice-0-key" value="(c-[0-9a-f]{8})"', html)[1]
    data = {
        "base_number": "0",
        "goal-TOTAL_FORMS": "1",
        "goal-INITIAL_FORMS": "1",
        "goal-0-key": key,
        "goal-0-text": GOAL_TEXT,
        "goal-0-status": "active",
        "choice-TOTAL_FORMS": "1",
        "choice-INITIAL_FORMS": "1",
        "choice-0-key": choice_key,
        "choice-0-goal": key,
        "choice-0-description": "Werkervaringsplaats",
    }
    assert editor(data).status_code == 302
    content = PlanContent.from_json(_stored(trajectory)[-1][1])
    assert content.choices[0].goal == content.goals[0].key == key


# Changed and hostile forms ---------------------------------------------------------------------------------

COUNTS = "komt niet overeen"  # "... the number of goals does not match the goals sent."


@pytest.mark.parametrize(
    "changes",
    [
        {"goal-TOTAL_FORMS": "abc"},
        {"choice-TOTAL_FORMS": "1.5"},
        {"goal-TOTAL_FORMS": "-1"},
        {"choice-TOTAL_FORMS": "-1"},
        {"goal-TOTAL_FORMS": "100000"},
        {"goal-TOTAL_FORMS": "99999999999999999999999999"},
        {"goal-TOTAL_FORMS": "0"},  # fewer than the rows sent
        {"goal-INITIAL_FORMS": "x"},
        {"choice-INITIAL_FORMS": "5"},  # more than the total
        {"goal-TOTAL_FORMS": "\u0661"},  # an Arabic-Indic one: int() reads it, the form does not
        {"goal-TOTAL_FORMS": None},  # missing
    ],
    ids=lambda c: repr(c),
)
def test_changed_management_counts_are_refused_and_the_input_is_kept(trajectory, plan, editor, changes):
    before = _stored(trajectory)
    data = _form(plan) | {"goal-0-text": MINE}
    for name, value in changes.items():
        if value is None:
            del data[name]
        else:
            data[name] = value
    html = _refused(editor(data), trajectory, before, COUNTS, "Er is niets opgeslagen")
    assert MINE in html  # the rows that were sent are shown again


def test_the_page_shown_after_changed_counts_saves_when_sent_again(trajectory, plan, editor):
    data = _form(plan) | {"goal-0-text": MINE, "goal-TOTAL_FORMS": "abc"}
    html = editor(data).content.decode()
    assert 'name="goal-TOTAL_FORMS" value="1"' in html
    assert editor(data | {"goal-TOTAL_FORMS": "1"}).status_code == 302


def test_a_huge_key_from_a_hidden_field_is_refused_and_not_stored(trajectory, plan, editor):
    before = _stored(trajectory)
    huge = "g" * 100_000
    _refused(editor(_form(plan) | {"goal-0-key": huge, "goal-0-text": MINE}), trajectory, before, MINE)
    _refused(editor(_form(plan) | {"choice-0-goal": huge}), trajectory, before)
    _refused(editor(_form(plan) | {"choice-0-key": huge}), trajectory, before)


@pytest.mark.parametrize("field", ["goal-0-key", "choice-0-key"])
@pytest.mark.parametrize("key", ["g-deadbeef", "c-deadbeef", "elders", "<script>"])
def test_a_key_that_does_not_belong_to_the_plan_is_refused(trajectory, plan, editor, field, key):
    before = _stored(trajectory)
    html = _refused(editor(_form(plan) | {field: key, "goal-0-text": MINE}), trajectory, before, MINE)
    assert "hoort niet bij het plan" in html


def test_a_key_of_another_trajectorys_plan_is_refused(professional, trajectory, plan, editor):
    other = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    theirs = services.plan_save(
        actor=professional,
        trajectory=other,
        goals=[{"key": "", "text": "Ander doel", "status": "active"}],
        choices=[],
        reason="",
        base_number=0,
    )
    before = _stored(trajectory)
    key = PlanContent.from_json(theirs.content).goals[0].key
    data = _form(plan) | {
        "goal-TOTAL_FORMS": "2",
        "goal-1-key": key,
        "goal-1-text": "Overgenomen",
        "goal-1-status": "active",
    }
    _refused(editor(data), trajectory, before, "hoort niet bij het plan")


def test_a_row_sent_twice_or_left_out_is_refused(trajectory, plan, editor):
    before = _stored(trajectory)
    goal = _form(plan)
    twice = goal | {
        "goal-TOTAL_FORMS": "2",
        "goal-1-key": goal["goal-0-key"],
        "goal-1-text": "Dubbel",
        "goal-1-status": "active",
    }
    _refused(editor(twice), trajectory, before, "komt twee keer voor")
    left_out = {k: v for k, v in goal.items() if not k.startswith("choice-0-")} | {"choice-TOTAL_FORMS": "0"}
    _refused(editor(left_out), trajectory, before, "ontbreekt")


@pytest.mark.parametrize("base", ["abc", "99", "-1", "1.5", ""])
def test_a_changed_base_version_is_refused(trajectory, plan, editor, base):
    before = _stored(trajectory)
    _refused(editor(_form(plan) | {"base_number": base, "goal-0-text": MINE}), trajectory, before, MINE)


def test_a_stale_base_version_shows_the_current_plan_beside_the_input(trajectory, plan, editor):
    before = _stored(trajectory)
    data = {k: v for k, v in _form(plan).items() if not k.startswith("choice-0-")}  # as version 1 was
    data |= {"base_number": "1", "goal-0-text": MINE, "choice-TOTAL_FORMS": "0", "choice-INITIAL_FORMS": "0"}
    html = _refused(editor(data), trajectory, before, MINE, GOAL_TEXT)
    assert 'id="conflict"' in html


@pytest.mark.parametrize(
    "field, limit",
    [
        ("goal-0-text", TEXT_MAX),
        ("choice-0-description", TEXT_MAX),
        ("choice-0-research", TEXT_MAX),
        ("choice-0-expertise", TEXT_MAX),
        ("choice-0-preference", TEXT_MAX),
        ("reason", 500),
    ],
)
def test_every_text_of_the_plan_has_a_maximum_length(trajectory, plan, editor, field, limit):
    before = _stored(trajectory)
    long = "woord " * (limit // 6) + "x" * 10
    html = _refused(editor(_form(plan) | {field: long}), trajectory, before, f"niet meer dan {limit} tekens")
    assert long.strip() in html  # kept in the form, to shorten


@pytest.mark.parametrize("field", ["goal-0-text", "choice-0-description", "choice-0-expertise", "reason"])
def test_nul_characters_are_refused(trajectory, plan, editor, field):
    before = _stored(trajectory)
    _refused(editor(_form(plan) | {field: "eerst\x00daarna"}), trajectory, before)


@pytest.mark.parametrize(
    "changes",
    [
        {"goal-0-status": "deleted"},
        {"goal-0-values": ["fame"]},
        {"goal-0-determinants": ["<b>"]},
        {"choice-0-entry": "proven"},
        {"goal-0-status": ""},
    ],
    ids=lambda c: repr(c),
)
def test_values_outside_the_lists_are_refused(trajectory, plan, editor, changes):
    before = _stored(trajectory)
    _refused(editor(_form(plan) | changes), trajectory, before)


def test_more_rows_than_allowed_are_refused(trajectory, plan, editor):
    before = _stored(trajectory)
    data = _form(plan)
    data["goal-TOTAL_FORMS"] = "51"
    _refused(editor(data), trajectory, before, COUNTS)


# Random and hostile input -----------------------------------------------------------------------------------

NAMES = [
    "base_number",
    "reason",
    "add",
    "goal-TOTAL_FORMS",
    "goal-INITIAL_FORMS",
    "goal-MAX_NUM_FORMS",
    "choice-TOTAL_FORMS",
    "choice-INITIAL_FORMS",
    "goal-0-key",
    "goal-0-text",
    "goal-0-status",
    "goal-0-values",
    "goal-0-determinants",
    "goal-0-remove",
    "goal-1-key",
    "goal-1-text",
    "goal-49-text",
    "goal-50-text",
    "goal-999999-text",
    "choice-0-key",
    "choice-0-goal",
    "choice-0-description",
    "choice-0-research",
    "choice-0-entry",
    "choice-0-weighing",
    "choice-0-expertise",
    "choice-0-preference",
    "choice-0-remove",
    "choice-1-goal",
    "choice-1-description",
    "unknown",
    "goal--1-text",
]
HOSTILE = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(["\x00", "a\x00b", "abc", "1.5", "-1", "0", "1e9", "NaN", "٣", " 1 ", "on", "active"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["2024-02-30", "0000-00-00", "9999-12-31T99:99", "31-12-2024", "2024-13-01"]),
    st.sampled_from(["x" * 2000, "g" * 100_000, "é" * 1001, "g-deadbeef", "c-00000000", "<script>"]),
    st.lists(st.text(max_size=10), max_size=4),
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.dictionaries(st.sampled_from(NAMES), HOSTILE, min_size=1, max_size=6))
def test_random_and_hostile_input_never_gives_a_500_nor_changes_the_plan_on_error(
    trajectory, plan, editor, changes
):
    before = _stored(trajectory)
    data = _form(plan, reason="Bijgewerkt") | changes
    response = editor(data)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302, 422)
    after = _stored(trajectory)
    if response.status_code == 302:
        assert after[:-1] == before and len(after) == len(before) + 1  # one new version, the old ones kept
        PlanVersion.objects.filter(trajectory=trajectory, number=after[-1][0]).delete()  # back to the start
    else:
        assert after == before
