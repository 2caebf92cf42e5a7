"""Who may do what with employers, jobs and the value fit (docs/matching.md, docs/authorization.md).

- **Employers and jobs** are the organisation's, not client data: every case worker (professional, team
  lead) of the organisation reads and keeps them. The functional administrator and the knowledge editor
  have no part in them; another organisation's employers do not exist for anyone here.
- **A client's fit list** and the decisions on it follow the dossier: who works on an open trajectory sees
  its fit list and decides per job; a team lead who knows the trajectory from the team overview gets 403.
- **A job's fit list** shows only the clients of the actor's own open trajectories (their caseload).
- **The client** sees only the jobs proposed to them, on their own trajectories, and responds to those.
- **Availability and strengths** (the client's own part of the candidate profile): the client writes them in
  the portal while a trajectory of theirs is open; who works on an open trajectory of the client reads them
  and writes them with the client (the fit list's rule).

This module builds on ``accounts.policies`` and ``trajectories.policies``.
"""

from django.db.models import QuerySet

from waardewerk.accounts.actor import application_allows, is_application_actor
from waardewerk.accounts.policies import is_case_worker
from waardewerk.clients.actor import is_client_actor
from waardewerk.matching.models import Decision, Employer, Job, Placement, Proposal
from waardewerk.trajectories.models import Trajectory
from waardewerk.trajectories.policies import (
    can_work_on_trajectory,
    changeable_trajectories,
    client_trajectories,
    known_trajectories,
    visible_trajectories,
    working_trajectories,
    working_trajectory_ids,
)


def may_use_matching(actor) -> bool:
    """The employers, the jobs and the fit pages: case workers."""
    return is_case_worker(actor)


def _application_reads_matching(actor) -> bool:
    """An application (the API) reads the organisation's employers, jobs and placements with
    ``matching:read``; it changes none of them."""
    return application_allows(actor, "matching:read")


def visible_employers(actor) -> QuerySet[Employer]:
    if _application_reads_matching(actor):
        return Employer.objects.filter(organisation_id=actor.organisation_id)
    if not is_case_worker(actor):
        return Employer.objects.none()
    return Employer.objects.filter(organisation_id=actor.organisation_id)


def can_change_employer(actor, employer: Employer) -> bool:
    return is_case_worker(actor) and employer.organisation_id == actor.organisation_id


def visible_jobs(actor) -> QuerySet[Job]:
    if _application_reads_matching(actor):
        return Job.objects.filter(employer__organisation_id=actor.organisation_id)
    if not is_case_worker(actor):
        return Job.objects.none()
    return Job.objects.filter(employer__organisation_id=actor.organisation_id)


def can_change_job(actor, job: Job) -> bool:
    return is_case_worker(actor) and job.employer.organisation_id == actor.organisation_id


def fit_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories whose fit list the actor sees and decides on: open ones they work on."""
    return changeable_trajectories(actor)


def can_decide_fit(actor, trajectory: Trajectory) -> bool:
    return fit_trajectories(actor).filter(pk=trajectory.pk).exists()


def known_fit_trajectories(actor) -> QuerySet[Trajectory]:
    """For the refusal: trajectories the actor knows exist (403 instead of 404)."""
    return known_trajectories(actor)


def decidable_proposals(actor) -> QuerySet[Proposal]:
    """Proposals the actor may change or share: those of the open trajectories they work on."""
    return Proposal.objects.filter(trajectory__in=changeable_trajectories(actor))


def visible_proposals(actor) -> QuerySet[Proposal]:
    """Proposals the actor reads: those of the trajectories whose dossier they read."""
    return Proposal.objects.filter(trajectory__in=visible_trajectories(actor))


def placement_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories whose placements the actor reads: those whose dossier they read."""
    return visible_trajectories(actor)


def visible_placements(actor) -> QuerySet[Placement]:
    """Placements the actor reads: those of ``placement_trajectories``; an application with
    ``matching:read``, every placement of its organisation."""
    if is_application_actor(actor):
        if not _application_reads_matching(actor):
            return Placement.objects.none()
        return Placement.objects.filter(trajectory__organisation_id=actor.organisation_id)
    return Placement.objects.filter(trajectory__in=placement_trajectories(actor))


def follow_up_trajectories(actor) -> QuerySet[Trajectory]:
    """Trajectories whose follow-ups the actor records: those they work on, open or closed (the 6- and
    12-month follow-ups mostly come after the trajectory closed). Not under emergency access."""
    return working_trajectories(actor)


def follow_up_trajectory_ids(actor):
    """The ids of ``follow_up_trajectories(actor)`` as one SQL subquery (the start page's follow-up signal
    filters by it; ``trajectories.policies.working_trajectory_ids``)."""
    return working_trajectory_ids(actor)


def can_follow_up(actor, trajectory: Trajectory) -> bool:
    return can_work_on_trajectory(actor, trajectory)


# The client -----------------------------------------------------------------------------------------------


def client_job_proposals(actor) -> QuerySet[Proposal]:
    """The jobs proposed to the client in the portal, on their own trajectories."""
    if not is_client_actor(actor):
        return Proposal.objects.none()
    return Proposal.objects.filter(trajectory__in=client_trajectories(actor), decision=Decision.PROPOSE)


def can_respond_to_proposal(actor, proposal: Proposal) -> bool:
    return (
        is_client_actor(actor)
        and proposal.trajectory.client_id == actor.client.pk
        and proposal.trajectory.is_open
        and proposal.decision == Decision.PROPOSE
    )


def can_write_candidate_profile(actor, trajectory: Trajectory) -> bool:
    """The client's availability and strengths: the client on their own open trajectory, or who works on
    the open trajectory (the fit list's rule)."""
    if is_client_actor(actor):
        return trajectory.client_id == actor.client.pk and trajectory.is_open
    return can_decide_fit(actor, trajectory)
