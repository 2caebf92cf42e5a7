"""Roles: what the product does with an instrument comes from its definition (docs/instrument-format.md).

The loader checks the ``roles`` section with a clear message per place; a file without roles keeps its
checksum and gets the defaults of its scoring rule; a measurement taken with an older version (without
roles) follows the roles of the instrument's current version; the effect view summarises and charts an
instrument as its roles say.
"""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.utils import timezone, translation

from tests.factories import TrajectoryFactory, igm_answers, lwc_answers, make_measurement
from waardewerk.instruments import effect, selectors, services
from waardewerk.instruments.definition import (
    DEFAULT_REPORTS,
    REPORT_AUDIENCES,
    Definition,
    DefinitionError,
    checksum,
    parse_definition,
)

ROOT = Path(__file__).resolve().parents[4]
EXAMPLE = ROOT / "docs" / "examples" / "eigen-instrument-werkplezier.yaml"
BUILTIN = Path(services.BUILTIN_DIR)


def _data(name: str) -> dict:
    path = EXAMPLE if name == "example" else BUILTIN / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _problems(data) -> list[str]:
    with pytest.raises(DefinitionError) as error:
        parse_definition(yaml.safe_dump(data))
    return error.value.problems


def _load(data) -> None:
    services.instrument_load(yaml.safe_dump(data, allow_unicode=True))


# The format ---------------------------------------------------------------------------------------------


def test_the_shipped_instruments_declare_their_roles():
    lwc, igm, ladder = (Definition(parse_definition(yaml.safe_dump(_data(n)))) for n in BUILTIN_NAMES)
    assert lwc.roles.checklist("intake") == [""] and lwc.roles.checklist("final") == [""]
    assert (lwc.roles.summary, lwc.roles.charts) == ("capability_set", ["set_size", "parts"])
    assert lwc.roles.plan == "work_values" and lwc.roles.report("employer") == "summary"
    assert igm.roles.checklist("intake") == ["client", "professional"] and igm.roles.checklist("final") == []
    assert igm.roles.health_related and igm.roles.report("employer") == "none" and igm.roles.gap == 2
    assert igm.roles.plan == "determinants"
    assert ladder.roles.outcome == "level" and ladder.roles.report("employer") == "full"
    assert [d.roles.order for d in (lwc, igm, ladder)] == sorted(d.roles.order for d in (lwc, igm, ladder))
    for definition in (lwc, igm, ladder):
        assert definition.roles.declared and definition.roles.explanation
        for text in definition.data["roles"]["explanation"]:
            assert text.get("nl") and text.get("en")


BUILTIN_NAMES = ("lwc", "igm", "participatieladder")


def test_a_file_without_roles_keeps_its_checksum_and_gets_the_defaults_of_its_rule():
    data = _data("example")
    del data["roles"]
    parsed = parse_definition(yaml.safe_dump(data))
    assert "roles" not in parsed  # so a version stored before roles existed still matches its file
    assert checksum(parsed) == checksum(parse_definition(yaml.safe_dump(data)))
    roles = Definition(parsed).roles
    assert not roles.declared
    assert (roles.summary, roles.charts, roles.order) == ("total", ["total"], 100)
    assert roles.checklist("intake") == [] and roles.explanation == []
    assert (
        {a: roles.report(a) for a in REPORT_AUDIENCES}
        == DEFAULT_REPORTS
        == {
            "file": "full",
            "commissioner": "full",
            "employer": "none",  # an instrument reaches the employer only when its definition says so
        }
    )
    assert not roles.plan and not roles.outcome


def test_wrong_roles_are_refused_with_every_problem_named_at_its_place():
    data = _data("example")
    data["roles"] = {
        "checklist": {"intake": ["professional"], "start": True, "final": "yes"},
        "effect": {"summary": "level", "charts": ["total", "pie"], "gap": 2, "colour": "red"},
        "explanation": [{"en": "Only English"}],
        "reports": {"employer": "everything", "press": "full"},
        "plan": "determinants",
        "outcome": "level",
        "sensitivity": "secret",
        "checklists": {},
    }
    problems = _problems(data)
    expected = [
        "roles.checklist.intake[0]: 'professional' is not a respondent of this instrument",
        "roles.checklist.start: unknown field",
        "roles.checklist.final: use true (anyone answers), or a list of respondents",
        "roles.effect.summary: 'level' does not fit scoring rule 'mean' (use total)",
        "roles.effect.charts[1]: unknown 'pie'",
        "roles.effect.gap: only for summary 'dimensions' or 'groups'",
        "roles.effect.colour: unknown field",
        "roles.explanation[0]: the Dutch text (nl) is required",
        "roles.reports.employer: use one of none, summary, full",
        "roles.reports.press: unknown field",
        "roles.plan: 'determinants' needs scoring rule 'profile', not 'mean'",
        "roles.outcome: 'level' needs scoring rule 'level', not 'mean'",
        "roles.sensitivity: use one of none, health",
        "roles.checklists: unknown field",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_a_health_related_instrument_never_goes_to_an_employer():
    data = _data("igm")
    data["roles"]["reports"]["employer"] = "summary"
    assert any(
        p.startswith("roles.reports.employer: an instrument with sensitivity 'health'")
        for p in _problems(data)
    )
    # ... and even a stored definition that says otherwise is not shown to an employer.
    stored = parse_definition(yaml.safe_dump(_data("igm")))
    stored["roles"]["reports"]["employer"] = "full"
    assert Definition(stored).roles.report("employer") == "none"


def test_a_groups_summary_needs_groups():
    data = _data("igm")
    del data["scoring"]["params"]["groups"]
    data["roles"]["effect"] = {"summary": "groups"}
    assert any(
        p.startswith("roles.effect.summary: 'groups' needs scoring.params.groups") for p in _problems(data)
    )
    data["roles"]["effect"] = {"summary": "dimensions", "charts": ["groups"]}
    assert any(p.startswith("roles.effect.charts: the 'groups' chart needs") for p in _problems(data))


# Versions ----------------------------------------------------------------------------------------------


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=timezone.localdate() - dt.timedelta(days=200),
    )


def _measure_with(version, trajectory, answers, **extra):
    from waardewerk.instruments.models import Measurement
    from waardewerk.instruments.scoring import score

    return Measurement.objects.create(
        trajectory=trajectory,
        instrument=version.instrument,
        instrument_version=version,
        respondent=version.definition["respondents"][0],
        framing=(version.definition["framings"] or [{"key": ""}])[0]["key"],
        phase=trajectory.phase,
        taken_on=timezone.localdate(),
        status="submitted",
        submitted_at=timezone.now(),
        answers=answers,
        score=score(version.definition, answers),
        entered_by=trajectory.responsible,
        **extra,
    )


@pytest.mark.django_db
def test_a_measurement_of_an_older_version_without_roles_follows_the_current_versions_roles(trajectory):
    """The version stored before roles existed (LWC version 1) has none: its measurements are summarised,
    shown in reports and checked in the checklist as the current version's roles say."""
    from waardewerk.instruments.models import InstrumentVersion

    old = _data("lwc")
    del old["roles"]
    old["version"] = 1
    _load(old)
    v1 = InstrumentVersion.objects.get(instrument__key="lwc", version=1)
    assert "roles" not in v1.definition and v1.instrument.current.version > 1
    measurement = _measure_with(v1, trajectory, lwc_answers())
    definitions = selectors.definitions_for([measurement])
    definition = definitions[v1.pk]
    assert definition.version == 1
    assert definition.roles.declared and definition.roles.report("employer") == "summary"
    built = effect.build(selectors.trajectory_measurements(trajectory), definitions)
    assert [e.key for e in built] == ["lwc"] and len(built[0].charts) == 2  # set size and A/B/C
    assert built[0].explanation


@pytest.mark.django_db
def test_when_the_current_version_declares_no_roles_the_defaults_apply(trajectory):
    """An organisation that loads a newer version without roles gets the defaults (no checklist, not for
    the employer), also for measurements of earlier versions: copy the roles into a new version."""
    ladder = make_measurement(trajectory, "participatieladder", {"rung": 3})
    newer = _data("participatieladder")
    del newer["roles"]
    newer["version"] += 1
    _load(newer)
    definition = selectors.definitions_for([ladder])[ladder.instrument_version_id]
    assert definition.version == newer["version"] - 1 and definition.data.get("roles")
    assert not definition.roles.declared
    assert definition.roles.report("employer") == "none" and definition.roles.outcome == ""
    assert selectors.outcome_definition() is None


@pytest.mark.django_db
def test_definition_set_gives_the_measured_versions_and_every_current_definition_in_one_query(
    trajectory, django_assert_num_queries
):
    make_measurement(trajectory, "lwc", lwc_answers())
    measurements = selectors.trajectory_measurements(trajectory)
    with django_assert_num_queries(2):  # a fresh process reads the stored definitions once (versions.py)
        selectors.definition_set(measurements)
    with django_assert_num_queries(1):
        found = selectors.definition_set(measurements)
    assert list(found.current)[:3] == ["lwc", "igm", "participatieladder"]  # in roles.effect.order
    assert set(found.versions) == {m.instrument_version_id for m in measurements}


# The effect view follows the roles -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_profile_summarised_by_group_means_with_its_own_gap(trajectory):
    data = _data("igm")
    data.update(key="determinanten", version=1)
    data["roles"] = {"effect": {"summary": "groups", "gap": 1, "charts": ["groups", "dimensions"]}}
    _load(data)
    make_measurement(trajectory, "determinanten", igm_answers(4), respondent="client", framing="client")
    make_measurement(
        trajectory, "determinanten", igm_answers(3), respondent="professional", framing="professional"
    )
    measurements = selectors.trajectory_measurements(trajectory)
    with translation.override("en"):
        (built,) = effect.build(measurements, selectors.definitions_for(measurements))
        assert built.changes[-1] == (
            "Client and professional differ by 1 or more on: Wanting (willen), Being able (kunnen). "
            "Worth discussing."
        )
        assert [c.table.caption for c in built.charts] == [
            "IBM: group means per measurement",
            "IBM per measurement",
        ]
        assert built.charts[0].table.columns == [
            "Date",
            "Rated by",
            "Wanting (willen)",
            "Being able (kunnen)",
        ]
        # The one-line summary names the groups by their titles, not their keys.
        summary = effect.score_summary(built.definition, measurements[0].score)
        assert summary == "Wanting (willen) 4.0, Being able (kunnen) 4.0"


@pytest.mark.django_db
def test_an_instrument_charted_in_words_only(trajectory):
    data = _data("participatieladder")
    data.update(key="ladder_zonder_grafiek", version=1)
    data["roles"] = {"effect": {"charts": []}}
    _load(data)
    make_measurement(
        trajectory, "ladder_zonder_grafiek", {"rung": 2}, taken_on=timezone.localdate() - dt.timedelta(days=9)
    )
    make_measurement(trajectory, "ladder_zonder_grafiek", {"rung": 4})
    measurements = selectors.trajectory_measurements(trajectory)
    with translation.override("en"):
        (built,) = effect.build(measurements, selectors.definitions_for(measurements))
    assert built.charts == []
    assert built.changes == ["Ladder: 2: Social contacts outside the home → 4: Unpaid work"]


@pytest.mark.django_db
def test_migrate_keeps_an_organisations_own_version_under_a_shipped_version_number(caplog):
    """An organisation that loaded its own wording as LWC version N before a release ships version N keeps
    its version; migrate goes on and logs what to do."""
    from waardewerk.instruments.models import Instrument, InstrumentVersion

    shipped = _data("lwc")
    InstrumentVersion.objects.filter(instrument__key="lwc").update(definition={}, checksum="own wording")
    services.INSTRUMENTS.after_migrate(sender=None)
    assert InstrumentVersion.objects.get(instrument__key="lwc", version=shipped["version"]).checksum == (
        "own wording"
    )
    assert Instrument.objects.filter(key="igm").exclude(current=None).exists()
    assert any("lwc.yaml not loaded" in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
def test_the_instrument_page_says_what_waardewerk_does_with_it(login, professional):
    from django.urls import reverse

    c = login(professional)
    rows = dict(c.get(reverse("instruments:instrument", args=["igm"])).context["roles"])
    assert rows["Checklist per fase"] == "bij de intake, ingevuld door de cliënt en de professional"
    assert rows["Rapportages"] == (
        "dossier: alles; opdrachtgever: alles; werkgever: niets "
        "(gaat over gezondheid: nooit voor de werkgever)"
    )
    assert rows["Plan"] == "doelen kunnen werken aan de determinanten"
    assert rows["Uitleg voor de cliënt"].startswith("Deze vragenlijst gaat over wat u helpt om te werken")
    assert "Evaluatie" not in rows
    ladder = dict(c.get(reverse("instruments:instrument", args=["participatieladder"])).context["roles"])
    assert ladder["Evaluatie"] == "het niveau is het resultaat dat in de evaluatie wordt vastgelegd"
