"""The dossier's, the trajectory page's and the effect view's queries compiled once (``core.compiled``) give
the instances their querysets give, with the related rows and annotations the pages read, for every kind of
actor: the responsible professional, a substitute, a team lead under emergency access, someone who sees
nothing. On SQLite and PostgreSQL."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    ActionFactory,
    ConversationFactory,
    TrajectoryFactory,
    lwc_answers,
    make_measurement,
)
from waardewerk.accounts.actor import ApplicationActor
from waardewerk.instruments import selectors as instrument_selectors
from waardewerk.pages.trajectory import client_trajectories, section_trajectory, trajectory_queryset
from waardewerk.portal.models import PortalAccount
from waardewerk.timeline.models import TimelineEntry
from waardewerk.timeline.selectors import timeline_entries
from waardewerk.trajectories import policies, services
from waardewerk.trajectories.models import EndReason, Trajectory, TrajectoryAssignment

RELATED = ("client", "responsible", "team", "evaluation")


def _loaded(obj) -> dict | None:
    if obj is None:
        return None
    return {name: value for name, value in vars(obj).items() if name != "_state"}


def _same(made, orm) -> None:
    assert (made is None) == (orm is None)
    if orm is None:
        return
    assert _loaded(made) == _loaded(orm)
    for name in RELATED:
        assert _loaded(getattr(made, name, None)) == _loaded(getattr(orm, name, None)), name


@pytest.fixture
def world(professional, colleague, team_lead, team):
    today = timezone.localdate()
    current = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    earlier = TrajectoryFactory(
        responsible=professional,
        client=current.client,
        team=None,
        start_date=today - dt.timedelta(days=400),
        end_date=today - dt.timedelta(days=200),
        end_reason=EndReason.values[0],
    )
    PortalAccount.objects.create(client=current.client, activated_at=timezone.now())
    ConversationFactory(trajectory=current, date=today)
    ActionFactory(trajectory=current, due_date=today + dt.timedelta(days=3))
    make_measurement(current, "lwc", lwc_answers())
    TrajectoryAssignment.objects.create(
        trajectory=current, user=colleague, kind="substitute", starts_on=today, created_by=professional
    )
    services.emergency_access_open(
        actor=team_lead, trajectory=current, reason="De cliënt belt; niemand anders is ingedeeld vandaag."
    )
    return current, earlier


@pytest.mark.django_db
def test_the_compiled_queries_give_the_querysets_instances(
    world, professional, colleague, team_lead, functional_admin
):
    current, earlier = world
    client = current.client.uuid
    for actor in (professional, colleague, team_lead, functional_admin, professional):
        orm = list(trajectory_queryset(actor).filter(client__uuid=client).order_by("-start_date", "-id"))
        made = client_trajectories(actor, client)
        assert [t.pk for t in made] == [t.pk for t in orm]
        for one, other in zip(made, orm, strict=True):
            _same(one, other)
            assert _loaded(getattr(one.client, "portal_account", None)) == _loaded(
                getattr(other.client, "portal_account", None)
            )
        for trajectory in (current, earlier):
            _same(
                section_trajectory(actor)(trajectory.uuid),
                trajectory_queryset(actor).filter(uuid=trajectory.uuid).first(),
            )
            effect_orm = (
                policies.visible_trajectories(actor)
                .select_related("client")
                .defer("question", "end_note", "client__bsn")
                .filter(uuid=trajectory.uuid)
                .first()
            )
            effect_made = instrument_selectors.effect_trajectory(actor)(trajectory.uuid)
            assert _loaded(effect_made) == _loaded(effect_orm)
            assert _loaded(effect_made and effect_made.client) == _loaded(effect_orm and effect_orm.client)
        assert section_trajectory(actor)(uuid.uuid4()) is None
    assert [t.pk for t in client_trajectories(professional, client)] == [current.pk, earlier.pk]
    assert [t.works_on for t in client_trajectories(team_lead, client)] == [False]
    assert client_trajectories(functional_admin, client) == []
    # One query each, with the related rows and the annotations.
    with CaptureQueriesContext(connection) as ctx:
        found = section_trajectory(professional)(current.uuid)
        assert found.client.portal_account.activated_at and found.team.pk and found.works_on
        assert found.measurement_rows and found.action_rows and found.plan_row is None
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_the_timeline_and_the_measurements_are_the_querysets(world):
    current, _earlier = world
    everything = timeline_entries(current)
    assert [e.id for e in everything] == list(
        TimelineEntry.objects.filter(trajectory=current)
        .order_by("-occurred_at", "-id")
        .values_list("id", flat=True)
    )
    conversations = timeline_entries(current, "conversation")
    assert conversations and {e.kind for e in conversations} == {"conversation"}
    assert [e.id for e in timeline_entries(current, "nonsense")] == [e.id for e in everything]  # no filter
    sets = instrument_selectors.trajectory_measurement_sets(current)
    assert [m.pk for m in sets.submitted] == [m.pk for m in current.measurements.order_by("taken_on")]
    assert sets.submitted[0].instrument.key == "lwc"


@pytest.mark.django_db
def test_an_applications_scope_is_its_organisations_trajectories(world, organisation):
    current, earlier = world
    TrajectoryFactory()  # another organisation's
    for scopes, expected in ((set(), []), ({"trajectories:read"}, [current.pk, earlier.pk])):
        application = ApplicationActor(
            application=None, organisation_id=organisation.pk, scopes=frozenset(scopes)
        )
        ids = Trajectory.objects.filter(pk__in=policies.visible_trajectory_ids(application))
        assert sorted(ids.values_list("pk", flat=True)) == sorted(
            policies.visible_trajectories(application).values_list("pk", flat=True)
        )
        assert sorted(ids.values_list("pk", flat=True)) == sorted(expected)
        assert [t.pk for t in client_trajectories(application, current.client.uuid)] == expected
