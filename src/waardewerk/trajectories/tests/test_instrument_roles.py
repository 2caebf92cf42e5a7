"""The cycle reads what it does with instruments from their definitions' roles: which measurements the phase
checklist expects, what a plan's goals can be linked to, and which instrument gives the evaluation's
outcome level."""

import datetime as dt

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory, igm_answers, lwc_answers, make_measurement
from waardewerk.instruments import services as instrument_services
from waardewerk.pages.trajectory import trajectory_queryset, trajectory_section
from waardewerk.trajectories import services
from waardewerk.trajectories.models import Phase


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=timezone.localdate() - dt.timedelta(days=60),
    )


def _builtin(key: str) -> dict:
    return yaml.safe_load((instrument_services.BUILTIN_DIR / f"{key}.yaml").read_text(encoding="utf-8"))


def _load(data: dict) -> None:
    instrument_services.instrument_load(yaml.safe_dump(data, allow_unicode=True))


def _checks(professional, trajectory, phase) -> dict[str, bool]:
    fresh = trajectory_queryset(professional).get(pk=trajectory.pk)
    lists = {c.phase: c for c in trajectory_section(professional, fresh)["checklists"]}
    return {str(check.label): check.done for check in lists[phase].checks}


@pytest.mark.django_db
def test_the_checklist_asks_for_what_each_definition_says(professional, trajectory):
    intake = _checks(professional, trajectory, Phase.INTAKE)
    instrument_checks = [label for label in intake if "Waarden en wensen" not in label]
    assert instrument_checks == [
        "LWC afgenomen",
        "IGM ingevuld door de cliënt",
        "IGM ingevuld door de professional",
        "Ladder afgenomen",
    ]
    make_measurement(trajectory, "igm", igm_answers(), respondent="professional")
    intake = _checks(professional, trajectory, Phase.INTAKE)
    assert intake["IGM ingevuld door de professional"] and not intake["IGM ingevuld door de cliënt"]

    evaluation = _checks(professional, trajectory, Phase.EVALUATION)
    final = "Eindmeting afgenomen (LWC in de evaluatiefase)"
    assert final in evaluation and not evaluation[final]
    make_measurement(trajectory, "lwc", lwc_answers())  # in the intake phase: not the final measurement
    assert not _checks(professional, trajectory, Phase.EVALUATION)[final]
    make_measurement(trajectory, "lwc", lwc_answers(), phase=Phase.EVALUATION)
    assert _checks(professional, trajectory, Phase.EVALUATION)[final]


@pytest.mark.django_db
def test_an_instrument_whose_definition_drops_the_checklist_leaves_it(professional, trajectory):
    data = _builtin("igm")
    data["version"] += 1
    data["roles"]["checklist"] = {"intake": ["client"]}
    _load(data)
    labels = list(_checks(professional, trajectory, Phase.INTAKE))
    assert "IGM ingevuld door de cliënt" in labels and "IGM ingevuld door de professional" not in labels


@pytest.mark.django_db
def test_goals_link_to_the_vocabulary_of_the_instruments_with_a_plan_role():
    values, determinants = services.plan_vocabulary()
    assert list(values) == [
        "use_skills",
        "develop_skills",
        "involvement",
        "contacts",
        "own_goals",
        "income",
        "contribution",
    ]
    assert "self_efficacy" in determinants and "practical_barriers" in determinants
    data = _builtin("igm")
    data.update(key="eigen_profiel", version=1)
    data["items"] = data["items"][:2]
    data["scoring"]["params"] = {"dimensions": ["attitude", "social_influence"]}
    data["items"][0]["id"] = "motivation"
    data["scoring"]["params"] = {"dimensions": ["motivation", "social_influence"]}
    data["roles"] = {}  # no plan role: not in the vocabulary
    _load(data)
    assert services.plan_vocabulary()[1] == determinants
    data.update(key="eigen_profiel_plan", version=1)
    data["roles"] = {"plan": "determinants"}
    _load(data)
    assert list(services.plan_vocabulary()[1]) == [*determinants, "motivation"]


@pytest.mark.django_db
def test_the_evaluation_records_the_level_of_the_outcome_instrument(login, professional, trajectory):
    make_measurement(
        trajectory, "participatieladder", {"rung": 2}, taken_on=timezone.localdate() - dt.timedelta(days=30)
    )
    make_measurement(trajectory, "participatieladder", {"rung": 4})
    c = login(professional)
    url = reverse("trajectories:evaluation", args=[trajectory.uuid])
    form = c.get(url).context["form"]
    field = form.fields["ladder_rung"]
    assert field.label == "Participatieladder nu"
    assert field.choices[1:] == [
        ("1", "1: Geïsoleerd"),
        ("2", "2: Sociale contacten buiten de deur"),
        ("3", "3: Deelname aan georganiseerde activiteiten"),
        ("4", "4: Onbetaald werk"),
        ("5", "5: Betaald werk met ondersteuning"),
        ("6", "6: Betaald werk (zonder ondersteuning)"),
    ]
    assert form.initial["ladder_rung"] == 4  # the latest rung measured
    with pytest.raises(ValidationError) as error:
        services.evaluation_save(actor=professional, trajectory=trajectory, version=None, ladder_rung=7)
    assert "ladder_rung" in error.value.message_dict
    evaluation = services.evaluation_save(
        actor=professional, trajectory=trajectory, version=None, ladder_rung=5
    )
    assert evaluation.ladder_rung == 5


@pytest.mark.django_db
def test_without_an_outcome_instrument_the_evaluation_has_no_level(login, professional, trajectory):
    data = _builtin("participatieladder")
    data["version"] += 1
    del data["roles"]["outcome"]
    _load(data)
    c = login(professional)
    response = c.get(reverse("trajectories:evaluation", args=[trajectory.uuid]))
    assert "ladder_rung" not in response.context["form"].fields
    with pytest.raises(ValidationError) as error:
        services.evaluation_save(actor=professional, trajectory=trajectory, version=None, ladder_rung=3)
    assert "ladder_rung" in error.value.message_dict
