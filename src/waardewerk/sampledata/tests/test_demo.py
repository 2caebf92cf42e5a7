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
    # The attended sessions of the OT-groep are in every member's log, once.
    for username in ("marieke", "sanne", "youssef", "pieter", "annelies"):
        assert Activity.objects.filter(owner__username=username, source_session__isnull=False).count() == 3
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
