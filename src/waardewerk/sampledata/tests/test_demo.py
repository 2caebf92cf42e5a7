"""The ``demo`` management command: a complete, plausible, repeatable demo organisation."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from waardewerk.accounts.models import Organisation, Role, Team, User
from waardewerk.clients.models import Client
from waardewerk.clients.validators import bsn_is_valid
from waardewerk.instruments.models import Measurement
from waardewerk.portal.models import ClientEvaluation, GoalProposal, PortalAccount, QuestionnaireRequest
from waardewerk.quality import selectors as quality
from waardewerk.sampledata import history
from waardewerk.sampledata.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, ORGANISATION_NAME
from waardewerk.sampledata.tests import checks
from waardewerk.trajectories.models import (
    Action,
    ActionStatus,
    Context,
    Conversation,
    Evaluation,
    Phase,
    PhaseChange,
    PlanVersion,
    Trajectory,
)

MODELS = (Organisation, Team, User, Client, Trajectory, PhaseChange, Conversation, Action)


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    return run_demo()


def test_creates_one_organisation_with_clients(demo):
    organisation = Organisation.objects.get()
    assert organisation.name == ORGANISATION_NAME
    assert Team.objects.filter(organisation=organisation).count() == 2
    assert Client.objects.filter(organisation=organisation).count() >= 40
    assert Trajectory.objects.filter(organisation=organisation).count() == Client.objects.count()


def test_open_trajectories_cover_every_phase_and_context(demo):
    open_trajectories = Trajectory.objects.filter(end_date__isnull=True)
    assert set(open_trajectories.values_list("phase", flat=True)) == set(Phase.values)
    assert set(open_trajectories.values_list("context", flat=True)) == set(Context.values)
    closed = Trajectory.objects.filter(end_date__isnull=False)
    assert closed.exists()
    assert not closed.filter(end_reason="").exists()
    assert not Action.objects.filter(trajectory__in=closed, status=ActionStatus.OPEN).exists()


def test_every_bsn_is_valid(demo):
    bsns = list(Client.objects.exclude(bsn="").values_list("bsn", flat=True))
    assert len(bsns) >= 20
    assert len(set(bsns)) == len(bsns)
    assert all(bsn_is_valid(bsn) for bsn in bsns)


def test_every_professional_has_open_trajectories(demo):
    professionals = User.objects.filter(role=Role.PROFESSIONAL)
    assert professionals.count() == 4
    for professional in professionals:
        caseload = Trajectory.objects.filter(responsible=professional, end_date__isnull=True)
        assert caseload.exists(), professional.username
        assert {t.team for t in caseload} <= set(professional.teams.all())
    assert Trajectory.objects.filter(responsible__username="annelies").count() == 2


def test_phase_histories_are_chronological_and_end_in_the_current_phase(demo):
    now = timezone.now()
    for trajectory in Trajectory.objects.prefetch_related("phase_changes"):
        changes = list(trajectory.phase_changes.all())
        assert changes[0].from_phase == ""
        assert changes[0].to_phase == Phase.INTAKE
        assert timezone.localdate(changes[0].changed_at) == trajectory.start_date
        for previous, change in zip(changes, changes[1:], strict=False):
            assert previous.changed_at < change.changed_at
            assert change.from_phase == previous.to_phase != change.to_phase
        assert changes[-1].to_phase == trajectory.phase
        assert trajectory.phase_since == changes[-1].changed_at <= now
        last_day = trajectory.end_date or timezone.localdate()
        for conversation in trajectory.conversations.all():
            assert trajectory.start_date <= conversation.date <= last_day


def test_dates_are_relative_to_today(demo):
    today = timezone.localdate()
    starts = Trajectory.objects.values_list("start_date", flat=True)
    # The earlier, closed trajectories (sampledata/history.py) end in the last six quarters.
    oldest = history.QUARTERS * 92 + history.DURATION_DAYS[1]
    assert min(starts) >= today - dt.timedelta(days=oldest)
    assert max(starts) <= today - dt.timedelta(days=28)
    assert Action.objects.filter(status=ActionStatus.OPEN, due_date__gt=today).exists()
    assert Action.objects.filter(status=ActionStatus.OPEN, due_date__lt=today).exists()
    assert not Action.objects.filter(status=ActionStatus.DONE, completed_on__isnull=True).exists()


def test_every_instrument_has_histories_that_mostly_improve(demo):
    rounds = Measurement.objects.filter(entered_by_client=False)
    pairs = set(rounds.values_list("instrument__key", "respondent").distinct())
    assert pairs == checks.expected_pairs()
    # Filled in by the client in the portal: only the client-experience questionnaire (the history's).
    experience = history.experience_instrument()
    by_client = Measurement.objects.filter(entered_by_client=True, status="submitted")
    assert by_client.exists()
    assert set(by_client.values_list("instrument_id", "respondent")) == {
        (experience.version.instrument_id, "client")
    }
    checks.check_histories()
    assert Measurement.objects.filter(corrects__isnull=False).exists()
    assert not Trajectory.objects.filter(end_date__isnull=True, measurements__isnull=False).filter(
        measurement_due_on__isnull=True
    )


def test_texts_are_filled_in(demo):
    texts = [
        *Trajectory.objects.values_list("question", flat=True),
        *Trajectory.objects.values_list("end_note", flat=True),
        *Conversation.objects.values_list("summary", flat=True),
        *Action.objects.values_list("description", flat=True),
        *PlanVersion.objects.values_list("content", flat=True),
        *Evaluation.objects.values_list("do_differently", flat=True),
    ]
    assert texts and not [text for text in texts if "{" in text.replace('{"', "").replace("{}", "")]


def test_every_trajectory_has_its_timeline(demo):
    checks.check_timeline()


def test_the_portal_has_clients_with_requests_and_proposals(demo):
    assert PortalAccount.objects.count() >= 4
    requests = QuestionnaireRequest.objects.select_related("measurement")
    assert requests.count() == PortalAccount.objects.count()
    halfway = requests.exclude(measurement=None).get().measurement
    assert halfway.status == "draft" and halfway.entered_by_client and halfway.answers
    assert GoalProposal.objects.exists()


def test_second_run_changes_nothing_and_lists_the_accounts(demo):
    counts = row_counts()
    output = run_demo()
    assert row_counts() == counts
    assert "already present" in output
    for account in DEMO_ACCOUNTS:
        assert account.username in output
        assert account.username in demo
    assert DEMO_PASSWORD in output


def test_demo_users_can_log_in(demo, client):
    for account in DEMO_ACCOUNTS:
        assert client.login(username=account.username, password=account.password), account.username
        client.logout()


def test_reset_recreates_the_same_data(demo):
    def snapshot():
        clients = Client.objects.values_list("uuid", "last_name", "date_of_birth", "bsn", "street")
        changes = PhaseChange.objects.values_list("uuid", "to_phase", "changed_at", "reason")
        measured = Measurement.objects.values_list("uuid", "instrument__key", "taken_on", "answers")
        return sorted(clients), sorted(changes), sorted(measured, key=lambda row: row[0])

    counts, before = row_counts(), snapshot()
    run_demo("--reset")
    assert row_counts() == counts
    assert snapshot() == before


def test_the_ot_group_has_three_sessions_with_experiments_and_reflections(demo, client):
    from waardewerk.intervision import selectors
    from waardewerk.intervision.models import Experiment, IntervisionGroup

    group = IntervisionGroup.objects.get()
    assert group.members.count() == 5
    sessions = list(group.sessions.order_by("date"))
    assert [s.method_version.method.key for s in sessions] == ["incident", "learning-cycle", "learning-cycle"]
    assert Experiment.objects.exclude(reflected_at=None).count() == 3
    returning = selectors.session_experiments(sessions[-1])["returning"]
    # Youssef reflected at the latest session; Pieter's experiment is still open and comes back there.
    assert {e.owner.username: bool(e.reflected_at) for e in returning} == {"youssef": True, "pieter": False}
    client.force_login(group.members.get(username="pieter"))
    body = client.get(f"/intervision/sessions/{sessions[-1].uuid}/").content.decode()
    assert "eigen regie" in body
    # The learning cycle's focus comes back with the experiments; attendance is recorded per session.
    assert sessions[1].focus_kind == "guide_topic" and sessions[1].focus_label in body
    assert sessions[-1].attendance.filter(status="apologies").get().member.username == "pieter"
    # The content editor changed the learning cycle after the second session: the third keeps that version.
    assert sessions[1].method_version.method.organisation_id is None
    edited = sessions[2].method_version
    assert edited.method.organisation_id == group.organisation_id and edited.created_by.username == "kennis"
    assert next(p for p in edited.definition["phases"] if p["key"] == "reflect")["minutes"] == 40


def test_a_learning_goal_comes_from_the_peer_review(demo):
    from waardewerk.development.models import LearningGoal

    goal = LearningGoal.objects.get(owner__username="sanne", source_review__isnull=False)
    assert goal.source_checkpoint


def test_two_consented_case_presentations_and_a_peer_review(demo, client):
    from waardewerk.intervision.models import CasePresentation, CaseReview, IntervisionGroup

    group = IntervisionGroup.objects.get()
    presentations = list(CasePresentation.objects.filter(group=group, status="shared"))
    assert len(presentations) == 2
    for presentation in presentations:
        assert presentation.consent.kind == "intervision" and presentation.consent.withdrawn_at is None
        client_ = presentation.trajectory.client
        assert client_.last_name not in presentation.snapshot
        assert client_.first_name not in presentation.snapshot
    review = CaseReview.objects.get()
    assert review.presentation in presentations and review.group == group and review.shared_at
    assert group.sessions.order_by("date").first().presentation == review.presentation
    client.force_login(group.members.get(username="pieter"))
    body = client.get(f"/intervision/reviews/{review.uuid}/").content.decode()
    assert "voorkeur van de cliënt" in body


def test_the_demo_professionals_keep_a_development_log_with_a_mentor(demo, client):
    from waardewerk.accounts.models import User
    from waardewerk.development.models import Activity, Mentorship

    mentorship = Mentorship.objects.get()
    assert (mentorship.mentor.username, mentorship.mentee.username) == ("marieke", "pieter")
    assert mentorship.meetings.count() == 3
    # The sessions each member was recorded present at are in their log, once (Annelies and Pieter each
    # sent apologies once).
    attended = {"marieke": 3, "sanne": 3, "youssef": 3, "pieter": 2, "annelies": 2}
    for username, count in attended.items():
        assert (
            Activity.objects.filter(owner__username=username, source_session__isnull=False).count() == count
        )
    client.force_login(User.objects.get(username="marieke"))
    body = client.get(f"/development/mentoring/{mentorship.uuid}/").content.decode()
    assert "Stiltes laten vallen" in body  # Pieter's goal, shared with his mentor
    client.force_login(User.objects.get(username="pieter"))
    body = client.get("/development/").content.decode()
    assert "Inwerkprogramma klantmanagement" in body
    assert "were added to your log" not in body and "Werken met de Lijst" not in body


def test_the_history_gives_both_teams_and_each_professional_figures_with_a_trend(demo):
    """Above the small-number threshold: every team's table has shown figures in each complete quarter and
    trends; a professional's own page shows figures too (docs/quality.md)."""
    lead = User.objects.get(username="annelies")
    snapshot, tables = quality.team_quality(lead)
    assert len(tables) == 3  # two teams and the organisation
    for table in tables:
        complete = table.quarters[:-1]
        for index, _quarter in enumerate(complete):
            shown = [row for row in table.rows if row.cells[index].n is not None]
            assert len(shown) >= 5, (table.title, index)
        assert sum(1 for row in table.rows if row.trend) >= 5, table.title
        assert any(row.key.startswith("principle:") and row.trend for row in table.rows)
        assert any(row.key == "experience" and row.cells[-2].n for row in table.rows)
    for username in ("marieke", "sanne", "youssef", "pieter"):
        _snapshot, own, _teams = quality.own_quality(User.objects.get(username=username))
        assert sum(1 for row in own.rows if row.trend) >= 3, username
    closed = Trajectory.objects.filter(end_date__isnull=False)
    assert closed.count() >= 4 * history.PER_PROFESSIONAL
    assert ClientEvaluation.objects.exists()
    assert Conversation.objects.exclude(principles=[]).exists()


def test_clients_corrected_their_preference_and_the_professional_sees_it(demo, client):
    from waardewerk.timeline.models import TimelineEntry
    from waardewerk.trajectories.models import PreferenceCorrection

    corrections = list(PreferenceCorrection.objects.select_related("trajectory__responsible"))
    assert len(corrections) == 2
    assert len({c.trajectory.responsible_id for c in corrections}) == 2
    assert "Preferences corrected by the client" in demo
    correction = corrections[0]
    agreed = correction.plan_version.agreements.get()
    assert agreed.agreed_on <= timezone.localtime(correction.created_at).date() < dt.date.today()
    assert correction.text != correction.previous_text
    assert TimelineEntry.objects.filter(
        trajectory=correction.trajectory, event="preference_corrected"
    ).exists()
    client.force_login(correction.trajectory.responsible)
    page = client.get(f"/trajectories/{correction.trajectory.uuid}/plan/").content.decode()
    assert correction.text.split(".")[0].replace("'", "&#x27;") in page


def test_a_client_agreed_to_the_plan_in_the_portal_and_the_plan_page_shows_it(demo, client):
    from django.test import Client as Browser

    from tests.portal_helpers import log_in_client
    from waardewerk.timeline.models import TimelineEntry
    from waardewerk.trajectories.models import PlanAgreement

    agreement = PlanAgreement.objects.select_related("plan_version__trajectory__client").get(
        method="portal", recorded_by=None
    )
    version = agreement.plan_version
    trajectory = version.trajectory
    assert version == trajectory.plan_versions.order_by("-number").first()  # the newest version
    assert timezone.localtime(version.created_at).date() <= agreement.agreed_on <= dt.date.today()
    assert trajectory.client.portal_account.activated_at is not None
    assert "Plans agreed by the client in the portal" in demo and trajectory.client.full_name in demo
    entry = TimelineEntry.objects.get(trajectory=trajectory, event="plan_agreed", source_id=agreement.uuid)
    assert entry.actor_id is None and entry.actor_label == "client"  # the client, not a professional
    client.force_login(trajectory.responsible)
    plan = client.get(f"/trajectories/{trajectory.uuid}/plan/").content.decode()
    assert "de cliënt heeft ingestemd" in plan and "(in het cliëntportaal)" in plan
    portal = Browser()
    log_in_client(portal, trajectory.client)
    assert "U bent akkoord met dit plan." in portal.get("/portal/goals/").content.decode()


def test_the_evidence_pages_show_figures_and_suppressed_cells(demo, client):
    """What worked here: at least one entry chosen often enough for its figures to show, and cells too small
    to show."""
    from waardewerk.insights import selectors as evidence

    professional = User.objects.get(username="marieke")
    _snapshot, rows = evidence.overview(professional)
    shown = [row for row in rows if row.chosen is not None]
    assert shown, rows
    client.force_login(professional)
    page = client.get(f"/evidence/entries/{shown[0].url_key}/").content.decode()
    assert "te weinig om te tonen" in page
    assert "(kwartielen)" in page and "→" in page


def test_the_demo_professionals_have_appointments_this_week(demo, client):
    from waardewerk.agenda.models import Appointment
    from waardewerk.timeline.models import TimelineEntry

    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    appointments = Appointment.objects.all()
    owners = set(appointments.values_list("owner__username", flat=True))
    workers = set(
        User.objects.filter(role__in=[Role.PROFESSIONAL, Role.TEAM_LEAD]).values_list("username", flat=True)
    )
    assert owners == workers
    for appointment in appointments:
        day = timezone.localtime(appointment.starts_at).date()
        assert monday <= day <= monday + dt.timedelta(days=4)
        if appointment.trajectory_id:
            assert appointment.trajectory.responsible_id == appointment.owner_id
            assert appointment.trajectory.end_date is None
    assert appointments.filter(cancelled_at__isnull=False).count() == 1
    planned = TimelineEntry.objects.filter(event="appointment_planned").count()
    assert planned == appointments.exclude(trajectory=None).count()
    account = DEMO_ACCOUNTS[0]
    assert client.login(username=account.username, password=DEMO_PASSWORD)
    week = client.get("/agenda/week/")
    assert week.status_code == 200 and sum(len(d["appointments"]) for d in week.context["days"]) >= 5


def test_employers_jobs_and_decisions_on_their_fit(demo, client):
    from waardewerk.matching.models import Employer, Job, Proposal

    assert Employer.objects.count() >= 4 and Job.objects.count() >= 6
    assert Employer.objects.filter(contacts__isnull=False).distinct().count() == Employer.objects.count()
    decisions = set(Proposal.objects.values_list("decision", flat=True))
    assert {"propose", "not_now"} <= decisions
    shared = (
        Proposal.objects.exclude(shared_at=None).select_related("trajectory__client", "job__employer").get()
    )
    from waardewerk.clients.selectors import has_consent

    assert shared.response == "interested"
    assert has_consent(shared.trajectory.client, "employer", party=shared.job.employer.uuid)
    placement = shared.trajectory.placements.get()
    recorded = placement.follow_ups.exclude(done_on=None)
    assert recorded.exists() and all(f.still_working for f in recorded)
    client.force_login(shared.trajectory.responsible)
    assert client.get(f"/trajectories/{shared.trajectory.uuid}/fit/").status_code == 200
    assert client.get(f"/placements/{placement.uuid}/").status_code == 200
    timeline = client.get(f"/trajectories/{shared.trajectory.uuid}/?kind=matching").content.decode()
    assert placement.job.title in timeline
    assert client.get(f"/jobs/{shared.job.uuid}/").status_code == 200
    # The employer's one-time link: a job's profile filled in by the employer, the shared profile answered,
    # and the employer's view in the client's "who looked" list.
    from waardewerk.audit.models import AccessEvent
    from waardewerk.matching.models import EmployerLink

    assert Job.objects.exclude(profile_by_employer="").exists()
    assert shared.employer_response == "interested"
    assert EmployerLink.objects.filter(used_at__isnull=False).count() == 2
    assert AccessEvent.objects.filter(
        actor_role="employer_link", client_uuid=shared.trajectory.client.uuid
    ).exists()
    # The 6-month follow-up is due within two weeks: a signal on the start page.
    from waardewerk.matching.worksignals import follow_up_items

    assert follow_up_items(shared.trajectory.responsible, timezone.localdate())
    # Notes of the employer services and the trajectories' tracks on the employer page.
    from waardewerk.matching.models import EmployerNote, TrajectoryEmployer

    assert EmployerNote.objects.filter(contact__isnull=False).exists()
    assert set(TrajectoryEmployer.objects.values_list("track", flat=True)) == {"first", "second"}
    page = client.get(f"/employers/{shared.job.employer.uuid}/").content.decode()
    assert shared.trajectory.client.sort_name in page and "Kennismaking met HR" in page
    assert Job.objects.exclude(functional_demands={}).exists()
    # The clients' availability and strengths, by the client and by the professional; the shared
    # candidate profile shows them.
    from waardewerk.matching.models import CandidateProfile

    assert set(CandidateProfile.objects.values_list("written_by", flat=True)) == {"client", "professional"}
    mine = CandidateProfile.objects.get(client=shared.trajectory.client)
    assert mine.strengths and mine.hours_per_week
    profile_page = client.get(f"/job-proposals/{shared.uuid}/candidate-profile/").content.decode()
    assert mine.strengths.split(".")[0] in profile_page
