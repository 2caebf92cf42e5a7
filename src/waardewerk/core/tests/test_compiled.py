"""``core.compiled.CompiledQuery``: the rows of the compiled SQL are the queryset's rows, with each call's
values, on SQLite and PostgreSQL; compiled once per form."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ActionFactory, ConversationFactory, TrajectoryFactory
from waardewerk.core import compiled as compiled_module
from waardewerk.core import sql
from waardewerk.core.compiled import CompiledQuery
from waardewerk.trajectories.models import Action, Conversation, Trajectory


def _actions(scope, due, status, since):
    """Dates, text, a moment, a scope in SQL, joins, a correlated subquery and a limit."""
    last = Conversation.objects.filter(trajectory=OuterRef("trajectory_id")).order_by("-date")
    return (
        Action.objects.filter(
            trajectory_id__in=scope, due_date__lte=due, status=status, created_at__gte=since
        )
        .annotate(last_conversation=Subquery(last.values("date")[:1]))
        .order_by("due_date", "id")
        .values(
            "uuid",
            "due_date",
            "created_at",
            "last_conversation",
            "trajectory__uuid",
            "trajectory__client__uuid",
            "trajectory__client__last_name",
        )[:50]
    )


def _scope(person):
    return sql.ids("SELECT id FROM trajectories_trajectory WHERE responsible_id = %s", [person.pk])


@pytest.fixture
def caseload(professional, team):
    today = timezone.localdate()
    for i in range(3):
        t = TrajectoryFactory(
            responsible=professional, client__organisation=professional.organisation, team=team
        )
        ConversationFactory(trajectory=t, date=today - dt.timedelta(days=i))
        for days in (-3, 2, 20):
            ActionFactory(trajectory=t, due_date=today + dt.timedelta(days=days))
    return today


@pytest.mark.django_db
def test_rows_are_the_querysets_rows_with_each_calls_values(caseload, professional, team_lead, monkeypatch):
    query = CompiledQuery(_actions)
    compiles = []
    original = compiled_module._Compiled.__init__
    monkeypatch.setattr(
        compiled_module._Compiled, "__init__", lambda self, *a: (compiles.append(1), original(self, *a))[1]
    )
    since = timezone.now() - dt.timedelta(days=1)
    for person, days in ((professional, 0), (professional, 5), (team_lead, 5), (professional, 30)):
        values = {"scope": _scope(person), "due": caseload + dt.timedelta(days=days), "status": "open"}
        rows = query(**values, since=since)
        assert rows == list(query.queryset(**values, since=since))
        assert all(isinstance(row["trajectory__client__uuid"], type(row["uuid"])) for row in rows)
    assert len(rows) == 9 and isinstance(rows[0]["created_at"], dt.datetime)
    assert compiles == [1], "one form for every call with the same kinds of values"


@pytest.mark.django_db
def test_one_query_per_call(caseload, professional):
    query = CompiledQuery(_actions)
    values = {"scope": _scope(professional), "due": caseload, "status": "open", "since": timezone.now()}
    query(**values)
    with CaptureQueriesContext(connection) as ctx:
        query(**values)
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_values_list_grouped_counts_and_fixed_values(caseload, professional, team):
    def counts(day, *, team_id):
        return (
            Trajectory.objects.filter(team_id=team_id, actions__due_date__lte=day)
            .order_by()
            .values_list("team_id")
            .annotate(n=Count("pk", distinct=True))
        )

    query = CompiledQuery(counts, rows="tuples")
    for day in (caseload, caseload + dt.timedelta(days=10)):
        assert query(day, team_id=team.pk) == list(query.queryset(day, team_id=team.pk)) == [(team.pk, 3)]
    flat = CompiledQuery(
        lambda *, day: Action.objects.filter(due_date__lte=day).values_list("due_date", flat=True),
        rows="flat",
    )
    assert (
        sorted(flat(day=caseload))
        == sorted(flat.queryset(day=caseload))
        == [caseload - dt.timedelta(days=3)] * 3
    )


@pytest.mark.django_db
def test_none_a_queryset_and_an_empty_scope_run_as_the_orm_does(caseload, professional):
    query = CompiledQuery(
        lambda *, scope, due: Action.objects.filter(trajectory_id__in=scope, completed_on=due).values("uuid")
    )
    scope = Trajectory.objects.filter(responsible=professional).values("pk")
    assert len(query(scope=scope, due=None)) == 9  # IS NULL, not "= NULL"
    assert query(scope=[], due=caseload) == []
    assert query(scope=_scope(professional), due=None) == list(
        query.queryset(scope=_scope(professional), due=None)
    )


def test_a_queryset_other_than_values_is_refused():
    with pytest.raises(TypeError):
        compiled_module._Compiled(Action.objects.all(), "default", "dicts")
    with pytest.raises(TypeError):
        compiled_module._Compiled(Action.objects.values("pk"), "default", "objects")


@pytest.mark.django_db
def test_a_changed_setting_compiles_anew(caseload, professional, settings):
    query = CompiledQuery(
        lambda day: Action.objects.filter(
            due_date__lte=day + dt.timedelta(days=settings.WW_TEST_DAYS)
        ).values("pk")
    )
    settings.WW_TEST_DAYS = 0
    assert len(query(caseload)) == 3
    settings.WW_TEST_DAYS = 5
    assert len(query(caseload)) == 6 == len(query.queryset(caseload))


def test_the_rows_are_one_of_the_querysets_shapes():
    with pytest.raises(ValueError, match="rows"):
        CompiledQuery(lambda: Action.objects.values("pk"), rows="instances")


def _loaded(obj) -> dict:
    """An instance's loaded columns and attributes (annotations), without its state."""
    return {name: value for name, value in vars(obj).items() if name != "_state"}


def _trajectories(*, scope, since, key=None):
    """Model instances: joined rows (one of them missing: a trajectory without a team, a client without a
    portal account), deferred columns, annotations with values, a scope in SQL."""
    last = Conversation.objects.filter(trajectory=OuterRef("pk")).order_by("-date")
    trajectories = (
        Trajectory.objects.filter(pk__in=scope)
        .select_related("client__portal_account", "responsible", "team")
        .defer("question", "client__bsn")
        .annotate(
            last_conversation=Subquery(last.values("date")[:1]),
            recent=sql.exists(
                "SELECT 1 FROM trajectories_conversation WHERE trajectory_id = {outer}.id AND date >= %s",
                [since],
            ),
        )
        .order_by("-id")
    )
    return trajectories.filter(uuid=key) if key is not None else trajectories


@pytest.mark.django_db
def test_model_instances_are_the_querysets_instances(caseload, professional, team_lead):
    TrajectoryFactory(responsible=professional, client__organisation=professional.organisation, team=None)
    query = CompiledQuery(_trajectories, rows="objects")
    for person, days in ((professional, 1), (professional, 10), (team_lead, 1)):
        values = {"scope": _scope(person), "since": caseload - dt.timedelta(days=days)}
        expected = list(query.queryset(**values))
        with CaptureQueriesContext(connection) as ctx:
            found = query(**values)
            assert [_loaded(t) for t in found] == [_loaded(t) for t in expected]
            for made, orm in zip(found, expected, strict=True):
                assert made._state.db == orm._state.db and not made._state.adding
                assert _loaded(made.client) == _loaded(orm.client)
                assert _loaded(made.responsible) == _loaded(orm.responsible)
                assert (made.team and _loaded(made.team)) == (orm.team and _loaded(orm.team))
                # no portal account: known to be missing, as the ORM knows it (no query)
                assert not hasattr(made.client, "portal_account")
        assert len(ctx.captured_queries) == 1, "the joined rows and the annotations come with the rows"
    values = {"scope": _scope(professional), "since": caseload}
    found = query(**values)
    assert len(found) == 4 and any(t.team is None for t in found)
    assert {t.recent for t in found} == {True, False}
    key_values = values | {"key": found[1].uuid}
    assert [_loaded(t) for t in query(**key_values)] == [_loaded(t) for t in query.queryset(**key_values)]
    with CaptureQueriesContext(connection) as ctx:
        made = query(**key_values)[0]
        assert made.question == Trajectory.objects.get(pk=made.pk).question  # deferred: read when asked
    assert len(ctx.captured_queries) == 3
