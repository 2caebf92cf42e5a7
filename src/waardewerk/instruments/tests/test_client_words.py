"""The client's words in a definition: ``client_title``, ``items[].answers`` and help per framing
(docs/instrument-format.md, "The client's words")."""

import json
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from waardewerk.instruments import services
from waardewerk.instruments.definition import Definition, DefinitionError, parse_definition
from waardewerk.instruments.forms import item_rows

BUILTIN = Path(services.BUILTIN_DIR)


def _igm() -> dict:
    return yaml.safe_load((BUILTIN / "igm.yaml").read_text())


def _problems(data) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(json.dumps(data), "test.json")
    return caught.value.problems


def test_the_client_reads_the_client_title_and_staff_the_title():
    definition = Definition(parse_definition((BUILTIN / "lwc.yaml").read_text()))
    with translation.override("nl"):
        assert definition.client_title == "Wat vindt u belangrijk in werk?"
        assert definition.title == "Lijst Werk Capabilities (eigen formulering)"
    data = _igm()
    del data["client_title"]
    assert (
        Definition(parse_definition(json.dumps(data))).client_title
        == Definition(parse_definition(json.dumps(data))).title
    )


def test_each_respondent_reads_the_answers_and_help_of_their_framing():
    definition = Definition(parse_definition((BUILTIN / "igm.yaml").read_text()))
    with translation.override("nl"):
        client = {row.id: row for group in item_rows(definition, "client", {}, {}, {}) for row in group.items}
        professional = {
            row.id: row for group in item_rows(definition, "professional", {}, {}, {}) for row in group.items
        }
    assert [o.label for o in client["self_efficacy"].options][0] == "Bijna geen vertrouwen"
    assert [o.label for o in client["self_efficacy"].options][-1] == "Heel veel vertrouwen"
    assert [o.label for o in professional["self_efficacy"].options][0] == "Zeer ongunstig"
    assert client["self_efficacy"].help == "" and "1 =" in professional["self_efficacy"].help
    assert definition.scale_label("self_efficacy", 1) == "Zeer ongunstig"  # scoring and reports: the scale


def test_lwc_answers_fit_each_part():
    definition = Definition(parse_definition((BUILTIN / "lwc.yaml").read_text()))
    with translation.override("nl"):
        rows = {row.id: row for group in item_rows(definition, "working", {}, {}, {}) for row in group.items}
    assert rows["income.importance"].options[0].label == "Helemaal niet belangrijk"
    assert rows["income.importance"].options[-1].label == "Heel belangrijk"
    assert rows["income.enabled"].options[-1].label == "Heel veel ruimte"
    assert rows["income.achieved"].options[0].label == "Lukt helemaal niet"


def test_an_answer_scale_must_fit_the_item():
    data = _igm()
    data["scales"]["three"] = {
        "type": "ordinal",
        "values": [{"value": v, "label": {"nl": str(v)}} for v in (1, 2, 3)],
    }
    data["items"][0]["answers"] = {"client": "three", "nobody": "client_trust5"}
    problems = _problems(data)
    assert any("answers.client" in p and "must have the values" in p for p in problems), problems
    assert any("answers.nobody" in p and "no framing" in p for p in problems), problems
    data["items"][0]["answers"] = {"client": "missing"}
    assert any("no scale 'missing'" in p for p in _problems(data))


def test_a_file_without_the_new_fields_keeps_its_stored_form():
    data = _igm()
    del data["client_title"]
    for item in data["items"]:
        item.pop("answers", None)
        item["help"] = item["help"]["professional"]
    stored = parse_definition(json.dumps(data))
    assert "client_title" not in stored
    assert all("answers" not in item and "framed" not in item["help"] for item in stored["items"])
