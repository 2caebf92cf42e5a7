"""``waardewerk generate``: deterministic, plausible, valid data at scale (small N here)."""

import datetime as dt
import hashlib
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from tests.factories import ClientFactory
from waardewerk.accounts.models import Organisation, Role, Team, User
from waardewerk.audit import services as audit
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.models import Client, Consent, ConsentKind
from waardewerk.clients.validators import bsn_is_valid
from waardewerk.core import crypto
from waardewerk.core.text import fold
from waardewerk.instruments.models import Measurement
from waardewerk.instruments.services import refresh_due
from waardewerk.intervision.models import Experiment, IntervisionGroup, IntervisionSession
from waardewerk.sampledata.bulk import indexes_deferred
from waardewerk.sampledata.generate import GenerateError, Generator
from waardewerk.sampledata.tests import checks
from waardewerk.trajectories.models import (
    Action,
    ActionStatus,
    Adjustment,
    Conversation,
    Evaluation,
    Handover,
    Phase,
    PhaseChange,
    PlanAgreement,
    PlanVersion,
    ProgressNote,
    Trajectory,
    TrajectoryAssignment,
)
from waardewerk.trajectories.plan import PlanContent
from waardewerk.trajectories.services import plan_vocabulary

TODAY = dt.date(2026, 3, 2)

# Key columns per model; the encrypted ones are compared as plaintext.
DIGEST_COLUMNS = {
    Organisation: ("uuid", "name", "kind"),
    Team: ("uuid", "name", "organisation__uuid"),
    User: ("uuid", "username", "first_name", "last_name", "role", "profession", "date_joined"),
    Client: (
        "uuid",
        "first_name",
        "infix",
        "last_name",
        "date_of_birth",
        "bsn",
        "email",
        "street",
        "created_at",
    ),
    Trajectory: (
        "uuid",
        "client__uuid",
        "responsible__username",
        "context",
        "phase",
        "phase_since",
        "start_date",
        "end_date",
        "end_reason",
        "question",
        "end_note",
    ),
    PhaseChange: ("uuid", "trajectory__uuid", "from_phase", "to_phase", "changed_at", "reason"),
    Conversation: ("uuid", "trajectory__uuid", "date", "mode", "phase", "summary", "recorded_by__username"),
    Action: ("uuid", "trajectory__uuid", "description", "owner", "agreed_on", "due_date", "status"),
    TrajectoryAssignment: ("uuid", "trajectory__uuid", "user__username", "kind", "starts_on", "ends_on"),
    Handover: ("uuid", "trajectory__uuid", "from_user__username", "to_user__username", "reason"),
    PlanVersion: ("uuid", "trajectory__uuid", "number", "content", "reason"),
    Measurement: (
        "uuid",
        "trajectory__uuid",
        "instrument__key",
        "respondent",
        "taken_on",
        "answers",
        "score",
        "notes",
    ),
    Consent: ("uuid", "client__uuid", "kind", "given_at", "given_via", "withdrawn_at"),
    IntervisionGroup: ("uuid", "organisation__uuid", "name"),
    IntervisionSession: ("uuid", "group__uuid", "date", "facilitator__username", "core_question", "choice"),
    Experiment: ("uuid", "session__uuid", "owner__username", "trajectory__uuid", "description", "learned"),
    AccessEvent: ("at", "actor_username", "client_uuid", "object_uuid", "action", "detail", "hash"),
}


def digest() -> str:
    h = hashlib.sha256()
    for model, columns in DIGEST_COLUMNS.items():
        for row in model.objects.order_by("id").values_list(*columns):
            h.update(repr(row).encode())
    return h.hexdigest()


class Rollback(Exception):
    pass


def generated_digest(**kwargs) -> str:
    """Generate, take the digest, and roll everything back (the access log included)."""
    result = {}
    with pytest.raises(Rollback), transaction.atomic():
        Generator(today=TODAY, **kwargs).run()
        result["digest"] = digest()
        raise Rollback
    return result["digest"]


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = generated_digest(clients=120, seed=7)
    assert generated_digest(clients=120, seed=7) == first
    assert generated_digest(clients=120, seed=8) != first


@pytest.fixture
def generated(db):
    return Generator(clients=600, seed=3, today=TODAY).run()


@pytest.mark.django_db
def test_proportions_resemble_practice(generated):
    clients = Client.objects.count()
    assert clients == 600 == generated.counts["clients_client"]
    professionals = User.objects.filter(role=Role.PROFESSIONAL).count()
    assert 8 <= professionals <= 12  # about one per 60 clients
    assert User.objects.filter(role=Role.TEAM_LEAD).count() == Team.objects.count() >= 1
    assert User.objects.filter(role=Role.FUNCTIONAL_ADMIN).count() == Organisation.objects.count() == 1

    trajectories = Trajectory.objects.count()
    assert 1.1 <= trajectories / clients <= 1.3
    open_trajectories = Trajectory.objects.filter(end_date__isnull=True)
    assert 0.7 <= open_trajectories.count() / clients <= 0.9
    assert set(open_trajectories.values_list("phase", flat=True)) == set(Phase.values)
    assert len(set(Trajectory.objects.values_list("context", flat=True))) >= 4
    assert not Trajectory.objects.filter(end_date__isnull=False, end_reason="").exists()
    assert not Action.objects.filter(trajectory__end_date__isnull=False, status=ActionStatus.OPEN).exists()

    per_trajectory = Counter(Conversation.objects.values_list("trajectory_id", flat=True))
    assert len(per_trajectory) == trajectories
    assert 2 <= min(per_trajectory.values()) and max(per_trajectory.values()) <= 12
    assert 5 <= sum(per_trajectory.values()) / trajectories <= 10
    actions = Counter(Action.objects.values_list("trajectory_id", flat=True))
    assert 2 <= min(actions.values()) and max(actions.values()) <= 8
    assert PhaseChange.objects.filter(from_phase="").count() == trajectories  # each starts with one

    caseloads = Counter(
        open_trajectories.filter(responsible__role=Role.PROFESSIONAL).values_list("responsible_id", flat=True)
    )
    assert 35 <= sum(caseloads.values()) / len(caseloads) <= 65

    assert 20 <= AccessEvent.objects.count() / clients <= 80  # dozens per client
    last_activity = dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC)
    assert not AccessEvent.objects.filter(at__gte=last_activity).exists()
    assert not Conversation.objects.filter(date__gte=TODAY).exists()


@pytest.mark.django_db
def test_measurements_over_time_for_every_instrument_scored_by_the_instruments_app(generated):
    measurements = Measurement.objects.all()
    assert (
        set(measurements.values_list("instrument__key", "respondent").distinct()) == checks.expected_pairs()
    )
    per_trajectory = Counter(measurements.values_list("trajectory_id", flat=True))
    assert 4 <= sum(per_trajectory.values()) / len(per_trajectory) <= 30  # several per trajectory
    for m in measurements.select_related("trajectory").order_by("id")[:300]:
        assert m.status == "submitted"
        assert m.trajectory.start_date <= m.taken_on < TODAY
    checks.check_histories()
    corrected = measurements.filter(corrects__isnull=False).select_related("corrects")
    assert corrected.exists()
    assert all(c.answers != c.corrects.answers and c.correction_reason for c in corrected)
    open_measured = Trajectory.objects.filter(end_date__isnull=True, measurements__isnull=False).distinct()
    assert not open_measured.filter(measurement_due_on__isnull=True).exists()
    # the same due date as the instruments app computes
    expected = dict(open_measured.values_list("id", "measurement_due_on"))
    refresh_due(Trajectory.objects.filter(id__in=expected))
    assert dict(open_measured.values_list("id", "measurement_due_on")) == expected


@pytest.mark.django_db
def test_the_cycle_plans_notes_adjustments_and_evaluations(generated):
    past_intake = Trajectory.objects.exclude(phase=Phase.INTAKE).filter(end_date__isnull=True)
    with_plan = past_intake.filter(plan_versions__number=1).distinct()
    assert with_plan.count() == past_intake.count()
    assert not Trajectory.objects.filter(
        phase=Phase.INTAKE, end_date__isnull=True, plan_versions__isnull=False
    )
    values, determinants = plan_vocabulary()
    for plan in PlanVersion.objects.filter(number=1)[:50]:
        content = PlanContent.from_json(plan.content)
        assert len(content.goals) == 2 and len(content.choices) == 2
        for goal in content.goals:  # the goals serve work values and determinants the instruments define
            assert set(goal.values) <= set(values) and set(goal.determinants) <= set(determinants)
        assert content.goals[0].values and all(goal.determinants for goal in content.goals)
    assert PlanAgreement.objects.count() >= 0.7 * PlanVersion.objects.filter(number=1).count()
    assert ProgressNote.objects.exists() and Adjustment.objects.exists() and Evaluation.objects.exists()
    assert PlanVersion.objects.filter(number=2).count() == Adjustment.objects.count()
    assert Conversation.objects.exclude(topics=[]).exists()
    assert not Conversation.objects.filter(participants=[]).exists()


@pytest.mark.django_db
def test_the_timeline_is_written_as_the_services_write_it(generated):
    """Every generated row has its entry, and the entries are those the data migrations build from the same
    rows; only the generator knows who marked an action done and who closed a trajectory."""

    from waardewerk.sampledata.timeline import backfill
    from waardewerk.timeline.models import TimelineEntry

    checks.check_timeline()

    def snapshot():
        fields = ("event", "source_id", "kind", "occurred_at", "actor_label", "data", "summary")
        rows = TimelineEntry.objects.filter(trajectory__in=sample).values_list(*fields, "actor_id")
        return {row[:2]: (*row[2:6], json.loads(row[6] or "{}"), row[7]) for row in rows}

    sample = list(Trajectory.objects.order_by("id").values_list("id", flat=True)[:150])
    written = snapshot()
    TimelineEntry.objects.filter(trajectory__in=sample).delete()
    backfill(sample)
    built = snapshot()
    assert set(built) == set(written)
    for key, entry in written.items():
        unknown_actor = key[0] in ("action_done", "closed") and built[key][-1] is None
        assert built[key][:-1] == entry[:-1] and (unknown_actor or built[key][-1] == entry[-1]), key


@pytest.mark.django_db
def test_people_are_adults_and_bsns_valid_and_unique(generated):
    bsns = [c.bsn for c in Client.objects.exclude(bsn="")]
    assert 0.6 <= len(bsns) / 600 <= 0.8
    assert all(bsn_is_valid(b) for b in bsns)
    assert len(set(bsns)) == len(bsns)
    # The searchable index of the BSN is filled too, so an identity provider's log-in finds the client.
    some = Client.objects.exclude(bsn="").first()
    assert Client.objects.get(bsn_index=crypto.blind_index(some.bsn)) == some
    # The folded name for the search box is filled by the bulk insert as well.
    assert all(c.search_name == fold(c.full_name) for c in Client.objects.all()[:50])
    for trajectory in Trajectory.objects.select_related("client"):
        born = trajectory.client.date_of_birth
        assert (trajectory.start_date - born).days >= 18 * 365
    assert len(set(User.objects.values_list("username", flat=True))) == User.objects.count()


@pytest.mark.django_db
def test_research_consents_for_about_a_third_some_withdrawn_and_never_before_registration(generated):
    consents = list(Consent.objects.select_related("client"))
    assert {c.kind for c in consents} == {ConsentKind.RESEARCH}
    share = len(consents) / Client.objects.count()
    assert 0.28 < share < 0.42
    withdrawn = [c for c in consents if c.withdrawn_at is not None]
    assert 0 < len(withdrawn) < len(consents) * 0.2
    for consent in consents:
        assert consent.given_at >= consent.client.created_at
        assert consent.withdrawn_at is None or consent.withdrawn_at > consent.given_at
    # At most one open grant per client (the database's own rule held during the load).
    open_per_client = Counter(c.client_id for c in consents if c.withdrawn_at is None)
    assert max(open_per_client.values()) == 1


@pytest.mark.django_db
def test_every_team_meets_as_an_ot_groep_with_experiments_reflected_on_at_the_next_session(generated):
    teams = Team.objects.count()
    groups = list(IntervisionGroup.objects.prefetch_related("members"))
    assert len(groups) == teams
    for group in groups:
        team = Team.objects.get(organisation=group.organisation, name=group.name.removeprefix("OT-groep "))
        team_members = set(team.members.values_list("pk", flat=True))
        assert {m.pk for m in group.members.all()} == team_members
        sessions = list(IntervisionSession.objects.filter(group=group).order_by("date"))
        assert len(sessions) == 8
        assert all(s.date < TODAY for s in sessions)
        members = {m.pk for m in group.members.all()}
        assert {s.facilitator_id for s in sessions} <= members
        experiments = Experiment.objects.filter(session__group=group)
        for experiment in experiments:
            assert experiment.owner_id in members
            if experiment.trajectory_id:
                assert experiment.trajectory.responsible_id == experiment.owner_id
            if experiment.session_id == sessions[-1].pk:
                assert experiment.reflection_session_id is None and not experiment.learned
            else:
                assert experiment.reflection_session.date > experiment.session.date and experiment.learned


@pytest.mark.django_db
def test_access_log_chain_continues_and_verifies():
    audit.audit_record(actor=None, action="export", object_type="audit_log")  # an existing chain
    Generator(clients=80, seed=1, today=TODAY).run()
    assert AccessEvent.objects.count() > 80 * 20
    assert audit.verify() == []
    ordered = list(AccessEvent.objects.order_by("id").values_list("at", flat=True)[1:])
    assert ordered == sorted(ordered)  # generated rows are in time order


@pytest.mark.django_db
def test_refuses_a_database_with_clients_unless_appending():
    ClientFactory()
    with pytest.raises(GenerateError, match="already holds 1 clients"):
        Generator(clients=10, seed=1, today=TODAY).run()
    Generator(clients=60, seed=1, today=TODAY, append=True).run()
    Generator(clients=60, seed=1, today=TODAY, append=True).run()  # the same seed again: no clashes
    assert Client.objects.count() == 121
    bsns = [c.bsn for c in Client.objects.exclude(bsn="")]
    assert len(set(bsns)) == len(bsns)
    assert Client.objects.values("uuid").distinct().count() == 121
    assert audit.verify() == []


@pytest.mark.django_db
def test_command_prints_rows_per_table_and_refuses_politely():
    out = StringIO()
    call_command("generate", "--clients", "30", "--seed", "2", "--today", "2026-03-02", stdout=out)
    text = out.getvalue()
    assert "trajectories_conversation" in text and "audit_accessevent" in text
    assert "Generated 30 clients" in text
    with pytest.raises(CommandError, match="--append"):
        call_command("generate", "--clients", "30", stdout=StringIO())


@pytest.mark.django_db
def test_deferred_indexes_come_back_exactly_as_they_were():
    def definitions():
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'audit_accessevent'")
                return sorted(cursor.fetchall()), None
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_accessevent'")
            indexes = sorted(cursor.fetchall())
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'audit_accessevent'::regclass"
            )
            return indexes, sorted(cursor.fetchall())

    before = definitions()
    with indexes_deferred(connection, AccessEvent, rows=10, minimum=1):
        left = [name for name, _sql in definitions()[0]]
        # only the primary key (PostgreSQL) or the table with its UNIQUE autoindex (SQLite) is left
        assert not [name for name in left if name.startswith("audit_") and name.endswith("_idx")]
        audit.audit_record(actor=None, action="export", object_type="audit_log")
    assert definitions() == before
    assert audit.verify() == []
