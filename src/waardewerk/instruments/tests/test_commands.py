"""``waardewerk score`` and ``waardewerk instruments``, as integrations and administrators use them."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import lwc_answers


def _write(tmp_path, data, name="answers.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


@pytest.mark.django_db
def test_score_lwc_prints_the_capability_set_as_json(tmp_path, capsys):
    answers = lwc_answers(4, 4, 4, income=(5, 2, 2), contacts=(4, 4, 3))
    call_command("score", "lwc", _write(tmp_path, {"answers": answers}))
    result = json.loads(capsys.readouterr().out)
    assert result["capability_set_size"] == 5
    assert "income" not in result["capability_set"]
    assert result["values"]["income"]["status"] == "not_enabled"
    assert result["values"]["contacts"]["status"] == "not_achieved"
    assert result["discrepancies"] == ["income", "contacts"]


@pytest.mark.django_db
def test_score_names_missing_and_out_of_range_items_and_exits_with_2(tmp_path):
    answers = lwc_answers()
    del answers["income.enabled"]
    answers["contacts.achieved"] = 9
    with pytest.raises(CommandError) as error:
        call_command("score", "lwc", _write(tmp_path, {"answers": answers}))
    assert error.value.returncode == 2
    assert "income.enabled" in str(error.value) and "contacts.achieved" in str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize("content", ["not json", json.dumps({"no": "answers"}), json.dumps([1, 2])])
def test_score_refuses_other_input_with_2(tmp_path, content):
    with pytest.raises(CommandError) as error:
        call_command("score", "lwc", _write(tmp_path, content))
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_score_ladder_and_igm(tmp_path, capsys):
    call_command("score", "participatieladder", _write(tmp_path, {"answers": {"rung": 5}}))
    assert json.loads(capsys.readouterr().out)["level"] == 5
    ratings = {
        "attitude": 4,
        "social_influence": 4,
        "self_efficacy": 2,
        "intention": 4,
        "knowledge_skills": 3,
        "practical_barriers": 5,
    }
    call_command("score", "igm", _write(tmp_path, {"answers": ratings}))
    assert json.loads(capsys.readouterr().out)["groups"] == {"willen": 3.5, "kunnen": 4.0}


@pytest.mark.django_db
def test_load_reports_problems_and_fails(tmp_path, capsys):
    bad = _write(tmp_path, "key: Bad Key\nversion: 0\n", "bad.yaml")
    with pytest.raises(CommandError):
        call_command("instruments", "load", bad)
    err = capsys.readouterr().err
    assert "bad.yaml: not loaded" in err and "key:" in err and "version: must be at least 1" in err


@pytest.mark.django_db
def test_load_list_and_show(capsys):
    from waardewerk.instruments.services import BUILTIN_DIR

    call_command("instruments", "load", str(BUILTIN_DIR / "lwc.yaml"))
    assert "already loaded" in capsys.readouterr().out
    call_command("instruments", "list")
    listing = capsys.readouterr().out
    assert "lwc" in listing and "igm" in listing and "participatieladder" in listing
    call_command("instruments", "show", "lwc")
    assert json.loads(capsys.readouterr().out)["key"] == "lwc"
