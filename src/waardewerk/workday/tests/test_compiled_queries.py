"""The start page's queries compiled once (``core.compiled``): each signal's rows and each team count are
what its queryset reads, with the scopes in SQL holding the same trajectories as the policies' querysets."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ActionFactory, OrganisationFactory, TeamFactory, TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.accounts.policies import led_team_ids, led_teams
from waardewerk.clients.models import Consent, ConsentKind, ConsentVia
from waardewerk.core import worksignals
from waardewerk.instruments import worksignals as instrument_signals
from waardewerk.instruments.models import Instrument
from waardewerk.intervision import services as intervision_services
from waardewerk.intervision import worksignals as intervision_signals
from waardewerk.intervision.policies import visible_group_ids
from waardewerk.matching import worksignals as matching_signals
from waardewerk.portal import worksignals as portal_signals
from waardewerk.portal.models import GoalProposal, QuestionnaireRequest
from waardewerk.trajectories import consent_signals
from waardewerk.trajectories import worksignals as trajectory_signals
from waardewerk.trajectories.models import EndReason, PlanVersion, Trajectory
from waardewerk.trajectories.policies import changeable_trajectory_ids
from waardewerk.workday import policies, selectors

ROWS = [
    trajectory_signals.ACTION_ROWS,
    trajectory_signals.PLAN_ROWS,
    trajectory_signals.CONTACT_ROWS,
    consent_signals.CONSENT_ROWS,
    instrument_signals.MEASUREMENT_ROWS,
    portal_signals.PROPOSAL_ROWS,
    portal_signals.RETURNED_ROWS,
    portal_signals.UNFINISHED_ROWS,
    matching_signals.FOLLOW_UP_ROWS,
]


@pytest.fixture
def caseload(professional, team):
    today = timezone.localdate()
    lwc = Instrument.objects.get(key="lwc")
    long_ago = timezone.now() - dt.timedelta(days=20)
    for i in range(4):
        t = TrajectoryFactory(
            responsible=professional,
            client__organisation=professional.organisation,
            team=team,
            start_date=today - dt.timedelta(days=90),
        )
        Trajectory.objects.filter(pk=t.pk).update(measurement_due_on=today + dt.timedelta(days=i - 2))
        ActionFactory(trajectory=t, due_date=today + dt.timedelta(days=i - 2))
        PlanVersion.objects.create(trajectory=t, number=1, content="{}", created_by=professional)
        GoalProposal.objects.create(trajectory=t, text="Een doel")
        QuestionnaireRequest.objects.create(
            trajectory=t, instrument=lwc, requested_by=professional, completed_at=timezone.now()
        )
        asked = QuestionnaireRequest.objects.create(trajectory=t, instrument=lwc, requested_by=professional)
        QuestionnaireRequest.objects.filter(pk=asked.pk).update(created_at=long_ago)
        Consent.objects.create(
            client=t.client,
            kind=ConsentKind.RESEARCH,
            given_at=timezone.now(),
            given_via=ConsentVia.PROFESSIONAL,
            given_recorded_by=professional,
            valid_until=today + dt.timedelta(days=i),
        )
    return today


@pytest.mark.django_db
@pytest.mark.parametrize("query", ROWS, ids=lambda q: q.build.__qualname__)
def test_each_signals_rows_are_its_querysets(caseload, professional, query):
    scope = changeable_trajectory_ids(professional)
    for day in (caseload, caseload + dt.timedelta(days=3)):
        rows = query(day, scope=scope)
        assert rows == list(query.queryset(day, scope=scope))
    assert rows or query in (matching_signals.FOLLOW_UP_ROWS,)


@pytest.mark.django_db
def test_the_team_counts_are_the_querysets(caseload, team_lead, team):
    scope = policies.team_open_trajectory_ids(team_lead)
    sources = [source for source in worksignals.sources() if source.trajectories is not None]
    query = selectors.team_count_query(sources)
    counts = query(caseload, scope=scope)
    assert sorted(counts) == sorted(query.queryset(caseload, scope=scope))
    for source in sources:  # each kind as its own count over the policy's queryset
        expected = (
            source.trajectories(policies.team_open_trajectories(team_lead), caseload).distinct().count()
        )
        assert sum(n for kind, _team, n in counts if kind == source.kind) == expected
    assert {kind for kind, team_id, _n in counts} >= {"actions", "measurements", "plans"}
    assert {team_id for _kind, team_id, _n in counts} == {team.pk}


@pytest.mark.django_db
def test_the_team_scopes_in_sql_are_the_policies(organisation, team, team_lead, professional):
    other_team = TeamFactory(organisation=organisation, name="Werkgeversdienst")
    not_led = TeamFactory(organisation=organisation, name="Schuldhulp")
    team_lead.teams.add(other_team)
    elsewhere = OrganisationFactory(name="Elders")
    foreign_team = TeamFactory(organisation=elsewhere, name="Elders team")
    team_lead.teams.add(foreign_team)  # a membership outside the lead's organisation leads nothing
    for t in (team, other_team, not_led, foreign_team):
        for closed in (False, True):
            TrajectoryFactory(
                responsible=professional,
                client__organisation=t.organisation,
                organisation=t.organisation,
                team=t,
                end_date=timezone.localdate() if closed else None,
                end_reason=EndReason.PAID_WORK if closed else "",
            )
    other_lead = UserFactory(organisation=organisation, role=Role.TEAM_LEAD, username="lead2")
    for actor in (team_lead, professional, other_lead):
        assert set(Trajectory.objects.filter(pk__in=policies.team_open_trajectory_ids(actor))) == set(
            policies.team_open_trajectories(actor)
        )
        assert set(led_teams(actor).model.objects.filter(pk__in=led_team_ids(actor))) == set(led_teams(actor))
    assert Trajectory.objects.filter(pk__in=policies.team_open_trajectory_ids(team_lead)).count() == 2


@pytest.mark.django_db
def test_the_experiments_rows_are_the_querysets(professional, team_lead, functional_admin):
    today = timezone.localdate()
    group = intervision_services.group_create(
        actor=functional_admin, name="OT-groep Noord", members=[professional, team_lead]
    )
    session = intervision_services.session_create(
        actor=professional,
        group=group,
        date=today - dt.timedelta(days=20),
        method_key="incident",
        facilitator=team_lead,
    )
    intervision_services.experiment_add(
        actor=professional, session=session, description="Stiltes", until=today
    )
    query = intervision_signals.EXPERIMENT_ROWS
    for actor in (professional, team_lead):
        values = {"groups": visible_group_ids(actor), "owner": actor.pk}
        assert query(today, **values) == list(query.queryset(today, **values))
    assert len(query(today, groups=visible_group_ids(professional), owner=professional.pk)) == 1
