"""``waardewerk fit`` and the ``matching`` role of an instrument definition."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import lwc_answers
from waardewerk.instruments.definition import DefinitionError, parse_definition
from waardewerk.matching.selectors import work_values

pytestmark = pytest.mark.django_db
PROFILE = {"use_skills": 4, "develop_skills": 3, "involvement": 2, "contacts": 5, "own_goals": 1, "income": 4}


def _files(tmp_path, answers, profile):
    client, job = tmp_path / "client.json", tmp_path / "job.json"
    client.write_text(json.dumps({"answers": answers}))
    job.write_text(json.dumps({"profile": profile}))
    return str(client), str(job)


def test_fit_prints_the_rule_per_value(tmp_path, capsys):
    client, job = _files(tmp_path, lwc_answers(a=5, contribution=(2, 3, 3)), PROFILE | {"contribution": 5})
    call_command("fit", "--client", client, "--job", job)
    result = json.loads(capsys.readouterr().out)
    assert result["values"]["use_skills"] == {"importance": 5, "job": 4, "status": "match"}
    assert result["values"]["develop_skills"]["status"] == "partial"
    assert result["values"]["own_goals"]["status"] == "gap"
    assert result["values"]["contribution"]["status"] == "not_important"
    assert result["important"] == [
        "use_skills",
        "develop_skills",
        "involvement",
        "contacts",
        "own_goals",
        "income",
    ]
    assert result["matched"] == ["use_skills", "contacts", "income"]
    assert result["gaps"] == ["involvement", "own_goals"]
    assert result["fit_share"] == 0.5


def test_nothing_important_gives_no_share(tmp_path, capsys):
    client, job = _files(tmp_path, lwc_answers(a=1), PROFILE | {"contribution": 5})
    call_command("fit", "--client", client, "--job", job)
    assert json.loads(capsys.readouterr().out)["fit_share"] is None


def test_missing_or_out_of_range_items_exit_2_naming_them(tmp_path):
    answers = lwc_answers()
    del answers["income.importance"]
    client, job = _files(tmp_path, answers, PROFILE | {"contribution": 9})
    with pytest.raises(CommandError) as exc:
        call_command("fit", "--client", client, "--job", job)
    assert exc.value.returncode == 2
    assert "income.importance" in str(exc.value) and "profile.contribution" in str(exc.value)


def test_the_matching_role_needs_a_capability_set_and_is_read_by_role():
    values = work_values()
    assert values is not None and len(values.keys) == 7 and values.threshold == 4
    own = """
format: 1
key: own
version: 1
title: {nl: Eigen, en: Own}
purpose: {nl: Doel, en: Purpose}
source: {citation: Eigen}
licence: {nl: Eigen, en: Own}
validation: {status: not_validated}
respondents: [client]
scales:
  s: {type: ordinal, values: [{value: 1, label: {nl: een, en: one}}, {value: 2, label: {nl: twee, en: two}}]}
items:
  - {id: q1, scale: s, text: {nl: Vraag, en: Question}}
scoring: {rule: sum}
roles: {matching: work_values}
"""
    with pytest.raises(DefinitionError) as exc:
        parse_definition(own)
    assert "roles.matching" in str(exc.value.problems)
