"""Demo data of the matching app (called by ``demo.DemoBuilder``): employers with contact persons and jobs,
their value profiles, and for the portal's clients with a work-value measurement the professional's
decisions on the best-fitting jobs; one client answered "interested" and gave consent for that employer,
and the profile went there. Texts are in ``data/matching.yaml``; deterministic like the rest of the demo."""

from __future__ import annotations

import datetime as dt

from waardewerk.audit.services import audit_read
from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.core.tokens import token_digest
from waardewerk.instruments.selectors import latest_scores
from waardewerk.matching import fit as fit_rule
from waardewerk.matching import projection
from waardewerk.matching.actor import EmployerLinkActor
from waardewerk.matching.models import (
    FOLLOW_UP_MONTHS,
    LINK_DAYS,
    CandidateProfile,
    ContactPerson,
    Employer,
    EmployerLink,
    EmployerNote,
    FollowUp,
    Job,
    LinkPurpose,
    Placement,
    Proposal,
    Track,
    TrajectoryEmployer,
    Writer,
)
from waardewerk.matching.selectors import work_values
from waardewerk.matching.services import add_months
from waardewerk.portal.models import PortalAccount
from waardewerk.sampledata.texts import load
from waardewerk.timeline.services import timeline_append


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
                    functional_demands=dict(job.get("functional_demands") or {}),
                    profile=dict(job["profile"]),
                    fit_profile=fit_rule.merged_profile(job["profile"], employer.profile),
                    profile_by=profiler if job["profile"] else None,
                    profile_on=today - dt.timedelta(days=20) if job["profile"] else None,
                    created_by=profiler,
                )
            )
    # The first job's value profile was filled in by the employer's contact person through a one-time link.
    by_link = next((job for job in jobs if job.profile), None)
    if by_link is not None:
        by_link.profile_by = None
        by_link.profile_by_employer = next(c.name for c in contacts if c.employer is by_link.employer)
    Employer.objects.bulk_create(employers)
    ContactPerson.objects.bulk_create(contacts)
    Job.objects.bulk_create(jobs)
    links = []
    if by_link is not None:
        links.append(_used_link(builder, by_link, None, profiler, today - dt.timedelta(days=20)))

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
    # The employer saw the shared candidate profile through its link and answered "interested".
    for proposal in (p for p in proposals if p.shared_at):
        answered = proposal.shared_at + dt.timedelta(days=1)
        proposal.employer_response = "interested"
        proposal.employer_note = data["employer_note"]
        proposal.employer_responded_at = answered
        links.append(_used_link(builder, proposal.job, proposal, proposal.shared_by, answered.date()))
    Proposal.objects.bulk_create(proposals)
    Consent.objects.bulk_create(consents)
    EmployerLink.objects.bulk_create(links)
    for link in (link for link in links if link.proposal is not None):
        audit_read(
            actor=EmployerLinkActor(link),
            client=link.proposal.trajectory.client,
            obj=link.proposal,
            detail={"page": "employer link"},
        )
    entries = [projection.job_decided(p) for p in proposals]
    entries += [projection.job_answered(p) for p in proposals if p.response]
    entries += _candidate_profiles(
        builder, data["availability"], {p.trajectory.pk: p.trajectory for p in proposals}
    )

    # The client whose profile went out started there about 175 days ago: the 1- and 3-month follow-ups are
    # recorded, the 6-month one is due within two weeks (a signal on the professional's start page).
    placements, follow_ups = [], []
    for proposal in (p for p in proposals if p.shared_at):
        start = max(proposal.trajectory.start_date, today - dt.timedelta(days=175))
        placement = Placement(
            uuid=builder.uuid(),
            trajectory=proposal.trajectory,
            job=proposal.job,
            start_date=start,
            contract=proposal.job.contract,
            hours=proposal.job.hours,
            support=data["placement"]["support"],
            wage_subsidy=True,
            created_by=proposal.trajectory.responsible,
        )
        placements.append(placement)
        for month in FOLLOW_UP_MONTHS:
            due = add_months(start, month)
            done = due if due <= today else None
            follow_ups.append(
                FollowUp(
                    uuid=builder.uuid(),
                    placement=placement,
                    month=month,
                    due_on=due,
                    done_on=done,
                    still_working=True if done else None,
                    hours=placement.hours if done else None,
                    client_satisfaction=4 if done else None,
                    employer_satisfaction=4 if done else None,
                    note=data["placement"]["notes"][month % 2] if done else "",
                    recorded_by=placement.created_by if done else None,
                )
            )
    Placement.objects.bulk_create(placements)
    FollowUp.objects.bulk_create(follow_ups)

    # The employer services' notes (with whom and when), and the trajectories' employer and track: the
    # placed client on the 2nd track; one open trajectory back to the own employer on the 1st track.
    notes = [
        EmployerNote(
            uuid=builder.uuid(),
            employer=employer,
            on=today - dt.timedelta(days=10 + 20 * number),
            contact=next((c for c in contacts if c.employer is employer), None),
            text=text,
            written_by=profiler,
        )
        for employer in employers
        for number, text in enumerate(data["service_notes"][:2])
    ]
    EmployerNote.objects.bulk_create(notes)
    tracks = [
        TrajectoryEmployer(
            uuid=builder.uuid(),
            trajectory=p.trajectory,
            employer=p.job.employer,
            track=Track.SECOND,
            set_by=p.created_by,
        )
        for p in placements
    ]
    placed = {p.trajectory_id for p in placements}
    own = next((t for t in trajectories if t.end_date is None and t.pk not in placed), None)
    if own is not None and employers:
        tracks.append(
            TrajectoryEmployer(
                uuid=builder.uuid(),
                trajectory=own,
                employer=employers[-1],
                track=Track.FIRST,
                set_by=own.responsible,
            )
        )
    TrajectoryEmployer.objects.bulk_create(tracks)
    for placement in placements:
        entries.append(projection.placement_made(placement))
    for follow_up in (f for f in follow_ups if f.done_on):
        entries.append(projection.follow_up_recorded(follow_up, follow_up.placement))
    timeline_append(*entries)
    return {
        "employers": len(employers),
        "jobs": len(jobs),
        "job decisions": len(proposals),
        "consents for one employer": len(consents),
        "placements": len(placements),
        "follow-ups recorded": sum(1 for f in follow_ups if f.done_on),
        "employer links used": len(links),
        "employer services notes": len(notes),
        "trajectories with an employer": len(tracks),
        "clients with availability and strengths": CandidateProfile.objects.filter(
            client__organisation=organisation
        ).count(),
    }


def _candidate_profiles(builder, rows, trajectories: dict) -> list[dict]:
    """The availability and strengths of the clients who got a job decision, in turn written by the client
    in the portal and with the professional; their timeline entries."""
    today = builder.today
    profiles, entries = [], []
    for index, trajectory in enumerate(trajectories.values()):
        row = rows[index % len(rows)]
        by_client = index % 2 == 0
        profile = CandidateProfile(
            uuid=builder.uuid(),
            client=trajectory.client,
            hours_per_week=row["hours"],
            days=list(row["days"]),
            day_parts=list(row["day_parts"]),
            available_from=today + dt.timedelta(days=row["from_days"]),
            travel_km=row["travel_km"],
            travel_means=list(row["travel_means"]),
            availability_note=row["note"],
            strengths=row["strengths"],
            written_by=Writer.CLIENT if by_client else Writer.PROFESSIONAL,
            written_by_user=None if by_client else trajectory.responsible,
            written_at=builder.moment(today - dt.timedelta(days=8 + index % 5)),
        )
        profiles.append(profile)
        entries.append(
            projection.candidate_profile_saved(
                profile, trajectory, "client" if by_client else profile.written_by_user
            )
        )
    CandidateProfile.objects.bulk_create(profiles)
    return entries


def _used_link(builder, job, proposal, made_by, used_on: dt.date) -> EmployerLink:
    """A one-time link the employer used: its token was never kept (only a digest of a random one)."""
    return EmployerLink(
        uuid=builder.uuid(),
        job=job,
        proposal=proposal,
        purpose=LinkPurpose.CANDIDATE if proposal else LinkPurpose.PROFILE,
        token_digest=token_digest(f"{builder.uuid()}{builder.rng.random()}"),
        created_by=made_by,
        expires_at=builder.moment(used_on + dt.timedelta(days=LINK_DAYS - 1)),
        used_at=builder.moment(used_on),
    )


def delete_matching_data(organisation) -> None:
    """Jobs and employers protect each other and the organisation: they go after the trajectories (whose
    decisions and placements cascade)."""
    TrajectoryEmployer.objects.filter(employer__organisation=organisation).delete()
    Placement.objects.filter(job__employer__organisation=organisation).delete()
    Proposal.objects.filter(job__employer__organisation=organisation).delete()
    Job.objects.filter(employer__organisation=organisation).delete()
    Employer.objects.filter(organisation=organisation).delete()
