"""The timeline is a projection: the services append an entry per change, in the same transaction, and the
data migrations build the same entries from rows written before the timeline existed."""

import datetime as dt
from importlib import import_module

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, ClientFactory, TrajectoryFactory, igm_answers, lwc_answers
from waardewerk.clients.actor import ClientActor
from waardewerk.instruments import services as instrument_services
from waardewerk.portal import services as portal_services
from waardewerk.timeline.models import EVENTS, TimelineEntry
from waardewerk.timeline.services import moment
from waardewerk.trajectories import services
from waardewerk.trajectories.models import Action

GOAL = {"key": "", "text": "Weer werken in de zorg", "values": [], "determinants": [], "status": "active"}
BACKFILLS = (
    "waardewerk.trajectories.migrations.0009_timeline_backfill",
    "waardewerk.instruments.migrations.0004_timeline_backfill",
    "waardewerk.portal.migrations.0002_timeline_backfill",
)


def _measure(actor, trajectory, key, answers, respondent="professional"):
    version = instrument_services.current_version(key)
    return instrument_services.measurement_save(
        actor=actor,
        trajectory=trajectory,
        version=version,
        respondent=respondent,
        framing=(version.definition["framings"] or [{"key": ""}])[0]["key"],
        taken_on=timezone.localdate() - dt.timedelta(days=1),
        answers=answers,
        submit=True,
    )


def _history(professional, colleague, client):
    """A trajectory that went through everything the timeline shows, each step through its service."""
    today = timezone.localdate()
    trajectory = services.trajectory_start(
        actor=professional,
        client=client,
        context="participation_act",
        responsible=professional,
        start_date=today - dt.timedelta(days=30),
        question="Weer aan het werk",
    )
    services.trajectory_change_phase(
        actor=professional, trajectory=trajectory, to_phase="plan", reason="Samen het plan maken", version=1
    )
    services.conversation_record(
        actor=professional,
        trajectory=trajectory,
        date=today - dt.timedelta(days=3),
        mode="phone",
        summary="Over wat werk waardevol maakt.",
        agreements=[{"description": "CV bijwerken", "owner": "client", "due_date": today}],
    )
    action = services.action_create(
        actor=professional,
        trajectory=trajectory,
        description="Werkgever bellen",
        owner="professional",
        due_date=today,
    )
    services.action_set_status(actor=professional, action=action, status="done")
    own = Action.objects.get(description="CV bijwerken")
    services.action_complete_by_client(actor=ClientActor(trajectory.client), action=own)
    version = services.plan_save(
        actor=professional, trajectory=trajectory, goals=[GOAL], choices=[], reason="", base_number=0
    )
    services.plan_agree(
        actor=professional,
        trajectory=trajectory,
        version=version,
        agreed_on=today,
        method="signed",
        note="Akkoord",
    )
    services.progress_note_add(actor=professional, trajectory=trajectory, date=today, text="Stage loopt")
    services.adjustment_record(
        actor=professional,
        trajectory=trajectory,
        date=today,
        prompted_by="event",
        event="Verhuisd",
        reason="Reistijd",
        change="Andere werkplek",
    )
    lwc = _measure(professional, trajectory, "lwc", lwc_answers(), respondent="client")
    instrument_services.measurement_correct(
        actor=professional,
        original=lwc,
        taken_on=lwc.taken_on,
        answers=lwc_answers(a=5),
        notes={},
        reason="Verkeerd ingevuld",
    )
    _measure(professional, trajectory, "igm", igm_answers(), respondent="client")
    client = ClientActor(trajectory.client)
    proposal = portal_services.goal_propose(actor=client, trajectory=trajectory, text="Met ouderen werken")
    portal_services.goal_proposal_accept(actor=professional, proposal=proposal)
    declined = portal_services.goal_propose(actor=client, trajectory=trajectory, text="Eerst rust")
    portal_services.goal_proposal_decline(actor=professional, proposal=declined, reason="Nog even niet")
    request = portal_services.questionnaire_request(actor=professional, trajectory=trajectory, key="lwc")
    portal_services.questionnaire_cancel(actor=professional, request=request)
    consent = portal_services.consent_give(actor=client, client=trajectory.client, kind="research")
    portal_services.consent_withdraw(actor=professional, consent=consent)
    assignment = services.assignment_add(
        actor=professional,
        trajectory=trajectory,
        user=colleague,
        kind="substitute",
        starts_on=today,
        ends_on=None,
    )
    services.assignment_end(actor=professional, assignment=assignment)
    services.evaluation_save(
        actor=professional, trajectory=trajectory, version=None, client_evaluation="Goed"
    )
    evaluation = trajectory.evaluation
    services.evaluation_save(
        actor=professional, trajectory=trajectory, version=evaluation.version, client_evaluation="Heel goed"
    )
    trajectory.refresh_from_db()
    services.trajectory_transfer(
        actor=professional,
        trajectory=trajectory,
        responsible=colleague,
        reason="Verlof",
        version=trajectory.version,
    )
    trajectory.refresh_from_db()
    services.trajectory_close(
        actor=colleague,
        trajectory=trajectory,
        end_date=today,
        end_reason="paid_work",
        note="Aan het werk",
        version=trajectory.version,
    )
    return trajectory


@pytest.fixture
def history(professional, colleague):
    client = ClientFactory(organisation=professional.organisation, created_by=professional)
    return _history(professional, colleague, client)


def _snapshot(trajectory):
    return {
        (e.event, e.source_id): {
            "kind": e.kind,
            "at": e.occurred_at,
            "actor": e.actor_id,
            "label": e.actor_label,
            "data": e.data,
            "texts": e.texts,
            "source_type": e.source_type,
        }
        for e in TimelineEntry.objects.filter(trajectory=trajectory)
    }


def _run_backfill_migrations():
    """The data migrations' own functions, with the historical models they run with."""
    executor = MigrationExecutor(connection)
    for path in BACKFILLS:
        module = import_module(path)
        app, name = path.split(".")[1], path.split(".")[-1]
        apps = executor.loader.project_state((app, name), at_end=True).apps
        module.forwards(apps, None)


# What rows written before the timeline cannot tell: who ended an assignment, cancelled a questionnaire or
# closed a trajectory, and the moment a professional marked an action done or closed the trajectory.
UNKNOWN_ACTOR = {"assignment_ended", "questionnaire_cancelled", "closed", "action_done"}
DAY_ONLY = {"closed", "action_done"}


@pytest.mark.django_db
def test_every_service_appends_its_entry(history):
    events = {e.event for e in TimelineEntry.objects.filter(trajectory=history)}
    # Events of rows that did not exist before the timeline have no backfill; their own tests cover them
    # (preference corrections: src/waardewerk/portal/tests/test_preference.py; appointments:
    # src/waardewerk/agenda/tests/test_agenda.py; jobs and placements:
    # src/waardewerk/matching/tests/test_placements.py and test_timeline.py (the availability and strengths
    # too); the client's own evaluation:
    # src/waardewerk/portal/tests/test_client_evaluation.py).
    appointments = {"appointment_planned", "appointment_moved", "appointment_cancelled"}
    matching = {"job_decided", "job_answered", "placement", "follow_up", "candidate_profile"}
    assert events == set(EVENTS) - {
        "action_cancelled",
        "action_reopened",
        "preference_corrected",
        *appointments,
        *matching,
        "client_evaluation",
    }
    owner = history.responsible
    open_one = TrajectoryFactory(responsible=owner, client__organisation=owner.organisation)
    action = ActionFactory(trajectory=open_one, status="done")
    services.action_set_status(actor=owner, action=action, status="open")
    services.action_set_status(actor=owner, action=action, status="cancelled")
    events = [e.event for e in TimelineEntry.objects.filter(trajectory=open_one).order_by("-id")[:2]]
    assert events == ["action_cancelled", "action_reopened"]
    # The evaluation recorded twice is one entry, with the latest words.
    (evaluation,) = TimelineEntry.objects.filter(trajectory=history, event="evaluation")
    assert evaluation.texts == {"client_evaluation": "Heel goed"}


@pytest.mark.django_db
def test_an_entry_is_written_with_its_change_or_not_at_all(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    before = TimelineEntry.objects.filter(trajectory=trajectory).count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.progress_note_add(
            actor=professional, trajectory=trajectory, date=timezone.localdate(), text="x"
        )
        raise RuntimeError
    assert TimelineEntry.objects.filter(trajectory=trajectory).count() == before


@pytest.mark.django_db
def test_the_data_migrations_build_what_the_services_write(history):
    written = _snapshot(history)
    TimelineEntry.objects.all().delete()  # as before the timeline existed
    _run_backfill_migrations()
    built = _snapshot(history)
    assert set(built) == set(written)
    for key, entry in written.items():
        event = key[0]
        expected, got = dict(entry), dict(built[key])
        if event in UNKNOWN_ACTOR:
            assert got["actor"] is None
            expected["actor"] = None
        if event in DAY_ONLY:
            assert timezone.localtime(got["at"]).date() == timezone.localtime(expected["at"]).date()
            expected["at"] = got["at"]
        assert got == expected, event


@pytest.mark.django_db
def test_the_migrated_timeline_reads_as_before(login, professional, colleague, history):
    """Rows from before the timeline, filled in by the migrations, show the lines the page showed then."""
    TimelineEntry.objects.all().delete()
    _run_backfill_migrations()
    history.responsible = professional
    history.save()
    page = login(professional).get(reverse("trajectories:detail", args=[history.uuid])).content.decode()
    for line in (
        "Traject gestart in fase Intake",
        "Fase: Intake → Plan",
        "Samen het plan maken",
        "Gesprek (Telefonisch)",
        "Over wat werk waardevol maakt.",
        "Actie afgesproken: CV bijwerken",
        "De cliënt zette een actie op klaar: CV bijwerken",
        "Overgedragen van Pia Professional aan Cor Collega",
        "Correctie: Verkeerd ingevuld",
        "De cliënt stelde een nieuw doel voor",
        "Voorstel voor een doel afgewezen",
        "Nog even niet",
        "Voorstel voor een doel opgenomen in het plan",
        "Toestemming gegeven: ",
        "Toestemming ingetrokken: ",
        "Evaluatie vastgelegd",
        "Heel goed",
        "Stage loopt",
        "Reistijd",
        "Andere werkplek",
        "Traject afgesloten: Betaald werk gevonden",
        "Aan het werk",
    ):
        assert line in page, (line, page[page.index('id="timeline"') :])


@pytest.mark.django_db
def test_a_day_without_a_time_stands_at_the_moment_it_was_recorded_or_the_start_of_that_day():
    now = timezone.now()
    today = timezone.localdate()
    assert moment(today, now) == now
    earlier = moment(today - dt.timedelta(days=2), now)
    assert timezone.localtime(earlier).date() == today - dt.timedelta(days=2)
    assert timezone.localtime(earlier).time() == dt.time.min


@pytest.mark.django_db
def test_one_index_serves_the_timeline():
    """The page's query reads (trajectory, occurred_at); no second index on the trajectory alone."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TimelineEntry._meta.db_table)
    indexes = [info["columns"] for info in constraints.values() if info["index"] and not info["primary_key"]]
    assert ["trajectory_id", "occurred_at"] in indexes
    assert ["trajectory_id"] not in indexes


@pytest.mark.django_db
def test_the_page_decrypts_an_entrys_texts_only_when_it_is_shown(history, django_assert_num_queries):
    """``timeline_entries`` reads the texts as stored; ``entry.texts`` decrypts them on first use, without a
    query, and gives what the entry read in full gives."""
    from waardewerk.timeline.models import STORED_SUMMARY
    from waardewerk.timeline.selectors import timeline_entries

    with django_assert_num_queries(1):
        entries = timeline_entries(history)
    assert entries and all("summary" not in e.__dict__ for e in entries)
    assert any(e.__dict__[STORED_SUMMARY] for e in entries)
    full = {e.pk: e.texts for e in TimelineEntry.objects.filter(trajectory=history)}
    with django_assert_num_queries(0):
        assert {e.pk: e.texts for e in entries} == full
    assert any(full.values())
