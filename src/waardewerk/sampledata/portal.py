"""Demo data of the client portal (called by ``demo.DemoBuilder``): a few clients with an active portal
account, open questionnaire requests (one saved halfway), goal proposals waiting for the professional,
actions the client ticked off, a client who agreed to the plan in the portal, preferences the client
corrected on a choice of the agreed plan, and consents. Deterministic, like the rest of the demo."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.portal import projection
from waardewerk.portal.models import GoalProposal, PortalAccount, QuestionnaireRequest
from waardewerk.sampledata.measurements import InstrumentModel
from waardewerk.sampledata.texts import load
from waardewerk.timeline.services import timeline_append
from waardewerk.trajectories.models import (
    Action,
    ActionOwner,
    ActionStatus,
    AgreementMethod,
    Context,
    Phase,
    PlanAgreement,
    PlanVersion,
    PreferenceCorrection,
)
from waardewerk.trajectories.plan import PlanContent

PORTAL_PHASES = (Phase.PLAN, Phase.EXECUTION, Phase.MONITORING)
PORTAL_USERS_PER_PROFESSIONAL = 2
PREFERENCE_CORRECTIONS = 2  # clients who corrected their preference, each of another professional


def create_portal_data(builder, trajectories, instruments: list[InstrumentModel]) -> dict:
    """``builder`` gives the demo's random generator (``rng``), ``today``, ``uuid()`` and ``moment(day)``.
    Questionnaire requests go round the instruments the client answers."""
    rng = builder.rng
    today = builder.today
    texts = load("portal")
    for_client = [i for i in instruments if "client" in i.respondents]
    open_ones = [t for t in trajectories if t.end_date is None]
    # Portal users: per professional the open trajectories in the middle of the cycle, two each at most.
    chosen, per_professional = [], {}
    for trajectory in sorted(open_ones, key=lambda t: (t.responsible.username, t.client.last_name)):
        if trajectory.phase not in PORTAL_PHASES:
            continue
        if per_professional.get(trajectory.responsible_id, 0) >= PORTAL_USERS_PER_PROFESSIONAL:
            continue
        per_professional[trajectory.responsible_id] = per_professional.get(trajectory.responsible_id, 0) + 1
        chosen.append(trajectory)
    latest_plans = {}
    for version in PlanVersion.objects.filter(trajectory__in=chosen).order_by("number"):
        latest_plans[version.trajectory_id] = version
    accounts, requests, proposals, consents = [], [], [], []
    done_by_client = 0
    for index, trajectory in enumerate(chosen):
        first = builder.moment(max(trajectory.start_date, today - dt.timedelta(days=40)))
        accounts.append(
            PortalAccount(
                client=trajectory.client,
                activated_at=first,
                last_login_at=builder.moment(today - dt.timedelta(days=rng.randint(0, 6))),
            )
        )
        if for_client:
            instrument = for_client[index % len(for_client)]
            requests.append(
                (
                    instrument,
                    QuestionnaireRequest(
                        uuid=builder.uuid(),
                        trajectory=trajectory,
                        instrument_id=instrument.version.instrument_id,
                        requested_by=trajectory.responsible,
                    ),
                )
            )
        version = latest_plans.get(trajectory.pk)
        if version is not None and index % 3 == 0:
            goal = PlanContent.from_json(version.content).active_goals[0]
            proposals.append(
                GoalProposal(
                    uuid=builder.uuid(),
                    trajectory=trajectory,
                    goal_key=goal.key,
                    original_text=goal.text,
                    text=rng.choice(texts["goal_rewordings"]),
                )
            )
        elif index % 3 == 1:
            proposals.append(GoalProposal(uuid=builder.uuid(), trajectory=trajectory, text=texts["new_goal"]))
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
                uuid=builder.uuid(),
                client=trajectory.client,
                kind=ConsentKind.RESEARCH,
                given_at=first,
                given_via="portal",
            )
        )
    # Employer consent: clients in a 1st-track trajectory (back to their own employer) gave it at the start,
    # recorded by the professional. The first signed a form valid until three weeks from now: the start page
    # signals that it ends soon.
    first_track = [t for t in trajectories if t.context == Context.FIRST_TRACK]
    for position, trajectory in enumerate(first_track):
        consents.append(
            Consent(
                uuid=builder.uuid(),
                client=trajectory.client,
                kind=ConsentKind.EMPLOYER,
                given_at=builder.moment(trajectory.start_date),
                given_via="professional",
                given_recorded_by=trajectory.responsible,
                valid_until=today + dt.timedelta(days=21) if position == 0 else None,
            )
        )
    PortalAccount.objects.bulk_create(accounts)
    QuestionnaireRequest.objects.bulk_create(request for _instrument, request in requests)
    GoalProposal.objects.bulk_create(proposals)
    Consent.objects.bulk_create(consents)
    # One questionnaire saved halfway by the client: the first request with more than one question.
    halfway = next(((i, r) for i, r in requests if len(i.item_ids) > 1), None)
    if halfway is not None:
        instrument, request = halfway
        trajectory = request.trajectory
        draft = Measurement.objects.create(
            uuid=builder.uuid(),
            trajectory=trajectory,
            instrument_id=instrument.version.instrument_id,
            instrument_version=instrument.version,
            respondent="client",
            framing=instrument.definition.default_framing("client", trajectory.context),
            phase=trajectory.phase,
            taken_on=today,
            status=MeasurementStatus.DRAFT,
            answers=instrument.partial_answers(instrument.start(rng)),
            entered_by=None,
            entered_by_client=True,
        )
        QuestionnaireRequest.objects.filter(pk=request.pk).update(measurement=draft)
    agreed_in_portal = create_portal_agreement(builder, chosen, latest_plans)
    corrections = create_preference_corrections(builder, chosen, texts["preference_corrections"])
    return {
        "portal accounts": len(accounts),
        "plans agreed by the client in the portal": len(agreed_in_portal),
        "questionnaire requests": len(requests),
        "goal proposals": len(proposals),
        "consents": len(consents),
        "actions ticked off by the client": done_by_client,
        "preferences corrected by the client": len(corrections),
    }


def create_portal_agreement(builder, trajectories, latest_plans: dict) -> list[PlanAgreement]:
    """One portal client agreed to the newest version of their plan in the portal themselves (as
    ``trajectories.services.plan_agree_by_client`` records it: method "in the client portal", no
    professional recorded it): the first portal client with a plan. Its agreement, if the demo's cycle
    made one, becomes the client's own; otherwise the client agreed a few days ago. The timeline entry
    comes with the demo's backfill, from the row."""
    version = next((latest_plans[t.pk] for t in trajectories if t.pk in latest_plans), None)
    if version is None:
        return []
    made_on = timezone.localtime(version.created_at, builder.tz).date()
    agreement = PlanAgreement.objects.filter(plan_version=version).order_by("agreed_on", "id").first()
    if agreement is None:
        agreement = PlanAgreement(
            uuid=builder.uuid(),
            plan_version=version,
            agreed_on=max(made_on, builder.today - dt.timedelta(days=builder.rng.randint(1, 4))),
        )
    agreement.method, agreement.recorded_by, agreement.note = AgreementMethod.PORTAL, None, ""
    agreement.save()
    return [agreement]


def portal_agreements():
    """The demo's plans agreed by the client in the portal, for the demo command's hint: (client,
    professional)."""
    agreements = PlanAgreement.objects.filter(method=AgreementMethod.PORTAL, recorded_by__isnull=True)
    return [
        (a.plan_version.trajectory.client.full_name, a.plan_version.trajectory.responsible.username)
        for a in agreements.select_related(
            "plan_version__trajectory__client", "plan_version__trajectory__responsible"
        )
    ]


def create_preference_corrections(builder, trajectories, texts: dict) -> list[PreferenceCorrection]:
    """A few portal clients corrected, in their own words, their preference for a choice of the plan they
    agreed with, a few days after agreeing (as ``portal.services.preference_correct`` stores it: the plan
    is unchanged, the professional sees the correction on the plan page and in the timeline). The words
    are those for the choice's knowledge-base entry in ``texts``, else the general ones."""
    agreed: dict[int, PlanVersion] = {}
    versions = PlanVersion.objects.filter(trajectory__in=trajectories, agreements__isnull=False)
    for version in versions.prefetch_related("agreements").order_by("number").distinct():
        agreed[version.trajectory_id] = version
    made, professionals = [], set()
    for trajectory in trajectories:
        version = agreed.get(trajectory.pk)
        if version is None or trajectory.responsible_id in professionals:
            continue
        choices = PlanContent.from_json(version.content).choices
        choice = next((c for c in choices if c.entry in texts), choices[0] if choices else None)
        if choice is None:
            continue
        agreed_on = max(a.agreed_on for a in version.agreements.all())
        day = min(
            agreed_on + dt.timedelta(days=builder.rng.randint(2, 6)), builder.today - dt.timedelta(days=1)
        )
        correction = PreferenceCorrection.objects.create(
            uuid=builder.uuid(),
            trajectory=trajectory,
            plan_version=version,
            choice_key=choice.key,
            previous_text=choice.preference,
            text=texts.get(choice.entry) or texts["general"],
        )
        correction.created_at = builder.moment(max(day, agreed_on))
        PreferenceCorrection.objects.filter(pk=correction.pk).update(created_at=correction.created_at)
        timeline_append(projection.preference_corrected(correction))
        made.append(correction)
        professionals.add(trajectory.responsible_id)
        if len(made) == PREFERENCE_CORRECTIONS:
            break
    return made


def preference_corrections():
    """The demo's corrected preferences, for the demo command's hint: (client, professional)."""
    return [
        (c.trajectory.client.full_name, c.trajectory.responsible.username)
        for c in PreferenceCorrection.objects.select_related("trajectory__client", "trajectory__responsible")
    ]


def portal_clients():
    """The demo clients with an active portal account, for the demo command's hint."""
    return [
        (account.client.full_name, account.client.trajectories.order_by("-start_date").first())
        for account in PortalAccount.objects.select_related("client").filter(revoked_at__isnull=True)[:4]
    ]
