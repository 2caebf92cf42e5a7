"""Reads of employers, jobs and the value fit, scoped by ``policies`` (a fixed number of queries each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.instruments import selectors as instrument_selectors
from waardewerk.instruments.definition import Definition
from waardewerk.matching import fit as fit_rule
from waardewerk.matching import policies
from waardewerk.matching.models import ContactPerson, Employer, Job, Proposal
from waardewerk.trajectories.models import Trajectory


def employers(actor, search: str = "") -> QuerySet[Employer]:
    """The organisation's employers with their number of open jobs (one query)."""
    found = policies.visible_employers(actor).annotate(open_jobs=Count("jobs", filter=Q(jobs__is_open=True)))
    if search:
        found = found.filter(Q(name__icontains=search) | Q(kvk_number__startswith=search))
    return found.order_by("name", "id")


def employer_page(actor, employer: Employer) -> tuple[list[ContactPerson], list[Job]]:
    return list(employer.contacts.all()), list(employer.jobs.order_by("-is_open", "title", "id"))


def jobs(actor, *, open_only: bool = True) -> QuerySet[Job]:
    found = policies.visible_jobs(actor).select_related("employer")
    return found.filter(is_open=True) if open_only else found


@dataclass(frozen=True)
class WorkValues:
    """The instrument the fit reads (``roles.matching: work_values``) and what the fit needs of it."""

    definition: Definition
    instrument_id: int

    @property
    def keys(self) -> list[str]:
        return list(self.definition.params["values"])

    @property
    def threshold(self) -> int:
        return self.definition.params.get("threshold", fit_rule.DEFAULT_THRESHOLD)

    def titles(self) -> dict[str, str]:
        return {key: self.definition.group_title(key) for key in self.keys}


def work_values() -> WorkValues | None:
    found = instrument_selectors.matching_instrument()
    if found is None:
        return None
    instrument, definition = found
    return WorkValues(definition, instrument.pk)


@dataclass(frozen=True)
class FitRow:
    job: Job | None
    trajectory: Trajectory | None
    fit: fit_rule.Fit
    proposal: Proposal | None

    @property
    def share_percent(self) -> int | None:
        share = self.fit.fit_share
        return None if share is None else round(100 * share)


@dataclass(frozen=True)
class ClientFit:
    values: WorkValues | None
    measured_on: dt.date | None
    client_values: dict
    rows: list[FitRow]
    consented_parties: frozenset = frozenset()  # employers (public ids) the client consented to share with


def _scores(values: WorkValues, trajectory_ids) -> dict[int, tuple[dt.date, dict]]:
    return instrument_selectors.latest_scores(values.instrument_id, trajectory_ids)


def client_fit(actor, trajectory: Trajectory) -> ClientFit:
    """The open jobs of the organisation, each with its fit for the trajectory's client (their latest
    work-value measurement in this trajectory), best first, with the decision already taken on it. Four
    queries whatever the number of jobs: the instruments, the measurement, the jobs with their employers,
    the proposals."""
    values = work_values()
    if values is None:
        return ClientFit(None, None, {}, [])
    measured_on, score = _scores(values, [trajectory.pk]).get(trajectory.pk, (None, {}))
    client_values = score.get("values") or {}
    proposals = {
        p.job_id: p for p in Proposal.objects.filter(trajectory=trajectory).select_related("decided_by")
    }
    rows = []
    for job in jobs(actor):
        result = fit_rule.compute(
            values.keys, client_values, job.profile, job.employer.profile, threshold=values.threshold
        )
        rows.append(FitRow(job, None, result, proposals.get(job.pk)))
    rows.sort(key=lambda row: (*row.fit.sort_key(), row.job.title.lower(), row.job.pk))
    consented = Consent.objects.filter(
        client_id=trajectory.client_id,
        kind=ConsentKind.EMPLOYER,
        withdrawn_at__isnull=True,
        party__isnull=False,
    ).values_list("party", flat=True)
    return ClientFit(values, measured_on, client_values, rows, frozenset(consented))


@dataclass(frozen=True)
class JobFit:
    values: WorkValues | None
    rows: list[FitRow]  # with a measurement
    unmeasured: list[Trajectory]  # open trajectories of the caseload without one


def job_fit(actor, job: Job) -> JobFit:
    """The clients of the actor's own open trajectories (their caseload), each with the job's fit, best
    first. Four queries: the instruments, the trajectories with their clients, their latest measurements,
    the proposals for this job."""
    values = work_values()
    trajectories = list(policies.fit_trajectories(actor).select_related("client").order_by("id"))
    if values is None:
        return JobFit(None, [], trajectories)
    scores = _scores(values, [t.pk for t in trajectories])
    proposals = {p.trajectory_id: p for p in Proposal.objects.filter(job=job)}
    rows, unmeasured = [], []
    for trajectory in trajectories:
        if trajectory.pk not in scores:
            unmeasured.append(trajectory)
            continue
        client_values = scores[trajectory.pk][1].get("values") or {}
        result = fit_rule.compute(
            values.keys, client_values, job.profile, job.employer.profile, threshold=values.threshold
        )
        rows.append(FitRow(job, trajectory, result, proposals.get(trajectory.pk)))
    rows.sort(key=lambda row: (*row.fit.sort_key(), row.trajectory.client.sort_name.lower()))
    unmeasured.sort(key=lambda t: t.client.sort_name.lower())
    return JobFit(values, rows, unmeasured)


def trajectory_proposals(trajectory: Trajectory) -> list[Proposal]:
    return list(Proposal.objects.filter(trajectory=trajectory).select_related("job__employer", "decided_by"))


def client_proposals(actor) -> list[Proposal]:
    """The jobs proposed to the client in the portal, newest first."""
    return list(
        policies.client_job_proposals(actor)
        .select_related("job__employer", "trajectory")
        .order_by("-decided_at", "-id")
    )
