"""Query budgets of the matching pages: constant whatever the number of employers, contact persons, jobs,
clients in the caseload, measurements and decisions (docs/performance.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from tests.portal_helpers import log_in_client, portal_account
from waardewerk.clients.actor import ClientActor
from waardewerk.matching import services
from waardewerk.trajectories import services as trajectory_services

BUDGET = 22


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


class Grower:
    def __init__(self, professional):
        self.actor = professional
        self.trajectory = TrajectoryFactory(
            responsible=professional, client__organisation=professional.organisation
        )
        make_measurement(self.trajectory, "lwc", lwc_answers(a=5))
        self.round = 0
        self.employer = self.job = None

    def grow(self, n):
        for _ in range(n):
            self.round += 1
            employer = services.employer_create(
                actor=self.actor, name=f"Werkgever {self.round}", kvk_number=f"{10000000 + self.round}"
            )
            services.contact_add(actor=self.actor, employer=employer, name=f"Contact {self.round}")
            services.profile_save(actor=self.actor, target=employer, base_version=1, scores={"income": 4})
            job = services.job_create(
                actor=self.actor, employer=employer, title=f"Functie {self.round}", occupation="0431"
            )
            services.profile_save(actor=self.actor, target=job, base_version=1, scores={"contacts": 2})
            other = TrajectoryFactory(responsible=self.actor, client__organisation=self.actor.organisation)
            make_measurement(other, "lwc", lwc_answers(a=4, income=(5, 1, 1)))
            proposal = services.proposal_decide(
                actor=self.actor, trajectory=self.trajectory, job=job, decision="propose", reason="Past"
            )
            services.proposal_respond(
                actor=ClientActor(self.trajectory.client), proposal=proposal, response="interested"
            )
            trajectory_services.consent_give(
                actor=ClientActor(self.trajectory.client),
                client=self.trajectory.client,
                kind="employer",
                party=employer.uuid,
                party_name=employer.name,
            )
            self.proposal = proposal
            self.employer, self.job = employer, job
            # The client's availability and strengths, changed every round (a timeline entry each time).
            self.availability = services.candidate_profile_save(
                actor=ClientActor(self.trajectory.client),
                trajectory=self.trajectory,
                base_version=self.availability.version if self.round > 1 else None,
                hours_per_week=20 + self.round,
                days=["mon", "wed"],
                travel_means=["bicycle"],
                strengths=f"Ik ben precies ({self.round})",
            )
            self.placement = services.placement_create(
                actor=self.actor,
                trajectory=self.trajectory,
                job=job,
                start_date=self.trajectory.start_date,
                hours=24,
            )
            for follow_up in self.placement.follow_ups.all()[:2]:
                services.follow_up_record(
                    actor=self.actor,
                    follow_up=follow_up,
                    done_on=self.trajectory.start_date,
                    still_working=True,
                    note="Gaat goed",
                )

    def urls(self):
        return [
            reverse("matching:employers"),
            reverse("matching:employer", args=[self.employer.uuid]),
            reverse("matching:job", args=[self.job.uuid]),
            reverse("matching:fit", args=[self.trajectory.uuid]),
            reverse("matching:placement", args=[self.placement.uuid]),
            reverse("matching:placement_new", args=[self.trajectory.uuid]),
            reverse("matching:candidate_profile", args=[self.proposal.uuid]),
            reverse("matching:availability", args=[self.trajectory.uuid]),
        ]


@pytest.mark.django_db
def test_matching_pages_cost_the_same_whatever_the_rows(client, professional):
    grower = Grower(professional)
    grower.grow(1)
    client.force_login(professional)
    before = {url.split("/")[1] + url.split("/")[-2]: _queries(client, url) for url in grower.urls()}
    grower.grow(4)
    after = {url.split("/")[1] + url.split("/")[-2]: _queries(client, url) for url in grower.urls()}
    assert list(before.values()) == list(after.values()), (before, after)
    assert max(after.values()) <= BUDGET, after


@pytest.mark.django_db
def test_the_portal_jobs_pages_cost_the_same_whatever_the_proposals(client, professional):
    grower = Grower(professional)
    grower.grow(1)
    portal_account(grower.trajectory.client)
    log_in_client(client, grower.trajectory.client)
    pages = [reverse("portal:jobs"), reverse("portal:availability")]
    before = [_queries(client, url) for url in pages]
    grower.grow(4)
    assert [_queries(client, url) for url in pages] == before, before
    assert max(before) <= BUDGET, before


@pytest.mark.django_db
def test_the_employer_link_pages_cost_the_same_whatever_the_rows(client, professional):
    """The employer's page behind its link, for a value profile and for a shared candidate profile."""
    from django.test import Client as Browser

    grower = Grower(professional)
    grower.grow(1)
    shared = grower.proposal
    services.proposal_share(actor=professional, proposal=shared)

    def counts():
        _link, profile_token = services.employer_link_create(actor=professional, job=shared.job)
        _link, candidate_token = services.employer_link_create(
            actor=professional, job=shared.job, proposal=shared
        )
        web = Browser()
        return [
            _queries(web, reverse("matching:employer_link", args=[token]))
            for token in (profile_token, candidate_token)
        ]

    before = counts()
    grower.grow(4)
    assert counts() == before, before
    assert max(before) <= 10, before
