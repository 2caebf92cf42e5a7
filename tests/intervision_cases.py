"""A consented case for the intervision tests: a trajectory of the professional with a named client, an
employer contact in a conversation, measurements with a discrepancy and a gap, a plan with two versions,
an adjustment and an evaluation; and the helpers that present it to a group."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.factories import TrajectoryFactory, igm_answers, lwc_answers, make_measurement
from waardewerk.clients.duplicates import find_duplicates
from waardewerk.clients.models import ConsentKind
from waardewerk.clients.validators import bsn_is_valid
from waardewerk.trajectories import services as trajectory_services
from waardewerk.trajectories.models import Phase


def _free_bsn(organisation_id, first: int = 123456782) -> str:
    """123456782 for the first case of an organisation, else the next valid BSN nobody there has (one
    client per BSN in an organisation)."""
    number = first
    while not bsn_is_valid(str(number)) or find_duplicates(organisation_id, bsn=str(number)).same_bsn:
        number += 1
    return str(number)


def consented_case(professional, *, consent=True):
    """A trajectory in the evaluation phase whose texts name the client, a contact, the employer and the
    place, with data that answers every checkpoint (some met, some needing attention)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=120)
    bsn = _free_bsn(professional.organisation_id)
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__first_name="Fatima",
        client__last_name="Bakker",
        client__infix="de",
        client__city="Zwolle",
        client__street="Lindelaan 4",
        client__postal_code="8011AB",
        client__phone="06-12345678",
        client__bsn=bsn,
        client__date_of_birth=dt.date(1979, 3, 2),
        start_date=start,
        question="Fatima wil terug naar werk bij Zorggroep Noord in Zwolle, liefst 24 uur.",
        phase=Phase.EVALUATION,
    )
    if consent:
        trajectory_services.consent_give(
            actor=professional, client=trajectory.client, kind=ConsentKind.INTERVISION
        )
    lwc = make_measurement(
        trajectory, "lwc", lwc_answers(income=(5, 2, 2), contacts=(5, 5, 2)), taken_on=start + dt.timedelta(7)
    )
    make_measurement(trajectory, "participatieladder", {"rung": 3}, taken_on=start + dt.timedelta(7))
    make_measurement(trajectory, "igm", igm_answers(4, self_efficacy=2), taken_on=start + dt.timedelta(8))
    make_measurement(
        trajectory,
        "igm",
        igm_answers(4, self_efficacy=5),
        taken_on=start + dt.timedelta(8),
        respondent="professional",
    )
    trajectory_services.conversation_record(
        actor=professional,
        trajectory=trajectory,
        date=start + dt.timedelta(14),
        mode="in_person",
        summary="Met Fatima en Henk Jansen van Zorggroep Noord gesproken. Mevrouw de Bakker wil Excel leren.",
        participants=["client", "professional", "employer"],
        other_participants="Henk Jansen",
    )
    version = trajectory_services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[{"text": "Fatima verdient weer een eigen inkomen", "values": ["income"], "determinants": []}],
        choices=[
            {"description": "Proefplaatsing", "research": "", "expertise": "Ervaring", "preference": ""}
        ],
        reason="",
        base_number=0,
    )
    trajectory_services.plan_agree(
        actor=professional,
        trajectory=trajectory,
        version=version,
        agreed_on=today,
        method="conversation",
        note="",
    )
    trajectory_services.adjustment_record(
        actor=professional,
        trajectory=trajectory,
        date=start + dt.timedelta(60),
        prompted_by="event",
        event="Ziek",
        reason="Minder uren",
        change="Start met 12 uur",
    )
    make_measurement(
        trajectory,
        "lwc",
        lwc_answers(income=(5, 4, 4), contacts=(5, 5, 2)),
        taken_on=start + dt.timedelta(90),
    )
    trajectory_services.evaluation_save(
        actor=professional,
        trajectory=trajectory,
        version=0,
        work=True,
        employer="Zorggroep Noord",
        job_title="Medewerker",
        hours_per_week=24,
        what_worked="Samen met Henk Jansen de werkplek ingericht.",
        do_differently="Eerder bellen met de werkgever.",
    )
    trajectory.refresh_from_db()
    return trajectory, lwc


def present(owner, group, trajectory, *, parts=("timeline", "instruments", "plan", "evaluation"), share=True):
    """A presentation of the trajectory to the group, confirmed as the owner saw it."""
    from waardewerk.intervision import services
    from waardewerk.intervision.presentation import fingerprint

    presentation = services.presentation_create(
        actor=owner,
        group=group,
        trajectory=trajectory,
        title="Terug naar de zorg na lange uitval",
        parts=list(parts),
        sector="Q",
    )
    if share:
        services.presentation_confirm(
            actor=owner,
            presentation=presentation,
            seen=fingerprint(services.presentation_preview(presentation)),
        )
    return presentation
