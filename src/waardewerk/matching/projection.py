"""How the matching app's changes appear in a trajectory's timeline (kind "matching"): a decision on a job,
the client's answer, a placement and a follow-up. ``data`` holds choice values, numbers, dates and names
of the job and employer; the free texts (a reason, the client's comment, a note) go encrypted in the
entry's texts."""

from __future__ import annotations

from django.utils import timezone

from waardewerk.timeline.models import CLIENT
from waardewerk.timeline.services import moment, timeline_entry


def job_decided(proposal):
    return timeline_entry(
        trajectory=proposal.trajectory_id,
        event="job_decided",
        occurred_at=proposal.decided_at,
        actor=proposal.decided_by_id,
        data={
            "decision": proposal.decision,
            "job": proposal.job.title,
            "employer": proposal.job.employer.name,
        },
        texts={"reason": proposal.reason},
        source=proposal,
    )


def job_answered(proposal):
    return timeline_entry(
        trajectory=proposal.trajectory_id,
        event="job_answered",
        occurred_at=proposal.responded_at,
        actor=CLIENT,
        data={
            "response": proposal.response,
            "job": proposal.job.title,
            "employer": proposal.job.employer.name,
        },
        texts={"note": proposal.response_note},
        source=proposal,
    )


def placement_made(placement):
    return timeline_entry(
        trajectory=placement.trajectory_id,
        event="placement",
        occurred_at=moment(placement.start_date, timezone.now()),
        actor=placement.created_by_id,
        data={
            "job": placement.job.title,
            "employer": placement.job.employer.name,
            "start": placement.start_date.isoformat(),
            "hours": placement.hours,
            "contract": placement.contract,
        },
        source=placement,
    )


def follow_up_recorded(follow_up, placement):
    return timeline_entry(
        trajectory=placement.trajectory_id,
        event="follow_up",
        occurred_at=moment(follow_up.done_on, timezone.now()),
        actor=follow_up.recorded_by_id,
        data={
            "month": follow_up.month,
            "still_working": follow_up.still_working,
            "hours": follow_up.hours,
            "job": placement.job.title,
            "employer": placement.job.employer.name,
        },
        texts={"note": follow_up.note},
        source=follow_up,
    )


def candidate_profile_saved(profile, trajectory, actor):
    """The client's availability and strengths were written or changed (by the client, or by the
    professional with the client); the free texts go encrypted in the entry's texts."""
    return timeline_entry(
        trajectory=trajectory,
        event="candidate_profile",
        occurred_at=profile.written_at,
        actor=actor,
        data={
            "hours": profile.hours_per_week,
            "days": list(profile.days),
            "day_parts": list(profile.day_parts),
            "from": profile.available_from.isoformat() if profile.available_from else None,
            "travel_km": profile.travel_km,
            "travel_means": list(profile.travel_means),
        },
        texts={"availability": profile.availability_note, "strengths": profile.strengths},
        source=profile,
    )
