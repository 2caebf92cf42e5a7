"""Demo data of the client portal (called by ``core.demo``): a few clients with an active portal account,
open questionnaire requests (one saved halfway), a goal proposal waiting for the professional, actions the
client ticked off, and consents. Deterministic, like the rest of the demo."""

from __future__ import annotations

import datetime as dt


def create(generator, trajectories) -> dict:
    from waardewerk.clients.models import Consent, ConsentKind
    from waardewerk.instruments.models import Instrument, Measurement, MeasurementStatus
    from waardewerk.portal.models import GoalProposal, PortalAccount, QuestionnaireRequest
    from waardewerk.trajectories.models import Action, ActionOwner, ActionStatus, Context, Phase, PlanVersion
    from waardewerk.trajectories.plan import PlanContent

    rng = generator.rng
    today = generator.today
    instruments = {
        i.key: i for i in Instrument.objects.select_related("current").filter(key__in=["lwc", "igm"])
    }
    open_ones = [t for t, _h in trajectories if t.end_date is None]
    # Portal users: per professional the open trajectories in the middle of the cycle, two each at most.
    chosen, per_professional = [], {}
    for trajectory in sorted(open_ones, key=lambda t: (t.responsible.username, t.client.last_name)):
        if trajectory.phase not in (Phase.PLAN, Phase.EXECUTION, Phase.MONITORING):
            continue
        if per_professional.get(trajectory.responsible_id, 0) >= 2:
            continue
        per_professional[trajectory.responsible_id] = per_professional.get(trajectory.responsible_id, 0) + 1
        chosen.append(trajectory)
    accounts, requests, proposals, consents = [], [], [], []
    done_by_client = 0
    for index, trajectory in enumerate(chosen):
        first = generator.moment(max(trajectory.start_date, today - dt.timedelta(days=40)))
        accounts.append(
            PortalAccount(
                client=trajectory.client,
                activated_at=first,
                last_login_at=generator.moment(today - dt.timedelta(days=rng.randint(0, 6))),
            )
        )
        key = "lwc" if index % 2 == 0 else "igm"
        if key in instruments:
            requests.append(
                QuestionnaireRequest(
                    uuid=generator.uuid(),
                    trajectory=trajectory,
                    instrument=instruments[key],
                    requested_by=trajectory.responsible,
                )
            )
        version = PlanVersion.objects.filter(trajectory=trajectory).order_by("-number").first()
        if version is not None and index % 3 == 0:
            goal = PlanContent.from_json(version.content).active_goals[0]
            proposals.append(
                GoalProposal(
                    uuid=generator.uuid(),
                    trajectory=trajectory,
                    goal_key=goal.key,
                    original_text=goal.text,
                    text=rng.choice(
                        [
                            "Ik wil eerst 12 uur per week werken, en dat later uitbreiden.",
                            "Werken met mijn handen, het liefst buiten.",
                            "Een baan waar ik mijn kennis van administratie kan gebruiken.",
                        ]
                    ),
                )
            )
        elif index % 3 == 1:
            proposals.append(
                GoalProposal(
                    uuid=generator.uuid(),
                    trajectory=trajectory,
                    text="Mijn rijbewijs halen, zodat ik verder weg kan werken.",
                )
            )
        action = (
            Action.objects.filter(trajectory=trajectory, owner=ActionOwner.CLIENT, status=ActionStatus.OPEN)
            .order_by("due_date")
            .first()
        )
        if action is not None and index % 2 == 1:
            action.status, action.completed_on, action.completed_by_client = (
                ActionStatus.DONE,
                today - dt.timedelta(days=1),
                True,
            )
            action.save(update_fields=["status", "completed_on", "completed_by_client"])
            done_by_client += 1
        consents.append(
            Consent(
                uuid=generator.uuid(),
                client=trajectory.client,
                kind=ConsentKind.RESEARCH,
                given_at=first,
                given_via="portal",
            )
        )
    # Employer consent: clients in a 1st-track trajectory (back to their own employer) gave it at the start,
    # recorded by the professional; one of them withdrew it later.
    for trajectory, _history in trajectories:
        if trajectory.context == Context.FIRST_TRACK:
            given = generator.moment(trajectory.start_date)
            consents.append(
                Consent(
                    uuid=generator.uuid(),
                    client=trajectory.client,
                    kind=ConsentKind.EMPLOYER,
                    given_at=given,
                    given_via="professional",
                    given_recorded_by=trajectory.responsible,
                )
            )
    PortalAccount.objects.bulk_create(accounts)
    QuestionnaireRequest.objects.bulk_create(requests)
    GoalProposal.objects.bulk_create(proposals)
    Consent.objects.bulk_create(consents)
    # One questionnaire saved halfway by the client.
    halfway = next((r for r in requests if r.instrument.key == "igm"), None)
    if halfway is not None:
        draft = Measurement.objects.create(
            trajectory=halfway.trajectory,
            instrument=halfway.instrument,
            instrument_version=halfway.instrument.current,
            respondent="client",
            framing="client",
            phase=halfway.trajectory.phase,
            taken_on=today,
            status=MeasurementStatus.DRAFT,
            answers={"attitude": 4, "social_influence": 3},
            entered_by=None,
            entered_by_client=True,
        )
        QuestionnaireRequest.objects.filter(pk=halfway.pk).update(measurement=draft)
    return {
        "portal accounts": len(accounts),
        "questionnaire requests": len(requests),
        "goal proposals": len(proposals),
        "consents": len(consents),
        "actions ticked off by the client": done_by_client,
    }


def portal_clients():
    """The demo clients with an active portal account, for the demo command's hint."""
    from waardewerk.portal.models import PortalAccount

    return [
        (account.client.full_name, account.client.trajectories.order_by("-start_date").first())
        for account in PortalAccount.objects.select_related("client").filter(revoked_at__isnull=True)[:4]
    ]
