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


def test_every_shipped_instrument_the_client_answers_has_a_client_title():
    """The portal never shows an instrument's name: each one the client fills in has words of its own."""
    untitled = []
    for path in sorted(BUILTIN.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if "client" in data["respondents"] and not (data.get("client_title") or {}).get("nl"):
            untitled.append(data["key"])
    assert untitled == []
    with translation.override("nl"):
        ervaring = Definition(parse_definition((BUILTIN / "ervaring.yaml").read_text()))
        assert ervaring.client_title == "Hoe is de begeleiding voor u?"


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


def test_a_framed_item_is_asked_and_checked_in_its_framings_only():
    """The job seeker says first which work B and C are about (``which_work``); the worker is not asked."""
    definition = Definition(parse_definition((BUILTIN / "lwc.yaml").read_text()))
    with translation.override("nl"):
        seeker = [row.id for group in item_rows(definition, "job_seeker", {}, {}, {}) for row in group.items]
        worker = [row.id for group in item_rows(definition, "working", {}, {}, {}) for row in group.items]
        assert seeker[0] == "which_work" and "which_work" not in worker
        options = next(iter(item_rows(definition, "job_seeker", {}, {}, {}))).items[0].options
        assert [o.label for o in options] == ["Mijn laatste werk", "Werk dat ik wil gaan doen"]
    answers = {item: 4 for item in worker}
    _clean, errors = definition.check_answers(answers, complete=True, framing="job_seeker")
    assert not errors  # asked, not required: a measurement from paper may not say
    clean, errors = definition.check_answers(answers | {"which_work": 2}, complete=True, framing="job_seeker")
    assert not errors and clean["which_work"] == 2
    clean, errors = definition.check_answers(answers | {"which_work": 2}, complete=True, framing="working")
    assert not errors and "which_work" not in clean  # not asked in this framing: not kept
    data = yaml.safe_load((BUILTIN / "lwc.yaml").read_text())
    data["items"][0]["framings"] = ["nobody"]
    assert any("framings" in p for p in _problems(data))


@pytest.mark.django_db
def test_the_effect_in_the_clients_words(professional):
    """The portal's progress page: client title, client labels, "you" and "your professional", no method
    terms; the professional's view keeps the method's words."""
    import datetime as dt

    from django.utils import timezone

    from tests.factories import TrajectoryFactory, igm_answers, lwc_answers, make_measurement
    from tests.test_client_language import jargon_in
    from waardewerk.instruments import effect, selectors

    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    earlier = timezone.localdate() - dt.timedelta(days=60)
    make_measurement(trajectory, "lwc", lwc_answers(income=(5, 2, 2)), taken_on=earlier)
    make_measurement(trajectory, "lwc", lwc_answers())
    make_measurement(
        trajectory, "igm", igm_answers(4), respondent="client", framing="client", taken_on=earlier
    )
    make_measurement(trajectory, "igm", igm_answers(5), respondent="client", framing="client")
    make_measurement(trajectory, "igm", igm_answers(2), respondent="professional", framing="professional")
    measurements = selectors.trajectory_measurements(trajectory)
    definitions = selectors.definitions_for(measurements)
    with translation.override("nl"):
        client = {e.key: e for e in effect.build(measurements, definitions, render=False, client=True)}
        staff = {e.key: e for e in effect.build(measurements, definitions, render=False)}
        texts = []
        for built in client.values():
            texts += [built.title, *built.changes]
            for item in built.charts:
                texts += [item.chart.title, item.description, item.table.caption, *item.table.columns]
                texts += [cell for row in item.table.rows for cell in row]
        assert not jargon_in(" ".join(texts)), jargon_in(" ".join(texts))
        assert client["lwc"].title == "Wat vindt u belangrijk in werk?"
        assert client["lwc"].changes[0].startswith("Dingen die u belangrijk vindt én die lukken: 6 → 7")
        assert "Vertrouwen dat het lukt" in client["igm"].changes[0]
        assert client["igm"].changes[0].startswith("Uw antwoorden:")
        assert client["igm"].changes[-1].startswith("U en uw begeleider kijken hier anders tegenaan")
        assert client["igm"].charts[0].table.rows[0][1] == "U"
        assert staff["lwc"].changes[0].startswith("Capability set 6 → 7")
        assert "Eigen effectiviteit" in staff["igm"].changes[0]
