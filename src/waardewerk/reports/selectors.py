"""Reads for the reports: one trajectory with everything a report shows, in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from waardewerk.matching.models import Proposal
from waardewerk.reports import policies
from waardewerk.trajectories.models import (
    Action,
    Adjustment,
    Conversation,
    Handover,
    PhaseChange,
    PlanAgreement,
    PlanVersion,
    ProgressNote,
    Trajectory,
)


def report_queryset(actor=None, *, unscoped: bool = False) -> QuerySet[Trajectory]:
    """The trajectories ``actor`` may make a report of, prefetched for a report. ``unscoped`` (the command
    line only, run by whoever holds the server) starts from every trajectory instead."""
    base = Trajectory.objects.all() if unscoped else policies.report_trajectories(actor)
    return base.select_related(
        "client__candidate_profile", "responsible", "team", "organisation", "evaluation"
    ).prefetch_related(
        Prefetch("phase_changes", queryset=PhaseChange.objects.order_by("changed_at", "id")),
        Prefetch(
            "handovers",
            queryset=Handover.objects.select_related("from_user", "to_user").order_by("handed_over_at", "id"),
        ),
        Prefetch("conversations", queryset=Conversation.objects.order_by("date", "id")),
        Prefetch("actions", queryset=Action.objects.order_by("due_date", "id")),
        Prefetch(
            "plan_versions",
            queryset=PlanVersion.objects.order_by("number").prefetch_related(
                Prefetch("agreements", queryset=PlanAgreement.objects.order_by("agreed_on", "id"))
            ),
        ),
        Prefetch("progress_notes", queryset=ProgressNote.objects.select_related("recorded_by")),
        Prefetch("adjustments", queryset=Adjustment.objects.select_related("measurement__instrument")),
        Prefetch(
            "job_proposals",
            queryset=Proposal.objects.filter(decision="propose", response="interested")
            .select_related("job__employer")
            .order_by("decided_at", "id"),
        ),
    )
