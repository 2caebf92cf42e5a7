"""Case presentations (consent, pseudonymisation, confirmation, withdrawal), case reviews against the
checkpoints, and reflections linked to a trajectory's evaluation."""

import json

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.factories import TrajectoryFactory, UserFactory
from tests.intervision_cases import consented_case, present
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.instruments.definition import DefinitionError, parse_definition
from waardewerk.instruments.services import BUILTIN_DIR
from waardewerk.intervision import selectors, services
from waardewerk.intervision.models import IntervisionGroup, PresentationStatus
from waardewerk.intervision.pseudonym import Identifiers, age_band, as_text, marks, pseudonymise
from waardewerk.intervision.review import CheckpointError, check_checkpoints
from waardewerk.portal.selectors import access_log_page
from waardewerk.trajectories import services as trajectory_services


@pytest.fixture(autouse=True)
def english():
    """What the services write is checked in English below; pages answer in Dutch (the interface is Dutch
    first), so their texts are checked in Dutch."""
    with translation.override("en"):
        yield


@pytest.fixture
def group(professional, team_lead, colleague):
    group = IntervisionGroup.objects.create(organisation=professional.organisation, name="OT-groep Oost")
    group.members.set([professional, team_lead])
    return group


@pytest.fixture
def case(professional):
    return consented_case(professional)[0]


# Pseudonymisation ---------------------------------------------------------------------------------------


def _known():
    known = Identifiers()
    known.add_name("Fatima", "de", "Bakker", "client")
    known.add("Zwolle", "place")
    known.add_list("Henk Jansen en Els", "contact")
    known.add("Zorggroep Noord", "employer")
    return known


def test_the_identifiers_the_record_knows_are_replaced():
    text = "Fatima belde Henk Jansen van Zorggroep Noord in Zwolle; mevrouw De Bakker en Els waren er."
    segments = pseudonymise(text, _known())
    plain = as_text(segments)
    for word in ("Fatima", "Henk", "Jansen", "Zorggroep", "Zwolle", "Bakker", "Els"):
        assert word not in plain
    assert "[client]" in plain and "[contact]" in plain and "[employer]" in plain and "[place]" in plain


def test_patterns_catch_what_the_record_does_not_know():
    plain = as_text(
        pseudonymise("Mail j.devries@example.nl of bel 06-12345678, BSN 123456782, 8011 AB.", Identifiers())
    )
    assert "example" not in plain and "12345678" not in plain and "8011" not in plain
    assert "[e-mail]" in plain and "[phone]" in plain


def test_remaining_capitalised_words_are_marked_but_not_a_common_sentence_start():
    segments = pseudonymise("De cliënt wil bij Albert Heijn werken. Hij leert Excel.", Identifiers())
    assert marks(segments) == ["Albert", "Heijn", "Excel"]


def test_age_bands():
    assert [age_band(a) for a in (19, 25, 34, 47, 64, 70)] == [
        "under 25",
        "25 to 34",
        "25 to 34",
        "45 to 54",
        "55 to 64",
        "65 or older",
    ]


# Presentations ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_presentation_needs_the_clients_intervision_consent(professional, group):
    trajectory, _lwc = consented_case(professional, consent=False)
    with pytest.raises(ValidationError) as error:
        services.presentation_create(
            actor=professional, group=group, trajectory=trajectory, title="Casus", parts=["plan"]
        )
    assert "trajectory" in error.value.message_dict


@pytest.mark.django_db
def test_only_a_member_presents_only_their_own_trajectory(professional, team_lead, colleague, group, case):
    with pytest.raises(ValidationError):
        services.presentation_create(actor=team_lead, group=group, trajectory=case, title="x", parts=["plan"])
    with pytest.raises(PermissionDeniedError):
        services.presentation_create(actor=colleague, group=group, trajectory=case, title="x", parts=["plan"])


@pytest.mark.django_db
def test_bad_input_gets_a_message_per_field_and_stores_nothing(professional, group, case):
    with pytest.raises(ValidationError) as error:
        services.presentation_create(
            actor=professional, group=group, trajectory=case, title="", parts=["nonsense"], sector="ZZ"
        )
    assert {"title", "parts", "sector"} <= set(error.value.message_dict)
    assert not group.presentations.exists()


@pytest.mark.django_db
def test_what_the_group_sees_has_no_identifiers(professional, group, case):
    presentation = present(professional, group, case)
    stored = presentation.snapshot
    client = case.client
    for secret in (
        client.first_name,
        client.last_name,
        "Zwolle",
        "Lindelaan",
        "8011",
        "06-12345678",
        client.bsn,
        "1979",
        "02-03",
        "Zorggroep",
        "Henk",
        "Jansen",
    ):
        assert secret not in stored, secret
    content = presentation.content
    intro = dict(content["intro"])
    assert intro["Age"] == "45 to 54" and intro["Sector of the employer"] == "Health and social work"
    assert "Excel" in content["marks"]
    assert content["instruments"] and content["plan"]["choices"] and content["evaluation"]["texts"]


@pytest.mark.django_db
def test_the_owner_confirms_exactly_what_they_saw(professional, group, case):
    presentation = services.presentation_create(
        actor=professional, group=group, trajectory=case, title="Casus", parts=["timeline"]
    )
    with pytest.raises(ConcurrentEditError):
        services.presentation_confirm(actor=professional, presentation=presentation, seen="0" * 64)
    presentation.refresh_from_db()
    assert presentation.status == PresentationStatus.DRAFT and not presentation.snapshot


@pytest.mark.django_db
def test_only_the_owner_sees_a_draft_and_members_see_a_shared_one(
    professional, team_lead, colleague, group, case
):
    draft = present(professional, group, case, share=False)
    assert selectors.group_presentations(team_lead, group) == []
    assert selectors.group_presentations(professional, group) == [draft]
    shared = present(professional, group, case)
    assert shared in selectors.group_presentations(team_lead, group)
    assert list(selectors.group_presentations(colleague, group)) == []


@pytest.mark.django_db
def test_withdrawing_the_consent_withdraws_the_presentation_for_good(
    client, professional, team_lead, group, case
):
    presentation = present(professional, group, case)
    consent = presentation.consent
    trajectory_services.consent_withdraw(actor=professional, consent=consent)
    client.force_login(team_lead)
    assert client.get(reverse("intervision:presentation", args=[presentation.uuid])).status_code == 404
    trajectory_services.consent_give(actor=professional, client=case.client, kind="intervision")
    assert client.get(reverse("intervision:presentation", args=[presentation.uuid])).status_code == 404
    client.force_login(professional)
    page = client.get(reverse("intervision:presentation", args=[presentation.uuid]))
    assert (
        page.status_code == 200
        and "heeft de toestemming voor intervisie ingetrokken" in page.content.decode()
    )


@pytest.mark.django_db
def test_a_members_read_is_logged_and_shown_to_the_client_as_the_group(
    client, professional, team_lead, group, case
):
    presentation = present(professional, group, case)
    client.force_login(team_lead)
    page = client.get(reverse("intervision:presentation", args=[presentation.uuid]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fatima" not in html and "Bakker" not in html and "[client]" in html
    event = AccessEvent.objects.filter(object_uuid=presentation.uuid, action="view").latest("id")
    assert event.client_uuid == case.client.uuid and event.detail["as_group"] is True
    with translation.override("en"):
        _page, rows = access_log_page(case.client, 1)
    row = next(r for r in rows if "intervision" in r.what)
    assert row.who == "Intervision group OT-groep Oost" and "Lea" not in row.who


@pytest.mark.django_db
def test_the_owner_withdraws_a_presentation(client, professional, team_lead, group, case):
    presentation = present(professional, group, case)
    with pytest.raises(PermissionDeniedError):
        services.presentation_withdraw(actor=team_lead, presentation=presentation)
    services.presentation_withdraw(actor=professional, presentation=presentation)
    assert presentation.status == PresentationStatus.WITHDRAWN and not presentation.snapshot
    client.force_login(team_lead)
    assert client.get(reverse("intervision:presentation", args=[presentation.uuid])).status_code == 404


@pytest.mark.django_db
def test_a_session_takes_a_shared_presentation_as_its_case(client, professional, team_lead, group, case):
    import datetime as dt

    presentation = present(professional, group, case)
    session = services.session_create(
        actor=professional,
        group=group,
        date=dt.date(2026, 9, 1),
        method_key="incident",
        facilitator=team_lead,
        case_owner=professional,
    )
    services.session_record(
        actor=team_lead,
        session=session,
        base_version=session.version,
        core_question="Wat is de kern?",
        notes={},
        choice="",
        case_owner=professional,
        presentation=presentation,
    )
    client.force_login(team_lead)
    html = client.get(reverse("intervision:session", args=[session.uuid])).content.decode()
    assert "Terug naar de zorg" in html
    trajectory_services.consent_withdraw(actor=professional, consent=presentation.consent)
    html = client.get(reverse("intervision:session", args=[session.uuid])).content.decode()
    assert "Terug naar de zorg" not in html and "De casuspresentatie is ingetrokken." in html


# Reviews ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_checkpoints_are_answered_from_the_data_with_evidence(professional, case):
    review = services.review_start(actor=professional, trajectory=case)
    results = {r["key"]: r for r in review.result_list}
    assert len(results) == 8
    assert results["intake-measurements"]["outcome"] == "met"
    # contacts (important, enabled, not achieved) has no goal; income has one
    assert results["values-answered"]["outcome"] == "attention"
    assert (
        "Contacts" in results["values-answered"]["finding"]
        or "contact" in results["values-answered"]["finding"]
    )
    assert any(e["kind"] == "goal" for e in results["values-answered"]["evidence"])
    # self-efficacy: client 2, professional 5: a gap of 3, followed by the conversation
    assert results["gap-discussed"]["outcome"] == "met"
    assert any(e["kind"] == "conversation" for e in results["gap-discussed"]["evidence"])
    assert results["low-rating-has-goal"]["outcome"] == "attention"
    assert results["three-sources"]["outcome"] == "attention"
    assert results["agreement-per-version"]["outcome"] == "met"
    assert results["remeasure-after-adjustment"]["outcome"] == "met"
    assert results["evaluation-reflection"]["outcome"] == "met"


@pytest.mark.django_db
def test_a_trajectory_without_data_is_mostly_not_applicable(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    review = services.review_start(actor=professional, trajectory=trajectory)
    outcomes = {r["key"]: r["outcome"] for r in review.result_list}
    assert outcomes["intake-measurements"] == "attention"
    assert {outcomes[k] for k in ("gap-discussed", "three-sources", "agreement-per-version")} == {"na"}


@pytest.mark.django_db
def test_a_peer_reviews_through_the_presentation_and_shares_with_the_group(
    client, professional, team_lead, colleague, group, case
):
    presentation = present(professional, group, case)
    with pytest.raises(PermissionDeniedError):
        services.review_start(actor=professional, presentation=presentation)  # the owner is no peer
    review = services.review_start(actor=team_lead, presentation=presentation)
    assert review.trajectory_id == case.pk
    services.review_save(
        actor=team_lead,
        review=review,
        base_version=review.version,
        verdicts={"three-sources": "met"},
        words={"three-sources": "De voorkeur staat in het gespreksverslag."},
        share_with=group,
    )
    with pytest.raises(ConcurrentEditError):
        services.review_save(
            actor=team_lead, review=review, base_version=review.version - 1, verdicts={}, words={}
        )
    with pytest.raises(PermissionDeniedError):
        services.review_save(
            actor=professional, review=review, base_version=review.version, verdicts={}, words={}
        )
    client.force_login(professional)
    page = client.get(reverse("intervision:review", args=[review.uuid])).content.decode()
    assert "De voorkeur staat in het gespreksverslag." in page
    client.force_login(colleague)
    assert client.get(reverse("intervision:review", args=[review.uuid])).status_code == 404
    trajectory_services.consent_withdraw(actor=professional, consent=presentation.consent)
    assert review not in selectors.my_reviews(UserFactory(organisation=professional.organisation))


@pytest.mark.django_db
def test_a_review_is_never_a_figure_for_a_manager(client, professional, functional_admin, case):
    services.review_start(actor=professional, trajectory=case)
    other_lead = UserFactory(organisation=professional.organisation, role=Role.TEAM_LEAD)
    assert selectors.my_reviews(other_lead) == []
    client.force_login(functional_admin)
    assert client.get(reverse("intervision:reviews")).status_code == 403


@pytest.mark.django_db
def test_bad_verdicts_get_a_message(professional, case):
    review = services.review_start(actor=professional, trajectory=case)
    with pytest.raises(ValidationError) as error:
        services.review_save(
            actor=professional,
            review=review,
            base_version=review.version,
            verdicts={"three-sources": "excellent"},
            words={"three-sources": "x" * 3000},
        )
    assert {"verdict_three-sources", "words_three-sources"} <= set(error.value.message_dict)
    review.refresh_from_db()
    assert all(r["words"] == "" for r in review.result_list)


def test_a_checkpoint_file_with_problems_is_refused_naming_each():
    with pytest.raises(CheckpointError) as error:
        check_checkpoints(
            {
                "key": "x",
                "version": 1,
                "title": {"nl": "X"},
                "description": {"nl": "X"},
                "sources": ["bron"],
                "checkpoints": [
                    {"key": "a", "title": {"nl": "A"}, "explanation": {"nl": "A"}, "check": "guess"},
                    {
                        "key": "b",
                        "title": {"nl": "B"},
                        "explanation": {"nl": "B"},
                        "check": "gap_discussed",
                        "params": {"within_days": 0, "colour": "red"},
                    },
                ],
            }
        )
    problems = " ".join(error.value.problems)
    assert "checkpoints[0].check: unknown 'guess'" in problems
    assert "checkpoints[1].params.within_days" in problems and "checkpoints[1].params.colour" in problems


def test_the_attention_role_needs_a_determinant_of_the_profile():
    raw = yaml.safe_load((BUILTIN_DIR / "igm.yaml").read_text())
    raw["roles"]["attention"] = {"no_such_item": 2}
    with pytest.raises(DefinitionError) as error:
        parse_definition(yaml.safe_dump(raw), "x.yaml")
    assert "roles.attention.no_such_item" in str(error.value)


# A reflection linked to the evaluation ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reflection_linked_to_the_evaluation_is_shown_there(client, professional, team_lead, group, case):
    import datetime as dt

    first = services.session_create(
        actor=professional,
        group=group,
        date=dt.date(2026, 9, 1),
        method_key="incident",
        facilitator=team_lead,
    )
    second = services.session_create(
        actor=professional,
        group=group,
        date=dt.date(2026, 10, 13),
        method_key="learning-cycle",
        facilitator=team_lead,
    )
    case.end_date = None
    experiment = services.experiment_add(
        actor=professional,
        session=first,
        description="Eerder de werkgever bellen",
        until=dt.date(2026, 10, 1),
        trajectory=case,
    )
    with pytest.raises(PermissionDeniedError):
        services.experiment_reflect(
            actor=team_lead,
            experiment=experiment,
            session=second,
            what_happened="x",
            learned="y",
            link_to_evaluation=True,
        )
    services.experiment_reflect(
        actor=professional,
        experiment=experiment,
        session=second,
        what_happened="De werkgever dacht mee.",
        learned="Bel in week twee.",
        link_to_evaluation=True,
    )
    client.force_login(professional)
    page = client.get(reverse("trajectories:evaluation", args=[case.uuid])).content.decode()
    assert "Bel in week twee." in page and "OT-groep Oost" in page


@pytest.mark.django_db
def test_the_stored_results_are_encrypted(professional, case):
    from django.db import connection

    review = services.review_start(actor=professional, trajectory=case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT results FROM intervision_casereview WHERE id = %s", [review.pk])
        raw = cursor.fetchone()[0]
    with pytest.raises(ValueError):
        json.loads(raw)


@pytest.mark.django_db
def test_a_peers_review_shows_to_the_client_as_the_group(client, professional, team_lead, group, case):
    presentation = present(professional, group, case)
    review = services.review_start(actor=team_lead, presentation=presentation)
    client.force_login(team_lead)
    assert client.get(reverse("intervision:review", args=[review.uuid])).status_code == 200
    with translation.override("en"):
        _page, rows = access_log_page(case.client, 1)
    about_review = [r for r in rows if "review of your case" in r.what]
    assert len(about_review) == 2  # the review made, and read
    assert {r.who for r in about_review} == {"Intervision group OT-groep Oost"}


@pytest.mark.django_db
def test_an_owner_who_lost_the_trajectory_sees_no_preview_and_cannot_share(
    client, professional, colleague, group, case
):
    draft = present(professional, group, case, share=False)
    seen = "0" * 64
    case.responsible = colleague
    case.save(update_fields=["responsible"])
    client.force_login(professional)
    page = client.get(reverse("intervision:presentation", args=[draft.uuid])).content.decode()
    assert "Hulpvraag of opdracht" not in page and "Proefplaatsing" not in page
    with pytest.raises(ValidationError):
        services.presentation_confirm(actor=professional, presentation=draft, seen=seen)
