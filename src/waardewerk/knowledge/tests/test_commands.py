"""``waardewerk guide load|show|list``, as administrators use them."""

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from waardewerk.audit.models import AccessEvent
from waardewerk.knowledge import selectors
from waardewerk.knowledge.guide import parse_guide
from waardewerk.knowledge.tests.conftest import clear_guides, fixture_data, fixture_text

pytestmark = pytest.mark.django_db


def _write(tmp_path, data, name="guide.yaml"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True))
    return str(path)


def test_check_stores_nothing_and_load_stores_a_version(tmp_path, capsys):
    clear_guides()
    path = _write(tmp_path, fixture_text())
    call_command("guide", "load", path, "--check")
    assert "waardegericht version 1 is valid" in capsys.readouterr().out
    assert selectors.current_guide() is None
    call_command("guide", "load", path)
    assert "loaded version 1" in capsys.readouterr().out
    version = selectors.current_guide()[0]
    assert version.loaded_by == "command line" and version.source_file == "guide.yaml"
    event = AccessEvent.objects.get(object_type="knowledge.guideversion")
    assert event.action == "create" and event.detail["version"] == 1
    call_command("guide", "load", path)
    assert "was already loaded" in capsys.readouterr().out


def test_load_names_every_problem_and_fails(tmp_path, capsys):
    clear_guides()
    data = fixture_data()
    del data["phases"]["plan"]
    data["audiences"][0]["label"] = "plain"
    with pytest.raises(CommandError):
        call_command("guide", "load", _write(tmp_path, data))
    err = capsys.readouterr().err
    assert "2 problem(s)" in err
    assert "phases: the phase 'plan' is missing" in err and "audiences[0] (first_track).label" in err
    with pytest.raises(CommandError):
        call_command("guide", "load", str(tmp_path / "missing.yaml"))


def test_show_prints_the_current_version_as_loadable_yaml(guide_v1, capsys):
    call_command("guide", "show")
    assert parse_guide(capsys.readouterr().out) == guide_v1.definition


def test_list_shows_the_versions_with_author_and_note(guide_v1, functional_admin, capsys):
    from waardewerk.knowledge import services

    services.guide_topic_move(
        actor=functional_admin, topic_key="plan_search", direction="up", note="Zoeken eerst.", base_version=1
    )
    call_command("guide", "list")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2 (current)\t") and lines[0].endswith("Ad Beheerder\tZoeken eerst.")
    assert lines[1].startswith("1\t") and "loaded by test\tfile guide.yaml" in lines[1]


def test_show_without_a_guide(db):
    clear_guides()
    with pytest.raises(CommandError):
        call_command("guide", "show")
