"""A trajectory with something recorded in every part a report can show. Each free text carries a marker
word, so a test can tell exactly which texts reached a version of the report."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.factories import (
    ActionFactory,
    ConversationFactory,
    TrajectoryFactory,
    igm_answers,
    lwc_answers,
    make_measurement,
)
from waardewerk.trajectories.models import (
    Adjustment,
    Evaluation,
    Phase,
    PlanAgreement,
    PlanVersion,
    ProgressNote,
)
from waardewerk.trajectories.plan import Choice, Goal, PlanContent

# marker -> where it is recorded
MARKERS = {
    "question": "Hulpvraagmarker",
    "conversation": "Gespreksmarker",
    "igm_note": "Igmnotitiemarker",
    "ladder_note": "Laddernotitiemarker",
    "progress_note": "Voortgangsmarker",
    "adjustment_event": "Gebeurtenismarker",
    "adjustment_reason": "Bijstuurredenmarker",
    "adjustment_change": "Koerswijzigingmarker",
    "phase_reason": "Faseredenmarker",
    "plan_reason": "Planredenmarker",
    "goal": "Doelmarker",
    "choice": "Keuzemarker",
    "expertise": "Vakkennismarker",
    "preference": "Voorkeurmarker",
    "client_evaluation": "Eigenevaluatiemarker",
    "reflection": "Reflectiemarker",
    "end_note": "Afsluitmarker",
    "goal_action": "Doelactiemarker",
    "employer_action": "Werkgeveractiemarker",
    "doctor_action": "Bedrijfsartsactiemarker",
    "employer": "Werkgevernaammarker",
}

# What each version must contain (True) or must leave out (False).
EXPECTED = {
    "file": {key: True for key in MARKERS},
    "commissioner": {
        **{key: True for key in MARKERS},
        "conversation": False,
        "igm_note": False,
        "ladder_note": False,
        "progress_note": False,
        "adjustment_event": False,
        "phase_reason": False,
        "plan_reason": False,
        "reflection": False,
        "end_note": False,
    },
    "employer": {
        **{key: False for key in MARKERS},
        "goal": True,
        "goal_action": True,
        "employer_action": True,
        "employer": True,
    },
}


def record_everything(professional, *, closed=True):
    today = timezone.localdate()
    start = today - dt.timedelta(days=200)
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__first_name="Fatima",
        client__last_name="Öztürk-de Vries",
        client__date_of_birth=dt.date(1979, 3, 14),
        start_date=start,
        phase=Phase.EVALUATION,
        phase_since=timezone.now() - dt.timedelta(days=10),
        question=f"Wil weer werken; {MARKERS['question']} (rugklachten).",
    )
    trajectory.phase_changes.filter(from_phase=Phase.INTAKE).update(reason=MARKERS["phase_reason"])
    ConversationFactory(trajectory=trajectory, summary=f"Gesprek: {MARKERS['conversation']}.", date=start)
    make_measurement(trajectory, "lwc", lwc_answers(a=4, b=2, c=2), taken_on=start + dt.timedelta(days=5))
    make_measurement(
        trajectory,
        "lwc",
        lwc_answers(a=4, b=4, c=4, income=(5, 2, 2)),
        taken_on=start + dt.timedelta(days=150),
    )
    igm = make_measurement(
        trajectory,
        "igm",
        igm_answers(2),
        taken_on=start + dt.timedelta(days=6),
        notes=json.dumps({"self_efficacy": MARKERS["igm_note"]}),
    )
    make_measurement(trajectory, "igm", igm_answers(4), taken_on=start + dt.timedelta(days=140))
    make_measurement(
        trajectory,
        "participatieladder",
        {"rung": 3},
        taken_on=start + dt.timedelta(days=7),
        respondent="professional",
        notes=json.dumps({"rung": MARKERS["ladder_note"]}),
    )
    make_measurement(
        trajectory,
        "participatieladder",
        {"rung": 5},
        taken_on=start + dt.timedelta(days=160),
        respondent="professional",
    )
    goal = Goal(
        "g-00000001", f"Ik wil weer werken met mensen. {MARKERS['goal']}", ["contacts"], ["self_efficacy"]
    )
    choice = Choice(
        "c-00000001",
        f"Werkervaringsplaats {MARKERS['choice']}",
        goal.key,
        research="IPS",
        evidence_level="good_indications",
        expertise=MARKERS["expertise"],
        preference=MARKERS["preference"],
    )
    bare = Choice("c-00000002", "Jobcoach", goal.key)
    version = PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content=PlanContent([goal], [choice, bare]).to_json(),
        reason=MARKERS["plan_reason"],
        created_by=professional,
    )
    PlanAgreement.objects.create(
        plan_version=version, agreed_on=today, method="signed", recorded_by=professional
    )
    ActionFactory(trajectory=trajectory, description=MARKERS["goal_action"], goal_key=goal.key)
    ActionFactory(trajectory=trajectory, description=MARKERS["employer_action"], owner="employer")
    ActionFactory(trajectory=trajectory, description=MARKERS["doctor_action"], owner="other")
    ProgressNote.objects.create(
        trajectory=trajectory, date=today, text=MARKERS["progress_note"], recorded_by=professional
    )
    Adjustment.objects.create(
        trajectory=trajectory,
        date=start + dt.timedelta(days=100),
        prompted_by="measurement",
        measurement=igm,
        event=MARKERS["adjustment_event"],
        reason=MARKERS["adjustment_reason"],
        change=MARKERS["adjustment_change"],
        recorded_by=professional,
    )
    Evaluation.objects.create(
        trajectory=trajectory,
        work=True,
        employer=MARKERS["employer"],
        job_title="Gastvrouw",
        hours_per_week=24,
        contract_type="temporary",
        with_support=True,
        support="Jobcoach eerste drie maanden",
        ladder_rung=5,
        client_evaluation=MARKERS["client_evaluation"],
        what_worked=MARKERS["reflection"],
        do_differently="Eerder beginnen.",
        missed_chances="Geen.",
        recorded_by=professional,
    )
    if closed:
        trajectory.end_date = today
        trajectory.end_reason = "paid_work"
        trajectory.end_note = MARKERS["end_note"]
        trajectory.save()
    return trajectory


@pytest.fixture
def recorded(professional):
    """A trajectory with everything recorded, whose client consents to sharing with the employer (the
    employer version needs it; tested in waardewerk/portal/tests/test_client_pages.py)."""
    from waardewerk.clients.models import Consent

    trajectory = record_everything(professional)
    Consent.objects.create(
        client=trajectory.client, kind="employer", given_at=timezone.now(), given_via="professional"
    )
    return trajectory


@pytest.fixture
def fetch(professional):
    from waardewerk.reports.selectors import report_queryset

    def _fetch(trajectory):
        return report_queryset(professional).get(pk=trajectory.pk)

    return _fetch
