"""Reads of employers, jobs and the value fit, scoped by ``policies`` (a fixed number of queries each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Func, IntegerField, Prefetch, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from waardewerk.clients.models import Consent, ConsentKind, anonymised
from waardewerk.instruments import selectors as instrument_selectors
from waardewerk.instruments.definition import Definition
from waardewerk.matching import fit as fit_rule
from waardewerk.matching import policies
from waardewerk.matching.models import (
    CandidateProfile,
    ContactPerson,
    Employer,
    EmployerNote,
    FollowUp,
    Job,
    Placement,
    Proposal,
    Track,
    TrajectoryEmployer,
)
from waardewerk.trajectories.models import Trajectory

CANDIDATE_PROFILE = "candidate_profile__written_by_user"  # for select_related from a client


def candidate_profile(client) -> CandidateProfile | None:
    """The client's availability and strengths (None when nothing is recorded): no query when the client
    was read with ``select_related(CANDIDATE_PROFILE)`` (or a path ending in it), else one. The caller
    checked that the actor may see them."""
    try:
        return client.candidate_profile
    except CandidateProfile.DoesNotExist:
        return None


def employers(actor, search: str = "") -> QuerySet[Employer]:
    """The organisation's employers with their number of open jobs (one query)."""
    found = policies.visible_employers(actor).annotate(open_jobs=Count("jobs", filter=Q(jobs__is_open=True)))
    if search:
        found = found.filter(Q(name__icontains=search) | Q(kvk_number__startswith=search))
    return found.order_by("name", "id")


def employer_page(actor, employer: Employer) -> tuple[list[ContactPerson], list[Job]]:
    return list(employer.contacts.all()), list(employer.jobs.order_by("-is_open", "title", "id"))


NOTES_SHOWN = 50


def trajectory_employer(trajectory: Trajectory) -> TrajectoryEmployer | None:
    """The employer the trajectory works towards, with its track (one query)."""
    return TrajectoryEmployer.objects.filter(trajectory=trajectory).select_related("employer").first()


@dataclass
class EmployerWork:
    """What the employer services did with an employer: notes (newest first), the trajectories on the 1st and
    2nd track and the placements. Trajectories and placements are client data: only those whose dossier the
    actor reads are listed by name; the counts are of all of the organisation's."""

    notes: list
    trajectories: list
    placements: list
    counts: dict


def employer_work(actor, employer: Employer) -> EmployerWork:
    """Four queries whatever the numbers: notes, the visible trajectories, the visible placements, counts."""
    notes = list(
        EmployerNote.objects.filter(employer=employer)
        .select_related("contact", "written_by")
        .order_by("-on", "-id")[:NOTES_SHOWN]
    )
    # Anonymised files (docs/privacy.md) are counted, not listed: they name no client any more.
    readable = policies.placement_trajectories(actor).exclude(anonymised("client__")).values("pk")
    trajectories = list(
        TrajectoryEmployer.objects.filter(employer=employer, trajectory__in=readable)
        .select_related("trajectory__client")
        .order_by("track", "trajectory__client__last_name", "id")
    )
    placements = list(
        Placement.objects.filter(job__employer=employer, trajectory__in=readable)
        .select_related("trajectory__client", "job")
        .order_by("-start_date", "id")
    )
    counts = Employer.objects.filter(pk=employer.pk).aggregate(
        first=Count("trajectories", filter=Q(trajectories__track=Track.FIRST), distinct=True),
        second=Count("trajectories", filter=Q(trajectories__track=Track.SECOND), distinct=True),
        placements=Count("jobs__placements", distinct=True),
    )
    return EmployerWork(notes, trajectories, placements, counts)


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


def _scores(values: WorkValues, trajectory_ids) -> dict[int, tuple[dt.date, dict]]:
    return instrument_selectors.latest_scores(values.instrument_id, trajectory_ids)


@dataclass(frozen=True)
class ClientFit:
    values: WorkValues | None
    measured_on: dt.date | None
    client_values: dict
    rows: list[FitRow]  # the jobs of the page asked for, best first
    page: Page | None = None  # the page of the ranking (its paginator counts every open job)
    consented_parties: frozenset = frozenset()  # employers (public ids) the client consented to share with


class _ScoreWeight(Func):
    """``CASE <score> WHEN 5 THEN w5 ... WHEN 1 THEN w1 ELSE 0 END``: the weight of one value's score, read
    from the job's fit profile once per value (a searched CASE per status would read it up to three times).
    The weights are whole numbers made by ``ranked_jobs`` from the fit rule; nothing from the request goes
    into the SQL."""

    output_field = IntegerField()

    def __init__(self, key: str, weights: dict[int, int]):
        self.weights = {int(score): int(weight) for score, weight in weights.items()}
        super().__init__(Cast(KeyTextTransform(key, "fit_profile"), IntegerField()))

    def as_sql(self, compiler, connection, **extra_context):
        whens = " ".join(f"WHEN {score} THEN {weight}" for score, weight in self.weights.items())
        return super().as_sql(
            compiler, connection, template=f"CASE %(expressions)s {whens} ELSE 0 END", **extra_context
        )


def fit_weights(important_count: int) -> dict[int, int]:
    """Per score of a value profile the weight of an important value in the fit list's ranking: the sum of
    the weights over the client's important values orders the jobs exactly as ``fit.rank_key`` does. With
    ``B`` one more than the number of important values, a match weighs ``B * B + 1``, a partial ``1``, a gap
    ``1 - B`` and an unknown value ``0``, so the sum is ``matches * B * B - gaps * B + known``: one match more
    outweighs any number of gaps and known values, one gap fewer any number of known values (proof in
    docs/matching.md). The statuses come from ``fit.status_for``, the rule itself."""
    base = important_count + 1
    weight = {fit_rule.MATCH: base * base + 1, fit_rule.PARTIAL: 1, fit_rule.GAP: 1 - base}
    return {
        score: weight[fit_rule.status_for(fit_rule.DEFAULT_THRESHOLD, score, fit_rule.DEFAULT_THRESHOLD)]
        for score in fit_rule.SCALE
    }


def ranked_jobs(queryset: QuerySet[Job], important: list[str]) -> QuerySet[Job]:
    """``queryset`` ordered by the fit for a client whose important values are ``important``, best first, in
    the database over ``Job.fit_profile``: the order of ``fit.rank_key`` (the most matches, then the fewest
    gaps, then the fewest unknowns; ties by id), with the fit rule's own bounds, as one whole-number key
    (``fit_weights``) that reads each important value once. The property tests check that this order is the
    Python rule's on generated data."""
    if not important:
        return queryset.order_by("pk")
    weights = fit_weights(len(important))
    total = None
    for key in important:
        weight = _ScoreWeight(key, weights)
        total = weight if total is None else total + weight
    return queryset.alias(fit_rank=total).order_by("-fit_rank", "pk")


def client_fit(actor, trajectory: Trajectory, page_number=1, per_page: int = 25) -> ClientFit:
    """The organisation's open jobs ranked by their fit for the trajectory's client (their latest
    work-value measurement in this trajectory), best first, and for the jobs of the page asked for the fit
    with its reasons and the decision already taken on it.

    The database ranks every open job (``ranked_jobs`` over the kept fit profile) and returns only the
    page's; only those get their full fit (``fit.compute``, the same rule), so the page costs the same
    queries with 10,000 jobs as with 10: the instruments, the measurement, the count of open jobs, the
    page's ranked ids, the page's jobs with their employers, the decisions, the client's consents per
    employer."""
    values = work_values()
    if values is None:
        return ClientFit(None, None, {}, [])
    measured_on, score = _scores(values, [trajectory.pk]).get(trajectory.pk, (None, {}))
    client_values = score.get("values") or {}
    important = fit_rule.important_values(values.keys, client_values, values.threshold)
    ranked = ranked_jobs(policies.visible_jobs(actor).filter(is_open=True), important)
    page = Paginator(ranked.values_list("pk", flat=True), per_page).get_page(page_number)
    shown = list(page.object_list)
    by_pk = Job.objects.select_related("employer").in_bulk(shown)
    proposals = {
        p.job_id: p
        for p in Proposal.objects.filter(trajectory=trajectory, job_id__in=shown).select_related("decided_by")
    }
    rows = []
    for pk in shown:
        job = by_pk[pk]
        result = fit_rule.compute(
            values.keys, client_values, job.profile, job.employer.profile, threshold=values.threshold
        )
        rows.append(FitRow(job, None, result, proposals.get(pk)))
    consented = Consent.objects.filter(
        client_id=trajectory.client_id,
        kind=ConsentKind.EMPLOYER,
        withdrawn_at__isnull=True,
        party__isnull=False,
    ).values_list("party", flat=True)
    return ClientFit(values, measured_on, client_values, rows, page, frozenset(consented))


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


# Placements -----------------------------------------------------------------------------------------------


def trajectory_placements(trajectory: Trajectory) -> list[Placement]:
    """The trajectory's placements with their follow-ups (two queries)."""
    return list(
        Placement.objects.filter(trajectory=trajectory)
        .select_related("job__employer", "created_by")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("recorded_by")))
    )


def due_followups(actor, today: dt.date | None = None, within_days: int = 14) -> list[FollowUp]:
    """Follow-ups not yet recorded that are due within ``within_days`` (or overdue), of the trajectories
    the actor works on (open or closed), earliest first: for a start page (one query)."""
    today = today or timezone.localdate()
    return list(
        FollowUp.objects.filter(
            done_on__isnull=True,
            due_on__lte=today + dt.timedelta(days=within_days),
            placement__trajectory__in=policies.follow_up_trajectories(actor),
        )
        .select_related("placement__trajectory__client", "placement__job__employer")
        .order_by("due_on", "placement_id", "month")
    )
