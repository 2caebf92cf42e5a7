"""Query budget of the start page ("Vandaag"): a fixed number of queries whatever the caseload's size and
however many signals it has (docs/workday.md)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, TrajectoryFactory
from waardewerk.agenda.models import Appointment
from waardewerk.instruments.models import Instrument
from waardewerk.portal.models import GoalProposal, QuestionnaireRequest
from waardewerk.trajectories.models import PlanVersion, Trajectory
from waardewerk.workday.models import HandledSignal

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")
# The session, the user, the handled marks, one query per kind of signal (10), the week's appointments, and
# the access log's write of the reads (2; on PostgreSQL 3, with the advisory lock): the actor's scope is
# built once and shared by every kind, as a subquery of each kind's query (no query of its own). A team
# lead adds the teams and the counts of every kind that is about trajectories (one query).
BUDGET = 2 + 1 + 10 + 1 + 2 + (connection.vendor == "postgresql")
TEAM_BUDGET = BUDGET + 1 + 1


def _statements(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))


def _fill(person, team, n):
    """``n`` trajectories, each with every kind of signal about a trajectory; one in three marked handled."""
    today = timezone.localdate()
    lwc = Instrument.objects.get(key="lwc")
    for i in range(n):
        t = TrajectoryFactory(responsible=person, client__organisation=person.organisation, team=team)
        Trajectory.objects.filter(pk=t.pk).update(measurement_due_on=today)
        action = ActionFactory(trajectory=t, due_date=today - dt.timedelta(days=1))
        PlanVersion.objects.create(trajectory=t, number=1, content="{}", created_by=person)
        GoalProposal.objects.create(trajectory=t, text="Een doel")
        QuestionnaireRequest.objects.create(
            trajectory=t, instrument=lwc, requested_by=person, completed_at=timezone.now()
        )
        if i % 3 == 0:
            HandledSignal.objects.create(user=person, kind="actions", key=f"{action.uuid}:{action.due_date}")
            # An appointment today with the client (the page lists it, with the client's name).
            Appointment.objects.create(
                organisation=person.organisation,
                owner=person,
                created_by=person,
                trajectory=t,
                kind="conversation",
                starts_at=timezone.now(),
                duration=30,
                channel="phone",
            )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["professional", "team_lead"])
def test_start_page_query_count_is_constant(request, login, team, role):
    person = request.getfixturevalue(role)
    c = login(person)
    url = reverse("workday:today")
    _fill(person, team, 2)
    small = _statements(c, url)
    _fill(person, team, 25)
    large = _statements(c, url)
    budget = TEAM_BUDGET if role == "team_lead" else BUDGET
    assert small == large <= budget, f"the start page uses {large} queries"


@pytest.mark.django_db
def test_team_leads_counts_do_not_grow_with_the_teams_caseload(login, team, team_lead, professional):
    """The counts per team come from one query per kind of signal, however many trajectories the team's
    professionals have; the page shows the counts (no names of the professional's clients)."""
    c = login(team_lead)
    url = reverse("workday:today")
    _fill(professional, team, 2)
    small = _statements(c, url)
    _fill(professional, team, 25)
    large = _statements(c, url)
    assert small == large <= TEAM_BUDGET, f"the team lead's start page uses {large} queries"
    page = c.get(url).content.decode()
    assert '<td class="utrecht-table__cell utrecht-table__cell--numeric-data">27</td>' in page
    client = Trajectory.objects.filter(responsible=professional).select_related("client").first().client
    assert client.last_name not in page
