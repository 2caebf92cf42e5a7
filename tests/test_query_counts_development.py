"""Query budgets of the development pages: constant, whatever the number of activities, registers,
evidence files, goals, progress notes, attended intervision sessions, mentor relations and meetings."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.access_development import evidence_file
from tests.factories import TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.development import services
from waardewerk.intervision import services as intervision_services
from waardewerk.trajectories.models import Evaluation

BUDGET = 16
DAY = dt.date(2026, 1, 6)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


class Grower:
    """The owner's log grows: activities (shared and not, with evidence), goals with progress from several
    sources, intervision sessions, mentees with meetings."""

    def __init__(self, owner, lead, admin):
        self.owner, self.lead, self.admin = owner, lead, admin
        self.round = 0
        self.group = intervision_services.group_create(actor=admin, name="Groep", members=[owner, lead])
        self.mentor = UserFactory(organisation=owner.organisation, role=Role.PROFESSIONAL)
        self.mentorship = services.mentorship_start(actor=owner, mentor=self.mentor, started_on=DAY)
        self.goal = self.activity = None

    def grow(self, n):
        org = self.owner.organisation
        for _ in range(n):
            self.round += 1
            day = DAY + dt.timedelta(days=self.round)
            self.activity = services.activity_create(
                actor=self.owner,
                kind="course",
                title=f"Cursus {self.round}",
                pe_id=f"PE-{self.round}",
                date=day,
                hours=3,
                points=3,
                registers=["registerplein", "skj"],
                evidence=evidence_file(),
                shared_with_mentor=True,
                shared_with_lead=True,
                reflections={"reflection_technical": "Geleerd"},
            )
            trajectory = TrajectoryFactory(responsible=self.owner, client__organisation=org)
            evaluation = Evaluation.objects.create(
                trajectory=trajectory, do_differently="Anders", recorded_by=self.owner
            )
            self.goal = services.goal_create(
                actor=self.owner,
                title=f"Doel {self.round}",
                shared_with_mentor=True,
                shared_with_lead=True,
                sources={
                    "source_activity": self.activity,
                    "source_evaluation": evaluation,
                    "source_review": intervision_services.review_start(
                        actor=self.owner, trajectory=trajectory
                    ),
                },
            )
            services.goal_progress_add(actor=self.owner, goal=self.goal, date=day, note="Stap")
            session = intervision_services.session_create(
                actor=self.owner, group=self.group, date=day, method_key="incident", facilitator=self.lead
            )
            intervision_services.attendance_record(
                actor=self.lead, session=session, statuses={self.owner.pk: "present", self.lead.pk: "present"}
            )
            services.meeting_add(actor=self.owner, mentorship=self.mentorship, date=day, summary="Gesprek")
            mentee = UserFactory(organisation=org, role=Role.PROFESSIONAL)
            services.mentorship_start(actor=mentee, mentor=self.owner)

    def owner_pages(self):
        return [
            reverse("development:log"),
            reverse("development:activity_new"),
            reverse("development:activity", args=[self.activity.uuid]),
            reverse("development:activity_edit", args=[self.activity.uuid]),
            reverse("development:goal_new"),
            reverse("development:goal", args=[self.goal.uuid]),
            reverse("development:goal_edit", args=[self.goal.uuid]),
            reverse("development:goal_progress", args=[self.goal.uuid]),
            reverse("development:export"),
            reverse("development:shared"),
            reverse("development:mentoring"),
            reverse("development:mentorship_new"),
            reverse("development:mentorship", args=[self.mentorship.uuid]),
            reverse("development:mentorship_notes", args=[self.mentorship.uuid]),
            reverse("development:meeting_new", args=[self.mentorship.uuid]),
        ]

    def other_pages(self):
        return [
            reverse("development:shared"),
            reverse("development:activity", args=[self.activity.uuid]),
            reverse("development:goal", args=[self.goal.uuid]),
        ]


@pytest.mark.django_db
def test_owner_pages_use_a_constant_number_of_queries(login, professional, team_lead, functional_admin):
    grower = Grower(professional, team_lead, functional_admin)
    grower.grow(1)
    c = login(professional)
    c.get(reverse("development:log"))  # the first visit adds the attended sessions
    small = [_queries(c, url) for url in grower.owner_pages()]
    grower.grow(5)
    c.get(reverse("development:log"))
    large = [_queries(c, url) for url in grower.owner_pages()]
    assert large == small, list(zip(grower.owner_pages(), small, large, strict=True))
    assert max(large) <= BUDGET, list(zip(grower.owner_pages(), large, strict=True))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["mentor", "lead"])
def test_pages_of_whom_items_are_shared_with_use_a_constant_number_of_queries(
    login, professional, team_lead, functional_admin, who
):
    grower = Grower(professional, team_lead, functional_admin)
    grower.grow(1)
    c = login(grower.mentor if who == "mentor" else team_lead)
    small = [_queries(c, url) for url in grower.other_pages()]
    grower.grow(5)
    large = [_queries(c, url) for url in grower.other_pages()]
    assert large == small, list(zip(grower.other_pages(), small, large, strict=True))
    assert max(large) <= BUDGET
