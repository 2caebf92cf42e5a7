"""The start page ("Vandaag"): every kind of signal with its reason and link, scoped to the trajectories the
professional works on; marking as handled and undoing it; the team lead's counts; the reads in the access
log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, ConversationFactory, TrajectoryFactory
from waardewerk.audit.models import AccessEvent
from waardewerk.core import worksignals
from waardewerk.instruments.models import Instrument
from waardewerk.intervision import services as intervision_services
from waardewerk.portal.models import GoalProposal, QuestionnaireRequest
from waardewerk.trajectories.models import PlanAgreement, PlanVersion, Trajectory
from waardewerk.workday import selectors, services
from waardewerk.workday.models import HandledSignal

TODAY = timezone.localdate


def _trajectory(professional, **kwargs):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, **kwargs
    )
    ConversationFactory(trajectory=trajectory)  # recent contact: no "no contact" signal
    return trajectory


def _kinds(page) -> dict[str, list]:
    return {section.kind: section.items for section in page["sections"]}


def test_every_app_registers_its_signals(db):
    kinds = [source.kind for source in worksignals.sources()]
    assert kinds == [
        "actions",
        "measurements",
        "proposals",
        "returned",
        "unfinished",
        "plans",
        "contact",
        "consents",
        "follow_ups",
        "experiments",
    ]


def test_actions_overdue_and_due_this_week(professional):
    trajectory = _trajectory(professional)
    late = ActionFactory(
        trajectory=trajectory, due_date=TODAY() - dt.timedelta(days=2), description="Cv sturen"
    )
    ActionFactory(trajectory=trajectory, due_date=TODAY() + dt.timedelta(days=30))  # later: no signal
    items = _kinds(selectors.start_page(professional, TODAY()))["actions"]
    assert [item.key for item in items] == [f"{late.uuid}:{late.due_date}"]
    assert items[0].overdue and "Cv sturen" in items[0].reason
    assert items[0].title == trajectory.client.sort_name
    assert items[0].url == reverse("trajectories:detail", args=[trajectory.uuid]) + "#actions-heading"


def test_measurement_due_plan_not_agreed_and_no_contact(professional):
    due = _trajectory(professional)
    Trajectory.objects.filter(pk=due.pk).update(measurement_due_on=TODAY() - dt.timedelta(days=1))
    unagreed = _trajectory(professional)
    PlanVersion.objects.create(trajectory=unagreed, number=1, content="{}", created_by=professional)
    agreed = _trajectory(professional)
    plan = PlanVersion.objects.create(trajectory=agreed, number=1, content="{}", created_by=professional)
    PlanAgreement.objects.create(
        plan_version=plan, agreed_on=TODAY(), method="in_conversation", recorded_by=professional
    )
    quiet = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    kinds = _kinds(selectors.start_page(professional, TODAY()))
    assert [i.client for i in kinds["measurements"]] == [due.client.uuid]
    assert kinds["measurements"][0].overdue
    assert [i.client for i in kinds["plans"]] == [unagreed.client.uuid]
    assert [i.client for i in kinds["contact"]] == [quiet.client.uuid]
    assert "sinds de start" in kinds["contact"][0].reason


def test_no_contact_counts_from_the_last_conversation_or_else_the_start(professional):
    """The last conversation decides when there is one (a recent start does not hide an old conversation,
    an old start does not count when there was a recent conversation); without one, the start does."""
    days = 30  # WAARDEWERK_NO_CONTACT_DAYS
    old_talk = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=TODAY() - dt.timedelta(days=days + 100),
    )
    ConversationFactory(trajectory=old_talk, date=TODAY() - dt.timedelta(days=days + 1))
    ConversationFactory(trajectory=old_talk, date=TODAY() - dt.timedelta(days=days + 40))
    talked_on_the_day = _trajectory(professional, start_date=TODAY() - dt.timedelta(days=days + 100))
    new_without_talk = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=TODAY() - dt.timedelta(days=days - 1),
    )
    old_without_talk = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=TODAY() - dt.timedelta(days=days + 1),
    )
    contact = _kinds(selectors.start_page(professional, TODAY()))["contact"]
    assert sorted(str(i.client) for i in contact) == sorted(
        [str(old_talk.client.uuid), str(old_without_talk.client.uuid)]
    )
    assert talked_on_the_day.client.uuid not in {i.client for i in contact}
    assert new_without_talk.client.uuid not in {i.client for i in contact}
    # Those without any conversation first, then by the last conversation.
    assert [i.client for i in contact] == [old_without_talk.client.uuid, old_talk.client.uuid]


def test_portal_input_and_questionnaires(professional):
    trajectory = _trajectory(professional)
    GoalProposal.objects.create(trajectory=trajectory, text="Werken met dieren")
    lwc = Instrument.objects.get(key="lwc")
    returned = QuestionnaireRequest.objects.create(
        trajectory=trajectory, instrument=lwc, requested_by=professional, completed_at=timezone.now()
    )
    other = _trajectory(professional)
    waiting = QuestionnaireRequest.objects.create(trajectory=other, instrument=lwc, requested_by=professional)
    QuestionnaireRequest.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    kinds = _kinds(selectors.start_page(professional, TODAY()))
    assert [i.client for i in kinds["proposals"]] == [trajectory.client.uuid]
    assert kinds["proposals"][0].url == reverse("portal:staff", args=[trajectory.uuid])
    assert [i.key for i in kinds["returned"]] == [str(returned.uuid)]
    assert [i.key for i in kinds["unfinished"]] == [str(waiting.uuid)]
    assert "nog niet ingevuld" in kinds["unfinished"][0].reason


def test_experiment_due_for_reflection(professional, team_lead, functional_admin):
    group = intervision_services.group_create(
        actor=functional_admin, name="OT-groep Noord", members=[professional, team_lead]
    )
    session = intervision_services.session_create(
        actor=professional,
        group=group,
        date=TODAY() - dt.timedelta(days=20),
        method_key="incident",
        facilitator=team_lead,
    )
    experiment = intervision_services.experiment_add(
        actor=professional, session=session, description="Meer stiltes laten vallen", until=TODAY()
    )
    items = _kinds(selectors.start_page(professional, TODAY()))["experiments"]
    assert [i.key for i in items] == [str(experiment.uuid)]
    assert items[0].title == "OT-groep Noord" and items[0].client is None
    assert "Meer stiltes" not in items[0].reason  # the experiment's own words stay on its page
    assert not _kinds(selectors.start_page(team_lead, TODAY()))["experiments"]


def test_only_the_trajectories_the_professional_works_on(professional, colleague):
    theirs = TrajectoryFactory(responsible=colleague, client__organisation=colleague.organisation)
    ActionFactory(trajectory=theirs, due_date=TODAY() - dt.timedelta(days=1))
    closed = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        end_date=TODAY(),
        end_reason="work",
    )
    ActionFactory(trajectory=closed, due_date=TODAY() - dt.timedelta(days=1))
    page = selectors.start_page(professional, TODAY())
    assert page["open_count"] == 0 and page["clients"] == set()


def test_the_page_lists_the_signals_and_logs_a_read_per_client(login, professional):
    trajectory = _trajectory(professional)
    ActionFactory(trajectory=trajectory, due_date=TODAY(), description="Bellen met werkgever")
    response = login(professional).get(reverse("workday:today"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bellen met werkgever" in text and trajectory.client.sort_name in text
    reads = AccessEvent.objects.filter(object_type="workday.start_page", actor_id=professional.pk)
    assert list(reads.values_list("client_uuid", flat=True)) == [trajectory.client.uuid]


def test_home_goes_to_the_start_page(login, professional):
    assert login(professional).get(reverse("home"))["Location"] == reverse("workday:today")


def test_mark_as_handled_and_undo(login, professional):
    trajectory = _trajectory(professional)
    action = ActionFactory(trajectory=trajectory, due_date=TODAY())
    key = f"{action.uuid}:{action.due_date}"
    browser = login(professional)
    response = browser.post(reverse("workday:handle"), {"kind": "actions", "key": key})
    assert response.status_code == 302
    mark = HandledSignal.objects.get()
    assert (mark.user, mark.kind, mark.key) == (professional, "actions", key)
    page = browser.get(reverse("workday:today"))
    assert page.context["open_count"] == 0
    assert [item.signal.key for item in page.context["handled"]] == [key]
    assert "Door u als afgehandeld gemarkeerd" in page.content.decode()
    # A new due date is a new occurrence: it shows again.
    action.due_date = TODAY() - dt.timedelta(days=1)
    action.save()
    assert browser.get(reverse("workday:today")).context["open_count"] == 1
    action.due_date = TODAY()
    action.save()
    browser.post(reverse("workday:reopen"), {"kind": "actions", "key": key})
    assert not HandledSignal.objects.exists()
    assert browser.get(reverse("workday:today")).context["open_count"] == 1
    changes = AccessEvent.objects.filter(object_type="workday.handledsignal").order_by("id")
    assert [e.detail["handled"] for e in changes] == [True, False]
    assert changes[0].client_uuid == trajectory.client.uuid


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "actions", "key": "not-a-signal"},
        {"kind": "unknown", "key": "x"},
        {"kind": "", "key": ""},
        {"kind": "actions", "key": "x" * 500},
        {},
    ],
)
def test_bad_or_foreign_signals_get_a_message(login, professional, data):
    response = login(professional).post(reverse("workday:handle"), data, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not HandledSignal.objects.exists()


def test_a_colleagues_signal_cannot_be_marked(professional, colleague):
    theirs = TrajectoryFactory(responsible=colleague, client__organisation=colleague.organisation)
    action = ActionFactory(trajectory=theirs, due_date=TODAY())
    with pytest.raises(ValidationError, match=r"niet \(meer\) op uw startpagina"):
        services.signal_handle(actor=professional, kind="actions", key=f"{action.uuid}:{action.due_date}")
    with pytest.raises(ValidationError, match="niet als afgehandeld"):
        services.signal_reopen(actor=professional, kind="actions", key="x")


def test_the_team_lead_sees_counts_per_team_without_names(login, professional, colleague, team_lead, team):
    for person in (professional, colleague):
        t = TrajectoryFactory(responsible=person, client__organisation=person.organisation, team=team)
        ActionFactory(trajectory=t, due_date=TODAY() - dt.timedelta(days=1))
    response = login(team_lead).get(reverse("workday:today"))
    team_part = response.context["team"]
    assert team_part["teams"] == [team.name]
    rows = {row["kind"]: row["counts"] for row in team_part["rows"]}
    assert rows["actions"] == [2] and "experiments" not in rows
    text = response.content.decode()
    assert professional.get_full_name() not in text and colleague.get_full_name() not in text
    # The professional sees no team part.
    assert login(professional).get(reverse("workday:today")).context["team"] is None


def test_the_navigation_shows_the_count_of_the_last_view(login, professional):
    trajectory = _trajectory(professional)
    ActionFactory(trajectory=trajectory, due_date=TODAY())
    browser = login(professional)
    before = {
        item.url: item.count for item in browser.get(reverse("trajectories:caseload")).context["nav_items"]
    }
    assert before[reverse("workday:today")] is None  # not counted before the start page was shown
    browser.get(reverse("workday:today"))
    after = {
        item.url: item.count for item in browser.get(reverse("trajectories:caseload")).context["nav_items"]
    }
    assert after[reverse("workday:today")] == 1
