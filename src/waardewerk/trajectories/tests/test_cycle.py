"""The methodical cycle: conversations with guide topics and agreements, the plan with versions, grounds
and agreement, progress notes, adjustments, evaluation, the phase checklist and the timeline filter."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import ConversationFactory, TrajectoryFactory, igm_answers, lwc_answers, make_measurement
from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.pages.trajectory import trajectory_queryset, trajectory_section
from waardewerk.timeline.selectors import timeline_entries
from waardewerk.trajectories import services
from waardewerk.trajectories.models import Action, Conversation, Evaluation, PlanVersion
from waardewerk.trajectories.plan import PlanContent


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=timezone.localdate() - dt.timedelta(days=60),
        context="participation_act",
    )


def _goal(text="Weer aan het werk in de zorg, 24 uur", **extra):
    return {
        "key": "",
        "text": text,
        "values": ["contribution"],
        "determinants": ["self_efficacy"],
        "status": "active",
    } | extra


def _choice(**extra):
    return {
        "key": "",
        "goal": "",
        "description": "Werkervaringsplaats in een verpleeghuis",
        "research": "IPS-principes: eerst plaatsen, dan trainen",
        "evidence_level": "good_indications",
        "expertise": "Eerdere stages liepen goed als er een vaste begeleider was.",
        "preference": "Ik wil eerst zien of ik het volhoud.",
    } | extra


# Conversations -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_conversation_keeps_participants_topics_and_turns_agreements_into_actions(professional, trajectory):
    due = timezone.localdate() + dt.timedelta(days=14)
    conversation = services.conversation_record(
        actor=professional,
        trajectory=trajectory,
        date=timezone.localdate(),
        mode="in_person",
        summary="Cliënt wil in de zorg werken; zorgen over volhouden.",
        participants=["client", "professional", "employer"],
        other_participants="Werkgever: mevrouw Jansen",
        topics=["values_in_work", "strengths"],
        agreements=[
            {"description": "Cv bijwerken", "owner": "client", "due_date": due},
            {"description": "", "owner": "client", "due_date": None},  # an empty row is ignored
            {"description": "Contact met verpleeghuis", "owner": "professional", "due_date": due},
        ],
    )
    assert conversation.participants == ["client", "professional", "employer"]
    assert conversation.topics == ["values_in_work", "strengths"]
    actions = list(Action.objects.filter(conversation=conversation).order_by("description"))
    assert [(a.description, a.owner, a.due_date) for a in actions] == [
        ("Contact met verpleeghuis", "professional", due),
        ("Cv bijwerken", "client", due),
    ]
    assert all(a.agreed_on == conversation.date for a in actions)


@pytest.mark.django_db
def test_conversation_agreements_and_others_are_checked(professional, trajectory):
    with pytest.raises(ValidationError) as error:
        services.conversation_record(
            actor=professional,
            trajectory=trajectory,
            date=timezone.localdate(),
            mode="phone",
            summary="x",
            participants=["client", "other"],
            agreements=[{"description": "Bellen", "owner": "nobody", "due_date": timezone.localdate()}],
        )
    assert set(error.value.message_dict) == {"other_participants", "agreement-0"}
    assert Conversation.objects.count() == 0 and Action.objects.count() == 0


@pytest.mark.django_db
def test_the_conversation_page_offers_the_guide_topics_of_the_phase(login, professional, trajectory):
    from waardewerk.knowledge.selectors import current_guide

    found = current_guide()
    assert found is not None, "the default guide is loaded after migrate"
    _version, guide = found
    topics = guide.topics_for(trajectory.phase, trajectory.context)
    page = login(professional).get(reverse("trajectories:add_conversation", args=[trajectory.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    for topic in topics:
        assert topic.title in html
        assert topic.questions[0] in html


@pytest.mark.django_db
def test_recording_through_the_page_stores_the_guide_version(login, professional, trajectory):
    from waardewerk.knowledge.selectors import current_guide

    version, guide = current_guide()
    topic = guide.topics_for(trajectory.phase, trajectory.context)[0]
    response = login(professional).post(
        reverse("trajectories:add_conversation", args=[trajectory.uuid]),
        {
            "date": timezone.localdate().isoformat(),
            "mode": "phone",
            "summary": "Besproken wat werk waardevol maakt.",
            "participants": ["client", "professional"],
            "topics": [topic.key],
            "agreement-0-description": "Vacatures bekijken",
            "agreement-0-owner": "client",
            "agreement-0-due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.guide_version == version and conversation.topics == [topic.key]
    assert conversation.agreements.get().description == "Vacatures bekijken"


# The plan ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_plan_is_versioned_with_reasons_and_goal_keys_stay(professional, trajectory):
    first = services.plan_save(
        actor=professional, trajectory=trajectory, goals=[_goal()], choices=[], reason="", base_number=0
    )
    content = PlanContent.from_json(first.content)
    goal_key = content.goals[0].key
    with pytest.raises(ValidationError) as error:  # a change needs a reason
        services.plan_save(
            actor=professional,
            trajectory=trajectory,
            goals=[_goal(key=goal_key)],
            choices=[_choice(goal=goal_key)],
            reason="",
            base_number=1,
        )
    assert "reason" in error.value.message_dict
    second = services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[_goal(key=goal_key, text="Weer aan het werk in de zorg, eerst 16 uur")],
        choices=[_choice(goal=goal_key)],
        reason="Minder uren om mee te beginnen, op verzoek van de cliënt.",
        base_number=1,
    )
    assert second.number == 2
    assert PlanContent.from_json(second.content).goals[0].key == goal_key
    first.refresh_from_db()
    assert PlanContent.from_json(first.content).goals[0].text == "Weer aan het werk in de zorg, 24 uur"


@pytest.mark.django_db
def test_a_concurrent_plan_edit_is_detected_and_nothing_is_lost(login, professional, colleague, trajectory):
    from waardewerk.trajectories.models import TrajectoryAssignment

    TrajectoryAssignment.objects.create(
        trajectory=trajectory,
        user=colleague,
        kind="co_professional",
        starts_on=trajectory.start_date,
        created_by=professional,
    )
    services.plan_save(
        actor=professional, trajectory=trajectory, goals=[_goal()], choices=[], reason="", base_number=0
    )
    key = (
        PlanVersion.objects.get().content
        and PlanContent.from_json(PlanVersion.objects.get().content).goals[0].key
    )
    form = {
        "base_number": "1",
        "goal-TOTAL_FORMS": "1",
        "goal-INITIAL_FORMS": "1",
        "goal-0-key": key,
        "goal-0-status": "active",
        "choice-TOTAL_FORMS": "0",
        "choice-INITIAL_FORMS": "0",
    }
    first = login(professional).post(
        reverse("trajectories:plan_edit", args=[trajectory.uuid]),
        form | {"goal-0-text": "Eerste gebruiker", "reason": "Aangepast door A"},
    )
    assert first.status_code == 302
    second = login(colleague).post(
        reverse("trajectories:plan_edit", args=[trajectory.uuid]),
        form | {"goal-0-text": "Tweede gebruiker, niet kwijt", "reason": "Aangepast door B"},
    )
    html = second.content.decode()
    assert second.status_code == 422
    assert "Tweede gebruiker, niet kwijt" in html  # the second user's text is still in the form
    assert "Eerste gebruiker" in html  # beside the current plan
    assert PlanVersion.objects.count() == 2
    with pytest.raises(ConcurrentEditError):
        services.plan_save(
            actor=colleague, trajectory=trajectory, goals=[_goal()], choices=[], reason="x", base_number=1
        )


@pytest.mark.django_db
def test_the_plan_page_shows_missing_knowledge_sources_and_agreement(login, professional, trajectory):
    services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[_goal()],
        choices=[
            _choice(),
            _choice(
                description="Training sollicitatiegesprek", research="", evidence_level="", preference=""
            ),
        ],
        reason="",
        base_number=0,
    )
    c = login(professional)
    url = reverse("trajectories:plan", args=[trajectory.uuid])
    html = c.get(url).content.decode()
    assert html.count('class="ww-missing"') == 2  # research and preference of the second choice
    assert "utrecht-status-badge--warning" in html  # not yet agreed
    response = c.post(
        reverse("trajectories:plan_agree", args=[trajectory.uuid]),
        {"agreed_on": timezone.localdate().isoformat(), "method": "conversation", "note": ""},
    )
    assert response.status_code == 302
    html = c.get(url).content.decode()
    assert "utrecht-status-badge--success" in html
    # Once agreed, the form gives way to who agreed when and how.
    assert 'action="' + reverse("trajectories:plan_agree", args=[trajectory.uuid]) not in html
    assert "De cliënt ging akkoord op" in html and "vastgelegd door Pia Professional" in html
    bad = c.post(
        reverse("trajectories:plan_agree", args=[trajectory.uuid]),
        {"agreed_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(), "method": "signed"},
    )
    assert bad.status_code == 422


@pytest.mark.django_db
def test_plan_content_is_encrypted_at_rest(professional, trajectory):
    from django.db import connection

    services.plan_save(
        actor=professional, trajectory=trajectory, goals=[_goal()], choices=[], reason="", base_number=0
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM trajectories_planversion")
        (stored,) = cursor.fetchone()
    assert "zorg" not in stored and stored.startswith("gAAAAA")


@pytest.mark.django_db
def test_plan_goals_must_link_to_known_values(professional, trajectory):
    with pytest.raises(ValidationError) as error:
        services.plan_save(
            actor=professional,
            trajectory=trajectory,
            goals=[_goal(values=["fame"])],
            choices=[],
            reason="",
            base_number=0,
        )
    assert "goal-0-values" in error.value.message_dict


# Monitoring, adjusting, evaluation ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_adjustment_names_what_prompted_it(professional, trajectory):
    measurement = make_measurement(trajectory, "igm", igm_answers(2))
    with pytest.raises(ValidationError) as error:
        services.adjustment_record(
            actor=professional,
            trajectory=trajectory,
            date=timezone.localdate(),
            prompted_by="measurement",
            reason="Eigen effectiviteit daalt",
            change="Kleinere stappen",
        )
    assert "measurement" in error.value.message_dict
    adjustment = services.adjustment_record(
        actor=professional,
        trajectory=trajectory,
        date=timezone.localdate(),
        prompted_by="measurement",
        measurement=measurement,
        reason="Eigen effectiviteit daalt",
        change="Kleinere stappen",
    )
    assert adjustment.measurement == measurement
    other = make_measurement(TrajectoryFactory(responsible=professional), "igm", igm_answers())
    with pytest.raises(PermissionDeniedError):
        services.adjustment_record(
            actor=professional,
            trajectory=trajectory,
            date=timezone.localdate(),
            prompted_by="measurement",
            measurement=other,
            reason="x",
            change="y",
        )


@pytest.mark.django_db
def test_the_evaluation_is_saved_and_concurrent_edits_are_refused(professional, trajectory):
    fields = {
        "work": True,
        "employer": "Zorggroep Lindendaal",
        "job_title": "Zorghulp",
        "hours_per_week": 20,
        "contract_type": "temporary",
        "with_support": True,
        "support": "Jobcoach",
        "ladder_rung": 5,
        "client_evaluation": "Ik had dit niet gedacht.",
        "what_worked": "Kleine stappen",
        "do_differently": "Eerder de werkgever betrekken",
        "missed_chances": "Netwerk van de cliënt",
    }
    evaluation = services.evaluation_save(actor=professional, trajectory=trajectory, version=None, **fields)
    assert evaluation.version == 1
    services.evaluation_save(
        actor=professional, trajectory=trajectory, version=1, **fields | {"hours_per_week": 24}
    )
    with pytest.raises(ConcurrentEditError):
        services.evaluation_save(actor=professional, trajectory=trajectory, version=1, **fields)
    assert Evaluation.objects.get().hours_per_week == 24
    with pytest.raises(ValidationError):
        services.evaluation_save(
            actor=professional, trajectory=trajectory, version=2, **fields | {"employer": ""}
        )


@pytest.mark.django_db
def test_the_phase_checklist_says_what_is_missing(professional, trajectory):
    def current_phase_checks():
        fresh = trajectory_queryset(professional).get(pk=trajectory.pk)
        checklist = trajectory_section(professional, fresh)["checklists"][0]
        return {c.label: c.done for c in checklist.checks}

    intake = current_phase_checks()
    assert not any(intake.values())
    make_measurement(trajectory, "lwc", lwc_answers())
    make_measurement(trajectory, "igm", igm_answers(), respondent="client")
    ConversationFactory(trajectory=trajectory, topics=["values_in_work"])
    intake = current_phase_checks()
    assert sum(intake.values()) == 3  # conversation topics, LWC, IGM by the client
    assert not all(intake.values())  # IGM by the professional and the ladder are still missing


@pytest.mark.django_db
def test_the_timeline_shows_the_cycle_and_filters_by_kind(login, professional, trajectory):
    services.plan_save(
        actor=professional, trajectory=trajectory, goals=[_goal()], choices=[], reason="", base_number=0
    )
    services.progress_note_add(
        actor=professional, trajectory=trajectory, date=timezone.localdate(), text="Stage loopt"
    )
    services.adjustment_record(
        actor=professional,
        trajectory=trajectory,
        date=timezone.localdate(),
        prompted_by="event",
        event="Verhuisd",
        reason="Reistijd",
        change="Andere werkplek",
    )
    make_measurement(trajectory, "participatieladder", {"rung": 3}, respondent="professional")
    kinds = {entry.kind for entry in timeline_entries(trajectory)}
    assert {"plan", "note", "adjustment", "measurement", "phase"} <= kinds
    assert {entry.kind for entry in timeline_entries(trajectory, "plan")} == {"plan"}
    c = login(professional)
    partial = c.get(
        reverse("trajectories:detail", args=[trajectory.uuid]) + "?kind=note", HTTP_HX_REQUEST="true"
    )
    html = partial.content.decode()
    assert "<html" not in html and "Stage loopt" in html and "Reistijd" not in html


@pytest.mark.django_db
def test_cycle_writes_are_audited(professional, trajectory):
    services.progress_note_add(actor=professional, trajectory=trajectory, date=timezone.localdate(), text="x")
    assert AccessEvent.objects.filter(
        client_uuid=trajectory.client.uuid, object_type="trajectories.progressnote", action="create"
    ).exists()


@pytest.mark.django_db
def test_a_closed_trajectory_takes_no_plan_changes(professional, trajectory):
    trajectory.end_date = timezone.localdate()
    trajectory.end_reason = "moved"
    trajectory.save()
    with pytest.raises(PermissionDeniedError):
        services.plan_save(
            actor=professional, trajectory=trajectory, goals=[_goal()], choices=[], reason="", base_number=0
        )
    assert not PlanVersion.objects.exists()


@pytest.mark.django_db
def test_an_action_can_serve_a_goal_and_shows_under_it(login, professional, trajectory):
    version = services.plan_save(
        actor=professional, trajectory=trajectory, goals=[_goal()], choices=[], reason="", base_number=0
    )
    key = PlanContent.from_json(version.content).goals[0].key
    c = login(professional)
    response = c.post(
        reverse("trajectories:add_action", args=[trajectory.uuid]),
        {
            "description": "Proefdag in het verpleeghuis",
            "owner": "client",
            "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "goal_key": key,
        },
    )
    assert response.status_code == 302
    assert Action.objects.get().goal_key == key
    page = c.get(reverse("trajectories:plan", args=[trajectory.uuid])).content.decode()
    goal_section = page.split("ww-plan-goal", 1)[1].split("</section>", 1)[0]
    assert "Proefdag in het verpleeghuis" in goal_section
    bad = c.post(
        reverse("trajectories:add_action", args=[trajectory.uuid]),
        {
            "description": "x",
            "owner": "client",
            "due_date": timezone.localdate().isoformat(),
            "goal_key": "g-nope",
        },
    )
    assert bad.status_code == 422


@pytest.mark.django_db
def test_the_conversation_form_folds_its_optional_parts(login, professional, trajectory):
    """The phase's topics in view, other phases' topics, principles and agreements folded (details, no
    JavaScript); a failed form opens the folded part that holds what was entered."""
    import re

    from waardewerk.knowledge.selectors import current_guide

    _version, guide = current_guide()
    own = guide.topics_for(trajectory.phase, trajectory.context)
    url = reverse("trajectories:add_conversation", args=[trajectory.uuid])
    c = login(professional)
    html = c.get(url).content.decode()
    folds = re.findall(r'<details class="ww-details ww-fold"( open)?>\s*<summary>(.*?)</summary>', html, re.S)
    assert len(folds) == 3 and not any(is_open for is_open, _summary in folds), folds
    before_fold = html[: html.index('<details class="ww-details ww-fold"')]
    assert all(f'value="{t.key}"' in before_fold for t in own)
    response = c.post(url, {"date": "", "mode": "phone", "summary": "", "agreement-0-description": "Bellen"})
    assert response.status_code == 422
    opened = re.findall(
        r'<details class="ww-details ww-fold" open>\s*<summary>(.*?)</summary>',
        response.content.decode(),
        re.S,
    )
    assert len(opened) == 1 and "Afspraken" in opened[0]
