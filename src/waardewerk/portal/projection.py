"""How the client's portal activity appears in the trajectory's timeline (``waardewerk.timeline``): goal
proposals and the decision on them, consent given or withdrawn, questionnaires asked. Questionnaires the
client filled in are measurements (``instruments.projection``), actions the client marked done are in
``trajectories.projection``. Works on the historical models of a migration too (attributes only)."""

from django.utils import timezone

from waardewerk.timeline.models import CLIENT
from waardewerk.timeline.services import timeline_entry


def goal_proposed(proposal):
    return timeline_entry(
        trajectory=proposal.trajectory_id,
        event="goal_proposed",
        occurred_at=proposal.created_at,
        actor=CLIENT,
        data={"new_goal": not proposal.goal_key},
        texts={"text": proposal.text, "original": proposal.original_text},
        source=proposal,
    )


def preference_corrected(correction):
    return timeline_entry(
        trajectory=correction.trajectory_id,
        event="preference_corrected",
        occurred_at=correction.created_at,
        actor=CLIENT,
        data={"choice": correction.choice_key},
        texts={"text": correction.text, "original": correction.previous_text},
        source=correction,
    )


def goal_decided(proposal):
    return timeline_entry(
        trajectory=proposal.trajectory_id,
        event="goal_accepted" if proposal.status == "accepted" else "goal_declined",
        occurred_at=proposal.decided_at,
        actor=proposal.decided_by_id,
        texts={"reason": proposal.decision_reason},
        source=proposal,
    )


def consent_changed(consent, *, trajectory_id: int, given: bool):
    """A consent given or withdrawn, in the timeline of the client's trajectory of that moment."""
    via, recorder = (
        (consent.given_via, consent.given_recorded_by_id)
        if given
        else (consent.withdrawn_via, consent.withdrawn_recorded_by_id)
    )
    return timeline_entry(
        trajectory=trajectory_id,
        event="consent_given" if given else "consent_withdrawn",
        occurred_at=consent.given_at if given else consent.withdrawn_at,
        actor=CLIENT if via == "portal" else recorder,
        # A consent for one party (an employer) names it; the data migration's historical rows have no party.
        data={"kind": consent.kind}
        | ({"party": consent.party_name} if getattr(consent, "party", None) else {}),
        source=consent,
    )


def questionnaire_requested(request, instrument_version):
    return timeline_entry(
        trajectory=request.trajectory_id,
        event="questionnaire_requested",
        occurred_at=request.created_at,
        actor=request.requested_by_id,
        data={"instrument": _title(instrument_version)},
        source=request,
    )


def questionnaire_cancelled(request, instrument_version, *, actor):
    return timeline_entry(
        trajectory=request.trajectory_id,
        event="questionnaire_cancelled",
        occurred_at=request.cancelled_at,
        actor=actor,
        data={"instrument": _title(instrument_version)},
        source=request,
    )


def _title(version) -> dict:
    definition = version.definition if version is not None else {}
    return definition.get("short_title") or definition.get("title") or {}


def backfill(apps, trajectory_ids=None) -> list:
    """The entries of the portal activity that existed before the timeline, oldest first."""
    model = apps.get_model
    proposals = model("portal", "GoalProposal").objects.order_by("pk")
    requests = model("portal", "QuestionnaireRequest").objects.select_related("instrument__current")
    trajectories = model("trajectories", "Trajectory").objects.order_by("pk")
    if trajectory_ids is not None:
        proposals = proposals.filter(trajectory_id__in=trajectory_ids)
        requests = requests.filter(trajectory_id__in=trajectory_ids)
        trajectories = trajectories.filter(pk__in=trajectory_ids)
    entries = []
    for proposal in proposals:
        entries.append(goal_proposed(proposal))
        if proposal.decided_at:
            entries.append(goal_decided(proposal))
    for request in requests.order_by("pk"):
        entries.append(questionnaire_requested(request, request.instrument.current))
        if request.cancelled_at:
            entries.append(questionnaire_cancelled(request, request.instrument.current, actor=None))
    # Consent belongs to the client; each trajectory shows the changes made while it ran.
    consents: dict[int, list] = {}
    for consent in (
        model("clients", "Consent")
        .objects.filter(client_id__in=trajectories.values("client_id"))
        .order_by("pk")
    ):
        consents.setdefault(consent.client_id, []).append(consent)
    for trajectory in trajectories.only("pk", "client_id", "start_date", "end_date"):
        for consent in consents.get(trajectory.client_id, ()):
            for given, at in ((True, consent.given_at), (False, consent.withdrawn_at)):
                day = timezone.localtime(at).date() if at else None
                if day is None or day < trajectory.start_date:
                    continue
                if trajectory.end_date and day > trajectory.end_date:
                    continue
                entries.append(consent_changed(consent, trajectory_id=trajectory.pk, given=given))
    try:  # the client's own evaluation came later than the timeline's data migration
        evaluations = model("portal", "ClientEvaluation").objects.order_by("pk")
    except LookupError:
        evaluations = []
    else:
        if trajectory_ids is not None:
            evaluations = evaluations.filter(trajectory_id__in=trajectory_ids)
    entries += [client_evaluated(evaluation) for evaluation in evaluations]
    return sorted(entries, key=lambda e: e["occurred_at"])


def client_evaluated(evaluation):
    """The client's own evaluation; written again when the client changes it (one entry, replaced)."""
    return timeline_entry(
        trajectory=evaluation.trajectory_id,
        event="client_evaluation",
        occurred_at=evaluation.updated_at,
        actor=CLIENT,
        data={"satisfaction": evaluation.satisfaction, "changed": evaluation.changes > 0},
        texts={
            "went_well": evaluation.went_well,
            "was_hard": evaluation.was_hard,
            "advice": evaluation.advice,
        },
        source=evaluation,
    )
