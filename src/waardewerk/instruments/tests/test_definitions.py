"""Instrument definitions are content: loading, checking, versioning."""

import json
from pathlib import Path

import pytest
import yaml

from waardewerk.instruments import services
from waardewerk.instruments.definition import Definition, DefinitionError, parse_definition
from waardewerk.instruments.models import Instrument

ROOT = Path(__file__).resolve().parents[4]
EXAMPLE = ROOT / "docs" / "examples" / "eigen-instrument-werkplezier.yaml"
BUILTIN = Path(services.BUILTIN_DIR)


@pytest.mark.parametrize("name", ["lwc", "igm", "participatieladder"])
def test_shipped_definitions_are_valid_and_complete_in_both_languages(name):
    definition = parse_definition((BUILTIN / f"{name}.yaml").read_text(), f"{name}.yaml")
    assert definition["key"] == name
    for item in definition["items"]:
        for texts in item["text"].values():
            assert texts.get("nl") and texts.get("en"), f"{name} {item['id']} lacks a translation"
    for scale in definition["scales"].values():
        for entry in scale["values"]:
            assert entry["label"].get("nl") and entry["label"].get("en")


def test_lwc_has_the_item_ids_integrations_rely_on():
    definition = Definition(parse_definition((BUILTIN / "lwc.yaml").read_text()))
    values = [
        "use_skills",
        "develop_skills",
        "involvement",
        "contacts",
        "own_goals",
        "income",
        "contribution",
    ]
    expected = {f"{v}.{p}" for v in values for p in ("importance", "enabled", "achieved")} | {
        "overall",
        "which_work",
    }
    assert set(definition.items) == expected
    assert definition.params["threshold"] == 4
    assert definition.is_validated
    assert definition.framing_keys() == ["working", "job_seeker"]
    assert definition.default_framing("client", "first_track") == "working"
    assert definition.default_framing("client", "participation_act") == "job_seeker"
    assert definition.item_text("income.enabled", "working") != definition.item_text(
        "income.enabled", "job_seeker"
    )


def test_igm_is_labelled_not_validated_and_rated_by_both():
    definition = Definition(parse_definition((BUILTIN / "igm.yaml").read_text()))
    assert not definition.is_validated
    assert definition.data["respondents"] == ["client", "professional"]
    assert all(item["note"] for item in definition.items.values())
    assert definition.default_framing("professional", "ww") == "professional"


def _base():
    return yaml.safe_load(EXAMPLE.read_text())


def _problems(data) -> list[str]:
    with pytest.raises(DefinitionError) as error:
        parse_definition(yaml.safe_dump(data))
    return error.value.problems


def test_malformed_files_are_refused_with_every_problem_named():
    data = _base()
    del data["title"]
    data["items"][0]["scale"] = "nonsense"
    data["items"][1]["text"] = "just a string"
    data["scoring"]["rule"] = "magic"
    problems = _problems(data)
    assert any(p.startswith("title: missing") for p in problems)
    assert any("no scale 'nonsense'" in p for p in problems)
    assert any("texts per language" in p for p in problems)
    assert any("unknown rule 'magic'" in p for p in problems)


def test_syntax_errors_give_the_line():
    with pytest.raises(DefinitionError) as error:
        parse_definition("key: x\nitems: [\n  - a: b\n")
    assert "line" in str(error.value) and "YAML" in str(error.value)
    with pytest.raises(DefinitionError) as error:
        parse_definition('{"key": }', "x.json")
    assert "JSON" in str(error.value)


def test_capability_rule_needs_its_items():
    data = yaml.safe_load((BUILTIN / "lwc.yaml").read_text())
    data["items"] = [i for i in data["items"] if i["id"] != "income.achieved"]
    assert any("income.achieved" in p for p in _problems(data))


def test_a_framed_item_needs_a_text_for_every_framing():
    data = yaml.safe_load((BUILTIN / "lwc.yaml").read_text())
    item = next(i for i in data["items"] if i["id"] == "income.enabled")
    del item["text"]["job_seeker"]
    assert any("framing job_seeker" in p for p in _problems(data))


@pytest.mark.django_db
def test_an_organisation_loads_its_own_instrument_by_file():
    result = services.instrument_load(EXAMPLE.read_text(), filename=str(EXAMPLE))
    assert result.created
    instrument = Instrument.objects.get(key="werkplezier")
    assert instrument.current == result.version
    again = services.instrument_load(EXAMPLE.read_text(), filename=str(EXAMPLE))
    assert not again.created and again.version == result.version


@pytest.mark.django_db
def test_a_version_cannot_change_and_a_new_version_becomes_current():
    data = _base()
    services.instrument_load(yaml.safe_dump(data))
    changed = dict(data, title={"nl": "Anders", "en": "Other"})
    with pytest.raises(DefinitionError) as error:
        services.instrument_load(yaml.safe_dump(changed))
    assert "higher version" in str(error.value)
    newer = dict(changed, version=data["version"] + 1)
    result = services.instrument_load(json.dumps(newer), filename="new.json")
    assert Instrument.objects.get(key=data["key"]).current == result.version
    assert result.version.definition["title"]["nl"] == "Anders"


@pytest.mark.django_db
def test_builtin_definitions_are_loaded_by_migrate():
    assert set(Instrument.objects.values_list("key", flat=True)) >= {"lwc", "igm", "participatieladder"}


def test_an_empty_text_mapping_is_not_a_title():
    data = _base()
    data["title"] = {}
    assert any(p.startswith("title: the Dutch text (nl) is required") for p in _problems(data))
