"""Guiding principles: the file format, the versioning, the page, the editor's changes, a conversation
that serves them (shown in the timeline) and the quality figure per principle."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.knowledge import selectors, services
from waardewerk.knowledge.principles import PrinciplesError, check_principles
from waardewerk.quality import figures
from waardewerk.quality import selectors as quality
from waardewerk.quality.figures import recent_quarters
from waardewerk.quality.models import QualityScope
from waardewerk.timeline.selectors import timeline_entries
from waardewerk.trajectories import services as trajectory_services

MINIMAL = {
    "key": "ours",
    "version": 1,
    "title": {"nl": "Onze principes"},
    "principles": [
        {
            "key": "trust",
            "title": {"nl": "Vertrouwen", "en": "Trust"},
            "explanation": {"nl": "Uitleg"},
            "sources": [{"citation": "Bron (2020)."}],
        }
    ],
}


@pytest.fixture
def editor(organisation):
    return UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)


def test_the_shipped_list_is_loaded_after_migrate(db):
    version, reader = selectors.current_principles()
    assert version.loaded_by == "waardewerk"
    assert {"autonomy", "trust", "strengths", "success", "respect"} <= set(reader.keys())
    for principle in reader.all():
        assert principle.explanation and principle.sources


def test_the_checker_names_every_problem():
    bad = {
        "key": "Ours!",
        "version": 0,
        "principles": [
            {"key": "a", "title": {"nl": "A"}, "explanation": {"nl": "x"}, "sources": []},
            {"key": "a", "title": {"en": "B"}, "explanation": {"nl": "x"}, "sources": [{"doi": "10.1/x"}]},
        ],
    }
    with pytest.raises(PrinciplesError) as error:
        check_principles(bad)
    text = "; ".join(error.value.problems)
    for part in (
        "key:",
        "version:",
        "title: missing",
        "sources: name at least one",
        "'a' is used twice",
        "title: the Dutch text",
        "citation: missing",
    ):
        assert part in text, part
    assert check_principles(MINIMAL)["principles"][0]["key"] == "trust"


def test_a_file_with_another_key_is_refused_and_a_changed_version_needs_a_new_number(db):
    with pytest.raises(PrinciplesError):
        services.PRINCIPLES.store(check_principles(MINIMAL))  # one list per installation
    version, _reader = selectors.current_principles()
    changed = dict(version.definition, about={"nl": "Anders"})
    with pytest.raises(PrinciplesError, match="higher version"):
        services.PRINCIPLES.store(check_principles(changed))


def test_the_command_loads_lists_and_shows(db, tmp_path, capsys):
    version, _reader = selectors.current_principles()
    newer = dict(version.definition, version=version.version + 1)
    path = tmp_path / "principles.json"
    path.write_text(json.dumps(newer), encoding="utf-8")
    call_command("principles", "load", str(path), "--check")
    call_command("principles", "load", str(path))
    assert selectors.current_principles()[0].version == version.version + 1
    call_command("principles", "list")
    call_command("principles", "show")
    out = capsys.readouterr().out
    assert "loaded version" in out and "(current)" in out and "principles:" in out


def test_the_page_lists_principles_with_their_sources(client, professional):
    client.force_login(professional)
    response = client.get(reverse("knowledge:principles"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Autonomie" in page and "doi:10.1037/0033-295X.84.2.191" in page
    assert reverse("knowledge:principle_add") not in page  # not the editor


def test_the_editor_changes_a_principle_as_a_new_version(client, editor):
    version, _reader = selectors.current_principles()
    client.force_login(editor)
    url = reverse("knowledge:principle_edit", args=["trust"])
    assert client.get(url).status_code == 200
    post = {
        "title_nl": "Vertrouwen geven",
        "title_en": "Giving trust",
        "explanation_nl": "Wij gaan uit van vertrouwen.",
        "explanation_en": "",
        "in_practice_nl": "",
        "in_practice_en": "",
        "sources": "Eigen bron (2024). | https://example.org/bron\nTweede bron | 10.1234/abc",
        "note": "Korter geschreven",
        "base_version": version.version,
    }
    response = client.post(url, post)
    assert response.status_code == 302
    stored, reader = selectors.current_principles()
    assert stored.version == version.version + 1 and stored.created_by == editor
    trust = reader.find("trust")
    assert trust["title"] == {"nl": "Vertrouwen geven", "en": "Giving trust"}
    assert trust["sources"] == [
        {"citation": "Eigen bron (2024).", "url": "https://example.org/bron"},
        {"citation": "Tweede bron", "doi": "10.1234/abc"},
    ]
    assert AccessEvent.objects.filter(object_type=services.PRINCIPLES_AUDIT_TYPE).exists()
    # The same form again from the old version: refused, nothing lost.
    response = client.post(url, post)
    assert response.status_code == 422 and "Vertrouwen geven" in response.content.decode()
    assert selectors.current_principles()[0].version == stored.version


def test_bad_input_gets_messages_and_stores_nothing(client, editor):
    version, _reader = selectors.current_principles()
    client.force_login(editor)
    response = client.post(
        reverse("knowledge:principle_add"),
        {
            "title_nl": "",
            "explanation_nl": "",
            "sources": "| https://x.org",
            "note": "",
            "base_version": version.version,
        },
    )
    assert response.status_code == 422
    assert selectors.current_principles()[0].version == version.version
    with pytest.raises(ValidationError) as error:
        services.principle_save(
            actor=editor,
            key=None,
            title_nl="Nieuw",
            title_en="",
            explanation_nl="Uitleg",
            explanation_en="",
            in_practice_nl="",
            in_practice_en="Only English",
            sources="Bron | nonsense",
            note="n",
            base_version=version.version,
        )
    assert {"in_practice_nl", "sources"} <= set(error.value.message_dict)


def test_the_editor_adds_a_principle_and_others_may_not(editor, professional):
    version, _reader = selectors.current_principles()
    with pytest.raises(PermissionDeniedError):
        services.principle_save(
            actor=professional,
            key=None,
            title_nl="X",
            title_en="",
            explanation_nl="Y",
            explanation_en="",
            in_practice_nl="",
            in_practice_en="",
            sources="Bron",
            note="n",
            base_version=version.version,
        )
    stored = services.principle_save(
        actor=editor,
        key=None,
        title_nl="Hoop geven",
        title_en="",
        explanation_nl="Uitleg",
        explanation_en="",
        in_practice_nl="",
        in_practice_en="",
        sources="Bron (2020)",
        note="Nieuw principe",
        base_version=version.version,
    )
    assert stored.definition["principles"][-1]["key"] == "hoop_geven"
    with pytest.raises(ConcurrentEditError):
        services.principle_save(
            actor=editor,
            key="trust",
            title_nl="X",
            title_en="",
            explanation_nl="Y",
            explanation_en="",
            in_practice_nl="",
            in_practice_en="",
            sources="Bron",
            note="n",
            base_version=version.version,
        )


def test_a_conversation_serves_principles_shown_in_the_form_and_the_timeline(client, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    client.force_login(professional)
    url = reverse("trajectories:add_conversation", args=[trajectory.uuid])
    page = client.get(url).content.decode()
    assert 'name="principles" value="autonomy"' in page
    response = client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "mode": "in_person",
            "summary": "Gesprek",
            "principles": ["autonomy", "success"],
        },
    )
    assert response.status_code == 302
    conversation = trajectory.conversations.get()
    assert conversation.principles == ["autonomy", "success"]
    assert conversation.principles_version == selectors.current_principles()[0]
    entry = next(e for e in timeline_entries(trajectory) if e.event == "conversation")
    assert [t["nl"] for t in entry.data["principles"]] == ["Autonomie", "Succeservaringen"]
    detail = client.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    assert "Autonomie, Succeservaringen" in detail


def test_a_principle_that_is_not_in_the_list_is_refused(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    version, _reader = selectors.current_principles()
    with pytest.raises(ValidationError) as error:
        trajectory_services.conversation_record(
            actor=professional,
            trajectory=trajectory,
            date=timezone.localdate(),
            mode="phone",
            summary="x",
            principles=["made_up"],
            principles_version=version,
        )
    assert "principles" in error.value.message_dict


def test_quality_counts_each_principle_per_team_and_suppresses_small_numbers(professional, team):
    version, _reader = selectors.current_principles()
    quarter = recent_quarters(timezone.localdate())[-2]
    day = quarter.first + dt.timedelta(days=10)
    for index in range(12):
        trajectory = TrajectoryFactory(
            responsible=professional,
            client__organisation=professional.organisation,
            team=team,
            start_date=quarter.first,
        )
        trajectory_services.conversation_record(
            actor=professional,
            trajectory=trajectory,
            date=day,
            mode="phone",
            summary="x",
            principles=["autonomy"] if index < 9 else [],
            principles_version=version,
        )
    snapshot = figures.refresh(professional.organisation_id)
    assert {"key": "autonomy", "title": version.definition["principles"][0]["title"]} in snapshot.figures[
        "principles"
    ]
    stored = dict(QualityScope.objects.filter(snapshot=snapshot).values_list("scope", "figures"))
    cell = stored[f"team:{team.pk}"][quarter.key]["principles"]
    assert cell["autonomy"] == {"n": 12, "share": 75.0}
    assert cell["trust"] == {"n": 12, "share": 0.0}
    # Another quarter with fewer than k: nothing but "too few".
    earlier = recent_quarters(timezone.localdate())[-3].key
    assert stored[f"team:{team.pk}"][earlier]["principles"]["autonomy"] == {"n": None}


def test_the_quarterly_report_gives_each_principle_its_own_caveat(client, professional, team, team_lead):
    assert quality.caveat("principle:autonomy") == str(quality.CAVEATS["principle"])
    client.force_login(team_lead)
    csv_text = client.get(reverse("quality:report", args=[team.uuid]) + "?format=csv").content.decode(
        "utf-8-sig"
    )
    rows = [
        row
        for row in csv_text.splitlines()
        if row.startswith(("Gediend gedragsprincipe", "Principle served"))
    ]
    assert len(rows) == len(selectors.current_principles()[1].keys())
