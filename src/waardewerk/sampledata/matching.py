"""Demo data of the matching app (called by ``demo.DemoBuilder``): employers with contact persons and jobs,
their value profiles, and for the portal's clients with a work-value measurement the professional's
decisions on the best-fitting jobs; one client answered "interested" and gave consent for that employer,
and the profile went there. Texts are in ``data/matching.yaml``; deterministic like the rest of the demo."""

from __future__ import annotations

import datetime as dt

from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.instruments.selectors import latest_scores
from waardewerk.matching import fit as fit_rule
from waardewerk.matching.models import ContactPerson, Employer, Job, Proposal
from waardewerk.matching.selectors import work_values
from waardewerk.portal.models import PortalAccount
from waardewerk.sampledata.texts import load


def create_matching_data(builder, organisation, users, trajectories) -> dict:
    """``builder`` gives ``rng``, ``today``, ``uuid()`` and ``moment(day)``; ``users`` by user name."""
    data = load("matching")
    today = builder.today
    profiler = users["marieke"]
    employers, contacts, jobs = [], [], []
    for row in data["employers"]:
        employer = Employer(
            uuid=builder.uuid(),
            organisation=organisation,
            name=row["name"],
            kvk_number=row["kvk"],
            sector=row["sector"],
            size=row["size"],
            city=row["city"],
            notes=row["notes"],
            profile=dict(row["profile"]),
            profile_by=profiler,
            profile_on=today - dt.timedelta(days=30),
            created_by=profiler,
        )
        employers.append(employer)
        contacts += [ContactPerson(uuid=builder.uuid(), employer=employer, **c) for c in row["contacts"]]
        for job in row["jobs"]:
            jobs.append(
                Job(
                    uuid=builder.uuid(),
                    employer=employer,
                    title=job["title"],
                    occupation=job["occupation"],
                    hours=job["hours"],
                    contract=job["contract"],
                    city=row["city"],
                    requirements=job["requirements"],
                    profile=dict(job["profile"]),
                    profile_by=profiler if job["profile"] else None,
                    profile_on=today - dt.timedelta(days=20) if job["profile"] else None,
                    created_by=profiler,
                )
            )
    Employer.objects.bulk_create(employers)
    ContactPerson.objects.bulk_create(contacts)
    Job.objects.bulk_create(jobs)

    values = work_values()
    with_portal = set(
        PortalAccount.objects.filter(client__organisation=organisation).values_list("client_id", flat=True)
    )
    chosen = [t for t in trajectories if t.end_date is None and t.client_id in with_portal]
    scores = latest_scores(values.instrument_id, [t.pk for t in chosen]) if values else {}
    proposals, consents = [], []
    reasons = data["reasons"]
    for index, trajectory in enumerate(t for t in chosen if t.pk in scores):
        client_values = scores[trajectory.pk][1].get("values") or {}
        ranked = sorted(
            jobs,
            key=lambda job: (
                fit_rule.compute(
                    values.keys, client_values, job.profile, job.employer.profile, threshold=values.threshold
                ).sort_key(),
                job.title,
            ),
        )
        decided = builder.moment(today - dt.timedelta(days=6 - index % 5))
        plan = [("propose", ranked[0]), ("not_now", ranked[1])] + (
            [("rejected", ranked[-1])] if index % 2 else []
        )
        for decision, job in plan:
            result = fit_rule.compute(
                values.keys, client_values, job.profile, job.employer.profile, threshold=values.threshold
            )
            proposal = Proposal(
                uuid=builder.uuid(),
                trajectory=trajectory,
                job=job,
                decision=decision,
                reason=builder.rng.choice(reasons[decision]).format(voornaam=trajectory.client.first_name),
                fit=result.as_dict(),
                decided_by=trajectory.responsible,
                decided_at=decided,
            )
            if decision == "propose" and index == 0:  # the first client answered and the profile went out
                proposal.response = "interested"
                proposal.response_note = reasons["client_note"]
                proposal.responded_at = decided + dt.timedelta(days=1)
                proposal.shared_at = decided + dt.timedelta(days=2)
                proposal.shared_by = trajectory.responsible
                consents.append(
                    Consent(
                        uuid=builder.uuid(),
                        client=trajectory.client,
                        kind=ConsentKind.EMPLOYER,
                        party=job.employer.uuid,
                        party_name=job.employer.name,
                        given_at=decided + dt.timedelta(days=1),
                        given_via="portal",
                    )
                )
            proposals.append(proposal)
    Proposal.objects.bulk_create(proposals)
    Consent.objects.bulk_create(consents)
    return {
        "employers": len(employers),
        "jobs": len(jobs),
        "job decisions": len(proposals),
        "consents for one employer": len(consents),
    }


def delete_matching_data(organisation) -> None:
    """Jobs and employers protect each other and the organisation: they go after the trajectories (whose
    decisions cascade)."""
    Proposal.objects.filter(job__employer__organisation=organisation).delete()
    Job.objects.filter(employer__organisation=organisation).delete()
    Employer.objects.filter(organisation=organisation).delete()
