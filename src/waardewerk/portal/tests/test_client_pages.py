"""What the client does in the portal, and what the professional then sees."""

import datetime as dt
import json
import re
from io import BytesIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import ActionFactory, ConversationFactory, UserFactory, lwc_answers, make_measurement
from tests.portal_helpers import log_in_client
from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.audit.services import audit_record, verify
from waardewerk.clients.actor import ClientActor
from waardewerk.clients.models import Client, Consent
from waardewerk.clients.selectors import has_consent
from waardewerk.instruments import services as instrument_services
from waardewerk.instruments.models import Measurement
from waardewerk.instruments.selectors import trajectory_drafts
from waardewerk.matching.services import candidate_profile_save
from waardewerk.portal import export, services
from waardewerk.portal.models import GoalProposal, QuestionnaireRequest
from waardewerk.portal.selectors import OBJECT_WORDS, ROLE_WORDS
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories import services as client_services
from waardewerk.trajectories.models import PlanAgreement, PlanVersion

pytestmark = pytest.mark.django_db
GOAL = {"key": "g-1", "text": "Weer werken met mensen", "values": [], "determinants": [], "status": "active"}


@pytest.fixture
def plan(trajectory, professional):
    return PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content=json.dumps({"goals": [GOAL], "choices": []}),
        reason="Eerste versie",
        created_by=professional,
    )


@pytest.fixture
def portal(client, trajectory):
    log_in_client(client, trajectory.client)
    return client


def test_every_page_renders_in_dutch_and_english_and_is_logged(portal, trajectory, plan):
    make_measurement(trajectory, "lwc", lwc_answers())
    ActionFactory(trajectory=trajectory, owner="client")
    names = ["home", "goals", "goal_propose", "actions", "appointments", "questionnaires", "progress"]
    names += ["consent", "access_log", "my_data"]
    for language in ("nl", "en"):
        portal.cookies["django_language"] = language
        for name in names:
            response = portal.get(reverse(f"portal:{name}"))
            assert response.status_code == 200, name
            assert response["Cache-Control"] == "no-store"
            assert f'lang="{language}"' in response.content.decode()
    events = AccessEvent.objects.filter(
        client_uuid=trajectory.client.uuid, action="view", actor_role="client"
    )
    assert events.count() == 2 * len(names)
    assert not events.exclude(actor_id=None).exists()


def test_home_says_where_the_client_is_in_plain_words(portal, trajectory):
    page = portal.get(reverse("portal:home")).content.decode()
    assert "Kennismaken" in page and 'aria-current="step"' in page
    assert trajectory.responsible.get_full_name() in page


# Consent ------------------------------------------------------------------------------------------------


def test_give_and_withdraw_consent_keeps_history(portal, trajectory):
    client = trajectory.client
    assert portal.post(reverse("portal:consent"), {"kind": "employer"}).status_code == 302
    consent = Consent.objects.get(client=client, kind="employer")
    assert consent.given_via == "portal" and consent.given_recorded_by is None
    assert has_consent(client, "employer")
    asked = portal.post(reverse("portal:consent_withdraw", args=[consent.uuid]))
    assert asked.status_code == 200 and has_consent(client, "employer")  # the confirmation page first
    portal.post(reverse("portal:consent_withdraw", args=[consent.uuid]), {"confirmed": "yes"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and not has_consent(client, "employer")
    # Still true for the moment it was given: withdrawal counts from then on.
    assert has_consent(client, "employer", on=consent.given_at + dt.timedelta(microseconds=1))
    portal.post(reverse("portal:consent"), {"kind": "employer"})
    assert Consent.objects.filter(client=client, kind="employer").count() == 2
    page = portal.get(reverse("portal:consent")).content.decode()
    assert page.count("<li>") >= 2  # both grants in the history


def test_has_consent_on_a_date_needs_the_whole_day(trajectory):
    client = trajectory.client
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=10), dt.time(12)))
    Consent.objects.create(
        client=client,
        kind="research",
        given_at=start,
        given_via="portal",
        withdrawn_at=start + dt.timedelta(days=5),
        withdrawn_via="portal",
    )
    assert not has_consent(client, "research", on=today - dt.timedelta(days=10))  # given during that day
    assert has_consent(client, "research", on=today - dt.timedelta(days=9))
    assert not has_consent(client, "research", on=today - dt.timedelta(days=5))  # withdrawn during that day
    assert not has_consent(client, "research")


def test_the_employer_report_needs_consent_from_then_on(client, professional, trajectory, tmp_path):

    client.force_login(professional)
    url = reverse("reports:trajectory", args=[trajectory.uuid]) + "?audience=employer"
    refused = client.get(url)
    assert refused.status_code == 403 and 'role="alert"' in refused.content.decode()
    assert not AccessEvent.objects.filter(action="print").exists()
    consent = services_consent_give(trajectory)
    assert client.get(url).status_code == 200

    client_services.consent_withdraw(actor=ClientActor(trajectory.client), consent=consent)
    assert client.get(url).status_code == 403
    assert client.get(url.replace("employer", "file")).status_code == 200  # other versions are not affected
    with pytest.raises(CommandError, match="consent"):
        call_command("report", str(trajectory.uuid), str(tmp_path / "never.pdf"), audience="employer")
    assert not (tmp_path / "never.pdf").exists()


def services_consent_give(trajectory):

    return client_services.consent_give(
        actor=ClientActor(trajectory.client), client=trajectory.client, kind="employer"
    )


def test_the_professional_records_consent_given_on_paper(client, professional, trajectory):
    client.force_login(professional)
    client.post(reverse("portal:record_consent", args=[trajectory.uuid]), {"kind": "intervision"})
    consent = Consent.objects.get()
    assert consent.given_via == "professional" and consent.given_recorded_by == professional
    client.post(
        reverse("portal:staff_withdraw_consent", args=[consent.uuid]),
        {"trajectory": trajectory.uuid, "confirmed": "yes"},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_via == "professional"


# Goals ----------------------------------------------------------------------------------------------------


def test_propose_a_goal_and_new_words_and_the_professional_decides(
    portal, client, trajectory, plan, professional
):
    response = portal.post(reverse("portal:goal_propose"), {"text": "Een opleiding in de zorg volgen"})
    assert response.status_code == 302
    portal.post(reverse("portal:goal_propose"), {"text": "Werken met ouderen", "goal_key": "g-1"})
    new, reword = GoalProposal.objects.order_by("created_at")
    assert new.is_new_goal and reword.goal_key == "g-1" and reword.original_text == GOAL["text"]
    # The professional sees both in the timeline and on the portal page.

    staff = client.__class__()
    staff.force_login(professional)
    timeline = staff.get(
        reverse("trajectories:detail", args=[trajectory.uuid]) + "?kind=portal"
    ).content.decode()
    assert "Een opleiding in de zorg volgen" in timeline and "Werken met ouderen" in timeline
    # Accept the new words: a new plan version with the client's words, same goal key.
    staff.post(reverse("portal:accept_proposal", args=[reword.uuid]), {"text": "Werken met ouderen"})
    latest = PlanVersion.objects.filter(trajectory=trajectory).order_by("-number").first()
    assert latest.number == 2
    goals = json.loads(latest.content)["goals"]
    assert goals == [{**GOAL, "text": "Werken met ouderen"}]
    # Decline the new goal: a reason is required.
    assert staff.post(reverse("portal:decline_proposal", args=[new.uuid]), {"reason": ""}).status_code == 422
    staff.post(reverse("portal:decline_proposal", args=[new.uuid]), {"reason": "Eerst werkervaring opdoen."})
    new.refresh_from_db()
    reword.refresh_from_db()
    assert (new.status, reword.status) == ("declined", "accepted")
    # The client sees the outcome.
    page = portal.get(reverse("portal:goals")).content.decode()
    assert "Eerst werkervaring opdoen." in page and "Werken met ouderen" in page


def test_a_proposal_needs_words_and_an_open_trajectory(portal, trajectory, plan):
    assert portal.post(reverse("portal:goal_propose"), {"text": "  "}).status_code == 422
    assert portal.get(reverse("portal:goal_propose") + "?goal=unknown").status_code == 404
    trajectory.end_date, trajectory.end_reason = timezone.localdate(), "moved"
    trajectory.save()
    # Their own trajectory, but closed: refused (403), in the portal's words.
    refused = portal.post(reverse("portal:goal_propose"), {"text": "Iets"})
    assert refused.status_code == 403
    assert "Uw traject is afgesloten" in refused.content.decode()
    assert not GoalProposal.objects.exists()


# Actions --------------------------------------------------------------------------------------------------


def test_the_client_marks_own_actions_done(portal, client, trajectory, professional):
    own = ActionFactory(trajectory=trajectory, owner="client", description="CV bijwerken")
    theirs = ActionFactory(trajectory=trajectory, owner="professional")
    assert portal.post(reverse("portal:action_done", args=[own.uuid])).status_code == 302
    own.refresh_from_db()
    assert own.status == "done" and own.completed_by_client and own.completed_on == timezone.localdate()
    # The professional's action is on the client's page, but not theirs to mark done: 403, not 404.
    assert portal.post(reverse("portal:action_done", args=[theirs.uuid])).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "open"
    staff = client.__class__()
    staff.force_login(professional)
    timeline = staff.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    assert "De cliënt zette een actie op klaar: CV bijwerken" in timeline


# Questionnaires -------------------------------------------------------------------------------------------


def test_fill_in_halfway_and_finish_later(portal, client, trajectory, professional):
    request = services.questionnaire_request(actor=professional, trajectory=trajectory, key="igm")
    url = reverse("portal:questionnaire", args=[request.uuid])
    page = portal.get(url)
    assert page.status_code == 200
    response = portal.post(url, {"item-attitude": "4", "item-self_efficacy": "2", "action": "draft"})
    assert response.status_code == 302
    request.refresh_from_db()
    draft = request.measurement
    assert draft.is_draft and draft.entered_by_client and draft.entered_by is None
    assert draft.respondent == "client" and draft.answers == {"attitude": 4, "self_efficacy": 2}
    # The professional does not finish the client's draft.

    assert draft not in trajectory_drafts(trajectory)
    with pytest.raises(instrument_services.PermissionDeniedError):
        instrument_services.measurement_save(
            actor=professional,
            trajectory=trajectory,
            version=draft.instrument_version,
            respondent="client",
            framing=draft.framing,
            taken_on=timezone.localdate(),
            answers={},
            submit=False,
            draft=draft,
        )
    # Sending with answers missing keeps what was there and says what is missing.
    again = portal.get(url).content.decode()
    assert 'value="4" checked' in again
    incomplete = portal.post(url, {"item-attitude": "4", "action": "submit"})
    assert incomplete.status_code == 422
    answers = {f"item-{k}": "3" for k in ("attitude", "social_influence", "self_efficacy", "intention")}
    answers |= {"item-knowledge_skills": "3", "item-practical_barriers": "3", "action": "submit"}
    assert portal.post(url, answers).status_code == 302
    request.refresh_from_db()
    assert request.completed_at and not request.measurement.is_draft
    assert Measurement.objects.filter(trajectory=trajectory, entered_by_client=True).count() == 1
    assert portal.get(url).status_code == 302  # finished: back to the list
    events = AccessEvent.objects.filter(object_type="instruments.measurement")
    assert events.count() == 2 and all(e.actor_id is None and e.actor_role == "client" for e in events)


def test_only_asked_questionnaires_and_only_for_the_client(professional, trajectory):

    with pytest.raises(ValidationError):
        services.questionnaire_request(actor=professional, trajectory=trajectory, key="nonexistent")
    services.questionnaire_request(actor=professional, trajectory=trajectory, key="lwc")
    with pytest.raises(ValidationError):
        services.questionnaire_request(actor=professional, trajectory=trajectory, key="lwc")
    assert QuestionnaireRequest.objects.count() == 1


# Who looked, my data -----------------------------------------------------------------------------------


def test_who_looked_shows_staff_names_and_roles_but_no_ip(portal, client, trajectory, professional):
    staff = client.__class__()
    staff.force_login(professional)
    staff.get(reverse("clients:dossier", args=[trajectory.client.uuid]), REMOTE_ADDR="203.0.113.9")
    page = portal.get(reverse("portal:access_log")).content.decode()
    assert professional.get_full_name() in page
    assert "203.0.113.9" not in page
    assert "client " + str(trajectory.client.uuid) not in page  # the client's own visits are not listed


@pytest.mark.parametrize(
    "role, words",
    [
        ("professional", "(uw begeleider)"),
        ("team_lead", "(teamleider)"),
        ("functional_admin", "(beheerder van het systeem)"),
        ("knowledge_editor", "(redacteur van de kennisbank)"),
        ("privacy_officer", "(medewerker)"),  # a role without words of its own (added later, or gone)
    ],
)
def test_who_looked_names_every_role_in_plain_words_by_its_key(portal, trajectory, organisation, role, words):

    someone = UserFactory(organisation=organisation, first_name="Robin", last_name="Kramer")
    someone.role = role  # the log keeps the role's key; its label for staff may change
    audit_record(actor=someone, action="view", client=trajectory.client, object_type="clients.client")
    page = portal.get(reverse("portal:access_log")).content.decode()
    assert f"<strong>Robin Kramer</strong> {words}" in page


@pytest.mark.parametrize(
    "object_type, words",
    [
        ("agenda.appointment", "Bekeken: een afspraak met u"),
        ("caseload", "Bekeken: uw naam in de lijst met cliënten van een medewerker"),
        ("privacy.destructionlist", "Bekeken: uw dossier op een lijst van dossiers die we verwijderen"),
        ("matching.followup", "Bekeken: een controle van hoe het gaat met uw nieuwe baan"),
        ("something.new", "Bekeken: uw dossier"),  # a kind of page without words of its own
    ],
)
def test_who_looked_says_what_was_seen_in_dutch(portal, trajectory, professional, object_type, words):
    audit_record(actor=professional, action="view", client=trajectory.client, object_type=object_type)
    page = portal.get(reverse("portal:access_log")).content.decode()
    assert words in page


# The professional's own development and intervision records reach a client only through a case presented
# at intervision; they are logged without the client (the presentation's reads are, with words of their own).
NEVER_LOGGED_FOR_A_CLIENT = {"development", "intervision.attendance", "intervision.intervisionsession"}


def test_every_kind_of_record_about_a_client_has_words_for_the_client():
    """Whatever of a client's file a member of staff opens or changes, the client's page of who looked says
    what it was in words of its own, not only "your file"."""

    about_the_client = {Client}
    grown = True
    while grown:  # every model that leads to a client through its foreign keys
        grown = False
        for model in apps.get_models():
            links = (
                f.related_model
                for f in model._meta.get_fields()
                if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one)
            )
            if model not in about_the_client and any(m in about_the_client for m in links):
                about_the_client.add(model)
                grown = True
    labels = {m._meta.label_lower for m in about_the_client}
    checked = {
        label
        for label in labels
        if label not in NEVER_LOGGED_FOR_A_CLIENT and label.split(".")[0] not in NEVER_LOGGED_FOR_A_CLIENT
    }
    assert {"trajectories.trajectory", "matching.followup", "privacy.legalhold"} <= checked
    assert sorted(checked - set(OBJECT_WORDS)) == []


def test_download_my_data(portal, trajectory, plan, professional):

    make_measurement(trajectory, "lwc", lwc_answers())
    ConversationFactory(trajectory=trajectory, summary="Gesprek over de zorg.")
    services_consent_give(trajectory)
    candidate_profile_save(
        actor=ClientActor(trajectory.client),
        trajectory=trajectory,
        base_version=None,
        hours_per_week=16,
        days=["fri", "mon"],
        strengths="Ik kan goed luisteren.",
    )
    response = portal.get(reverse("portal:export_json"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert tuple(data) == export.TOP_LEVEL_KEYS
    assert tuple(data["trajectories"][0]) == export.TRAJECTORY_KEYS
    assert data["client"]["last_name"] == "Jansen"
    assert data["trajectories"][0]["conversations"][0]["notes"] == "Gesprek over de zorg."
    assert data["trajectories"][0]["plan_versions"][0]["goals"][0]["text"] == GOAL["text"]
    assert data["trajectories"][0]["measurements"][0]["score"]["rule"] == "capability_set"
    assert data["consents"][0]["kind"] == "employer"
    mine = data["availability_and_strengths"]
    assert mine["what_you_are_good_at"] == "Ik kan goed luisteren." and mine["days"] == ["Maandag", "Vrijdag"]
    assert (
        any(row["who"] == professional.get_full_name() for row in data["access_log"])
        or data["access_log"] == []
    )
    pdf = portal.get(reverse("portal:export_pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Jan Jansen" in text and "Gesprek over de zorg." in text
    exports = AccessEvent.objects.filter(action="export", client_uuid=trajectory.client.uuid)
    assert sorted(e.detail["format"] for e in exports) == ["json", "pdf"]


def test_export_query_count_does_not_grow(trajectory, plan, django_assert_max_num_queries):

    def grow():
        for _ in range(5):
            ConversationFactory(trajectory=trajectory)
            ActionFactory(trajectory=trajectory)
            make_measurement(trajectory, "lwc", lwc_answers())

    grow()

    with CaptureQueriesContext(connection) as small:
        export.collect(trajectory.client)
    grow()
    with CaptureQueriesContext(connection) as large:
        export.collect(trajectory.client)
    assert len(small) == len(large) <= 20, len(large)


def test_portal_events_show_in_the_administrators_access_log_and_the_chain_holds(
    portal, client, trajectory, functional_admin
):

    portal.get(reverse("portal:home"))
    portal.post(reverse("portal:consent"), {"kind": "research"})
    admin = client.__class__()
    admin.force_login(functional_admin)
    session = admin.session
    session[TWO_FACTOR_VERIFIED_AT] = 1
    session.save()
    html = admin.get(reverse("audit:log"), {"client": str(trajectory.client.uuid)}).content.decode()
    assert ">Toestemming" in html and ">Cliënt, in het portaal<" in html  # the role in words, not its key
    assert verify() == []


def test_every_staff_role_has_words_for_the_client():
    """The client's access log names the role of whoever looked: a new role without words shows nothing."""

    # Besides the staff roles: an employer through its one-time link (matching).
    assert set(ROLE_WORDS) == set(Role.values) | {"employer_link"}


def test_the_pdf_of_my_data_reads_in_words_and_dutch_dates(portal, trajectory, plan, professional):
    """The questions and answer labels, not item keys and numbers; dates as on the screen, not ISO."""

    make_measurement(trajectory, "lwc", lwc_answers(income=(5, 2, 2)))
    services_consent_give(trajectory)
    pdf = portal.get(reverse("portal:export_pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Wat vindt u belangrijk in werk?" in text
    assert "Een goed inkomen verdienen met werk. Hoe belangrijk is dat voor u?" in text
    assert "Heel belangrijk (5)" in text
    assert "income.importance" not in text and "use_skills" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), re.findall(r".{30}\d{4}-\d{2}-\d{2}.{10}", text)
    months = "jan.|feb.|mrt.|apr.|mei|jun.|jul.|aug.|sep.|okt.|nov.|dec."
    assert re.search(rf"\d{{1,2}} ({months}) \d{{4}} \d{{2}}:\d{{2}}", text)  # a moment, e.g. the consent


def test_the_client_agrees_to_the_plan_in_the_portal(portal, client, trajectory, plan, professional, login):
    """Recorded as the plan's agreement "in the client portal" with the client as actor; a timeline entry;
    the professional's plan page shows it; the button is gone afterwards."""

    page = portal.get(reverse("portal:goals")).content.decode()
    assert "Bent u het eens met dit plan?" in page and "Ik ben het eens met dit plan" in page
    response = portal.post(reverse("portal:plan_agree"), {"version": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:goals")
    agreement = PlanAgreement.objects.get()
    assert agreement.plan_version == plan and agreement.method == "portal" and agreement.recorded_by is None
    assert agreement.by_client and agreement.agreed_on == timezone.localdate()
    entry = TimelineEntry.objects.get(trajectory=trajectory, event="plan_agreed")
    assert entry.by_client
    assert AccessEvent.objects.filter(action="create", detail__by="client").exists()
    page = portal.get(reverse("portal:goals")).content.decode()
    assert "U bent akkoord met dit plan." in page and "Ik ben het eens met dit plan" not in page
    again = portal.post(reverse("portal:plan_agree"), {"version": "1"}, follow=True)
    assert "U bent al akkoord met dit plan." in again.content.decode()
    assert PlanAgreement.objects.count() == 1
    staff = login(professional).get(reverse("trajectories:plan", args=[trajectory.uuid])).content.decode()
    assert "de cliënt heeft ingestemd" in staff and "in het cliëntportaal" in staff.lower()


def test_agreeing_to_a_plan_the_client_did_not_read_is_refused(portal, trajectory, plan, professional):

    PlanVersion.objects.create(
        trajectory=trajectory, number=2, content=plan.content, reason="Nieuw", created_by=professional
    )
    response = portal.post(reverse("portal:plan_agree"), {"version": "1"}, follow=True)
    assert "Uw plan is net veranderd." in response.content.decode()
    assert portal.post(reverse("portal:plan_agree"), {"version": "x"}).status_code == 302
    assert PlanAgreement.objects.count() == 0
    trajectory.end_date, trajectory.end_reason = timezone.localdate(), "paid_work"
    trajectory.save(update_fields=["end_date", "end_reason"])
    assert portal.post(reverse("portal:plan_agree"), {"version": "2"}).status_code in (403, 404)
    assert PlanAgreement.objects.count() == 0
