"""Retention per organisation, two-person approval of the destruction list, and anonymising instead of
destroying (docs/privacy.md)."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ConversationFactory,
    OrganisationFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    lwc_answers,
    make_measurement,
)
from tests.portal_helpers import portal_account
from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.audit.services import verify
from waardewerk.clients.models import Client
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.insights import figures as evidence
from waardewerk.portal.models import PortalAccount
from waardewerk.privacy import anonymise, services
from waardewerk.privacy.models import (
    AnonymisedFile,
    DestructionList,
    DestructionStatus,
    ErasureRecord,
    RetentionTerm,
)
from waardewerk.quality import figures
from waardewerk.quality.tests.test_quality import ended, practice  # noqa: F401 (the fixture)
from waardewerk.trajectories.models import Conversation, Evaluation, PlanVersion, Trajectory

pytestmark = pytest.mark.django_db


def _closed(professional, *, days_ago: int):
    end = timezone.localdate() - dt.timedelta(days=days_ago)
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        start_date=end - dt.timedelta(days=200),
        end_date=end,
        end_reason="work",
    )
    make_measurement(trajectory, "lwc", lwc_answers())
    ConversationFactory(trajectory=trajectory)
    portal_account(trajectory.client)
    return trajectory


# The organisation's own terms -------------------------------------------------------------------------------


def test_the_organisation_sets_its_own_term_within_bounds_with_history(functional_admin, professional):
    old = _closed(professional, days_ago=500)
    org = functional_admin.organisation_id
    assert services.terms_for(org)["client_file"].days == 730
    assert [e.count for e in services.plan(organisation_id=org) if e.rule.key == "client_file"] == [0]
    with pytest.raises(ValidationError) as refused:
        services.term_set(
            actor=functional_admin, rule_key="access_log", days=365, action="none", reason="Korter"
        )
    assert "NEN 7513" in str(refused.value)
    with pytest.raises(ValidationError):
        services.term_set(actor=functional_admin, rule_key="client_file", days=400, action="none", reason="x")
    with pytest.raises(ValidationError):
        services.term_set(
            actor=functional_admin, rule_key="client_file", days=400, action="destroy", reason=""
        )
    with pytest.raises(ValidationError):  # log-in attempts belong to no organisation
        services.term_set(
            actor=functional_admin, rule_key="login_attempts", days=5, action="destroy", reason="x"
        )
    assert not RetentionTerm.objects.exists()
    services.term_set(
        actor=functional_admin, rule_key="client_file", days=400, action="destroy", reason="Selectielijst"
    )
    services.term_set(
        actor=functional_admin, rule_key="client_file", days=450, action="anonymise", reason="Correctie"
    )
    term = services.terms_for(org)["client_file"]
    assert (term.days, term.action) == (450, "anonymise")
    history = list(services.term_history(org))
    assert [(h.days, h.reason, h.changed_by_id) for h in history] == [
        (450, "Correctie", functional_admin.pk),
        (400, "Selectielijst", functional_admin.pk),
    ]
    [entry] = [
        e for e in services.plan(organisation_id=org, list_clients=True) if e.rule.key == "client_file"
    ]
    assert entry.count == 1 and entry.clients[0].pk == old.client_id
    # Another organisation keeps the installation's term.
    other = OrganisationFactory()
    assert services.terms_for(other.pk)["client_file"].days == 730
    with pytest.raises(PermissionDenied):
        services.term_set(actor=professional, rule_key="client_file", days=400, action="destroy", reason="x")


# Two-person approval ----------------------------------------------------------------------------------------


def test_nothing_goes_before_two_people_approved(functional_admin, team_lead, professional):
    trajectory = _closed(professional, days_ago=800)
    recent = _closed(professional, days_ago=10)
    done = services.run()
    assert done.get("proposed") == 1 and not done.get("client_file")
    proposed = DestructionList.objects.get()
    assert [i.client_id for i in proposed.items.all()] == [trajectory.client_id]
    assert services.run().get("proposed") is None  # the list is still current: not proposed twice
    services.approve(actor=functional_admin, destruction_list=proposed)
    with pytest.raises(PermissionDeniedError):
        services.approve(actor=functional_admin, destruction_list=proposed)
    other_admin = UserFactory(organisation=functional_admin.organisation, role=Role.FUNCTIONAL_ADMIN)
    with pytest.raises(PermissionDeniedError):  # the second approval is the other role's
        services.approve(actor=other_admin, destruction_list=proposed)
    with pytest.raises(PermissionDenied):
        services.approve(actor=professional, destruction_list=proposed)
    assert services.run().get("client_file") is None
    assert Client.objects.filter(pk=trajectory.client_id).exists()
    services.approve(actor=team_lead, destruction_list=proposed)
    proposed.refresh_from_db()
    assert proposed.status == DestructionStatus.APPROVED
    assert services.carry_out(proposed) == {"done": 1}
    proposed.refresh_from_db()
    assert proposed.status == DestructionStatus.DONE
    # The default action of the client file is to anonymise: the row stays, without the person.
    kept = Client.objects.get(pk=trajectory.client_id)
    assert kept.last_name == anonymise.MARK and kept.bsn == "" and kept.uuid != trajectory.client.uuid
    item = proposed.items.get()
    record = ErasureRecord.objects.get(pk=item.erasure_id)
    assert record.action == "anonymise" and record.destruction_list_id == proposed.pk
    event = AccessEvent.objects.get(action="delete", object_uuid=record.uuid)
    assert event.client_uuid == trajectory.client.uuid and event.on_behalf_of == "retention"
    assert trajectory.client.last_name not in json.dumps([event.detail, record.counts, record.trajectories])
    assert Client.objects.filter(pk=recent.client_id).exists()
    assert services.run().get("proposed") is None  # an anonymised file is never proposed again
    assert verify() == []


def test_either_can_reject_with_a_reason(functional_admin, team_lead, professional):
    _closed(professional, days_ago=800)
    proposed = services.propose(functional_admin.organisation_id)
    with pytest.raises(ValidationError):
        services.reject(actor=team_lead, destruction_list=proposed, reason=" ")
    services.reject(actor=team_lead, destruction_list=proposed, reason="Dossier nog nodig voor bezwaar")
    proposed.refresh_from_db()
    assert proposed.status == DestructionStatus.REJECTED and proposed.rejected_by == team_lead
    with pytest.raises(ConcurrentEditError):
        services.approve(actor=functional_admin, destruction_list=proposed)
    event = AccessEvent.objects.filter(object_uuid=proposed.uuid).latest("id")
    assert "bezwaar" not in json.dumps(event.detail) + event.reason


def test_a_list_goes_stale_when_the_data_changed_and_is_proposed_again(
    functional_admin, team_lead, professional
):
    first = _closed(professional, days_ago=800)
    second = _closed(professional, days_ago=900)
    proposed = services.propose(functional_admin.organisation_id)
    assert proposed.items.count() == 2
    services.approve(actor=functional_admin, destruction_list=proposed)
    services.hold_set(actor=functional_admin, client=first.client, reason="Beroep loopt")
    with pytest.raises(services.ListOutOfDate):
        services.approve(actor=team_lead, destruction_list=proposed)
    proposed.refresh_from_db()
    assert proposed.status == DestructionStatus.STALE and proposed.stale_reason
    renewed = DestructionList.objects.get(status=DestructionStatus.PROPOSED)
    assert [i.client_id for i in renewed.items.all()] == [second.client_id]
    # Reopened trajectory after both approvals: the list is carried out not at all.
    services.approve(actor=functional_admin, destruction_list=renewed)
    services.approve(actor=team_lead, destruction_list=renewed)
    Trajectory.objects.filter(pk=second.pk).update(end_date=None)
    assert services.carry_out(DestructionList.objects.get(pk=renewed.pk)) == {"stale": 1}
    assert Client.objects.get(pk=second.client_id).last_name == second.client.last_name
    # Changing the action makes the open list out of date too.
    Trajectory.objects.filter(pk=second.pk).update(end_date=second.end_date)
    third = services.propose(functional_admin.organisation_id)
    services.term_set(
        actor=functional_admin, rule_key="client_file", days=730, action="destroy", reason="Vernietigen"
    )
    assert services.stale_reason(third)
    assert services.propose(functional_admin.organisation_id).items.get().action == "destroy"


def test_destroy_action_erases_the_file(functional_admin, team_lead, professional):
    trajectory = _closed(professional, days_ago=800)
    services.term_set(actor=functional_admin, rule_key="client_file", days=730, action="destroy", reason="x")
    proposed = services.propose(functional_admin.organisation_id)
    services.approve(actor=team_lead, destruction_list=proposed)
    services.approve(actor=functional_admin, destruction_list=proposed)
    assert services.run()["client_file"] == 1  # the daily run carries out an approved list
    assert not Client.objects.filter(pk=trajectory.client_id).exists()
    assert not PortalAccount.objects.filter(client_id=trajectory.client_id).exists()
    assert ErasureRecord.objects.get().action == "destroy"
    assert verify() == []


def test_plan_and_dry_run_per_organisation_and_action(functional_admin, professional):
    _closed(professional, days_ago=800)
    other = OrganisationFactory(name="Andere gemeente")
    other_pro = UserFactory(organisation=other, role=Role.PROFESSIONAL)
    TeamFactory(organisation=other)
    _closed(other_pro, days_ago=800)
    services.term_set(actor=functional_admin, rule_key="client_file", days=730, action="destroy", reason="x")
    out = io.StringIO()
    call_command("retention", "plan", stdout=out)
    text = out.getvalue()
    assert functional_admin.organisation.name in text and "Andere gemeente" in text
    lines = [line for line in text.splitlines() if "client_file" in line]
    assert len(lines) == 2 and "destroy" in lines[0] + lines[1] and "anonymise" in lines[0] + lines[1]
    out = io.StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    assert out.getvalue() == text
    assert services.run(dry_run=True)["client_file"] == 2
    assert not DestructionList.objects.exists() and Client.objects.count() == 2


# Anonymising ------------------------------------------------------------------------------------------------


def test_anonymising_keeps_the_quality_figures_and_leaves_no_personal_field(
    practice,  # noqa: F811
    professional,
    team,
):
    org = professional.organisation_id
    before = figures.compute(org)
    evidence_before = evidence.compute(org)
    trajectories = list(Trajectory.objects.filter(organisation_id=org).select_related("client"))
    names = {t.client.last_name for t in trajectories}
    for trajectory in trajectories:
        services.anonymise_client(actor=None, client=trajectory.client)
    after = figures.compute(org)
    before.pop("computed_at", None), after.pop("computed_at", None)
    assert after["scopes"] == before["scopes"]
    assert evidence.compute(org) == evidence_before
    assert AnonymisedFile.objects.count() == len(trajectories)
    for person in Client.objects.filter(organisation_id=org):
        assert person.last_name == anonymise.MARK and not (person.first_name or person.bsn or person.email)
        assert (person.date_of_birth.month, person.date_of_birth.day) == (1, 1)
    for model, names_ in anonymise.FIELDS.items():
        for row in model._base_manager.filter(**anonymise._in_file(model, [t.pk for t in trajectories])):
            for name in names_:
                assert getattr(row, name) in ("", anonymise.MARK), (model, name)
    for version in PlanVersion.objects.all():
        assert "Werk in de zorg" not in version.content and "Past bij haar" not in version.content
    stored = json.dumps([list(Evaluation.objects.values_list("what_worked", flat=True))])
    assert "De stage" not in stored
    assert {c.summary for c in Conversation.objects.all()} <= {"", anonymise.MARK}
    assert not names & set(Client.objects.values_list("last_name", flat=True))
    assert verify() == []


def test_every_text_field_of_a_kept_model_is_overwritten_or_declared_not_personal():
    for model, names in anonymise.FIELDS.items():
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
                continue
            if field.name in names or (model, field.name) in anonymise.NOT_PERSONAL:
                continue
            pytest.fail(f"{model.__name__}.{field.name}: overwrite it when anonymising, or declare it")


def test_the_access_log_of_an_anonymised_client_still_opens(client, functional_admin, professional):
    trajectory = _closed(professional, days_ago=800)
    old_uuid = trajectory.client.uuid
    services.anonymise_client(actor=None, client=trajectory.client)
    events = AccessEvent.objects.filter(client_uuid=old_uuid).count()
    assert events == 1  # the anonymisation, under the id the earlier events name (factories log nothing)
    client.force_login(functional_admin)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = 1
    session.save()
    response = client.get(reverse("audit:log"), {"client": str(old_uuid)})
    assert response.status_code == 200
    assert "1 gebeurtenis" in response.content.decode()


# The pages --------------------------------------------------------------------------------------------------


def test_the_terms_page_saves_a_term_and_refuses_bad_input_with_422(client, functional_admin):
    client.force_login(functional_admin)
    url = reverse("privacy:retention")
    page = client.get(url).content.decode()
    assert "NEN 7513" in page and "Bewaartermijnen van de organisatie" in page
    bad = [
        {
            "rule": "access_log",
            "access_log-days": "30",
            "access_log-action": "none",
            "access_log-reason": "x",
        },
        {"rule": "client_file", "client_file-days": "abc", "client_file-action": "destroy"},
        {
            "rule": "client_file",
            "client_file-days": "800",
            "client_file-action": "none",
            "client_file-reason": "x",
        },
        {"rule": "login_attempts", "login_attempts-days": "5"},
        {"rule": "nonsense\x00"},
        {},
    ]
    for data in bad:
        assert client.post(url, data).status_code == 422, data
    assert not RetentionTerm.objects.exists()
    good = {
        "rule": "client_file",
        "client_file-days": "1095",
        "client_file-action": "destroy",
        "client_file-reason": "Selectielijst 2020",
    }
    assert client.post(url, good).status_code == 302
    term = RetentionTerm.objects.get()
    assert (term.days, term.action, term.changed_by) == (1095, "destroy", functional_admin)
    page = client.get(url).content.decode()
    assert "Selectielijst 2020" in page and functional_admin.get_full_name() in page
    assert AccessEvent.objects.filter(object_uuid=term.uuid, action="change").exists()


def test_two_people_approve_through_the_pages(client, functional_admin, team_lead, professional):
    trajectory = _closed(professional, days_ago=800)
    proposed = services.propose(functional_admin.organisation_id)
    url = reverse("privacy:destruction_list", args=[proposed.uuid])
    client.force_login(team_lead)
    page = client.get(url).content.decode()
    assert str(trajectory.client.uuid) in page and trajectory.client.last_name not in page
    assert (
        client.post(reverse("privacy:destruction_reject", args=[proposed.uuid]), {"reason": ""}).status_code
        == 422
    )
    assert DestructionList.objects.get().status == DestructionStatus.PROPOSED
    client.post(reverse("privacy:destruction_approve", args=[proposed.uuid]))
    assert "De lijst goedkeuren" not in client.get(url).content.decode()  # the team lead approved
    assert Client.objects.get(pk=trajectory.client_id).last_name == trajectory.client.last_name
    client.force_login(functional_admin)
    response = client.post(reverse("privacy:destruction_approve", args=[proposed.uuid]), follow=True)
    assert "door twee mensen goedgekeurd" in response.content.decode()
    assert DestructionList.objects.get().status == DestructionStatus.DONE
    assert Client.objects.get(pk=trajectory.client_id).last_name == anonymise.MARK
    assert AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").exists()


def _shown(response) -> list[str]:
    return [str(item.client_uuid) for item in response.context["items"]]


def test_the_list_page_shows_a_page_of_files_counted_per_action_and_result(
    client, settings, functional_admin, professional
):
    """The counts on top cover the whole list (from the database); the table shows one page, narrowed by
    the filters; only the files shown are logged as read."""
    settings.WAARDEWERK_PAGE_SIZE = 2
    made = DestructionList.objects.create(organisation=functional_admin.organisation)
    record = ErasureRecord.objects.create(organisation=functional_admin.organisation, cause="retention")
    rows = [("destroy", None, ""), ("destroy", record, ""), ("anonymise", None, "Bezwaar loopt")]
    rows += [("anonymise", None, "")] * 3
    for n, (action, erasure, refused) in enumerate(rows):
        made.items.create(
            client_uuid=f"00000000-0000-4000-8000-{n:012d}",
            last_end=timezone.localdate() - dt.timedelta(days=800 - n),
            action=action,
            erasure=erasure,
            refused=refused,
        )
    in_order = [str(item.client_uuid) for item in made.items.all()]
    url = reverse("privacy:destruction_list", args=[made.uuid])
    client.force_login(functional_admin)
    before = AccessEvent.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["total"] == 6
    assert [(value, n) for value, _label, n in summary["actions"]] == [("destroy", 2), ("anonymise", 4)]
    assert summary["results"] == {"waiting": 4, "done": 1, "refused": 1}
    assert _shown(response) == in_order[:2]
    page = response.content.decode()
    assert "Pagina 1 van 3" in page and in_order[2] not in page
    assert "alle 6 cliëntdossiers" in page  # the approval names the whole list
    logged = AccessEvent.objects.filter(object_type="privacy.destructionlist", action="view")
    assert AccessEvent.objects.count() - before == 2
    assert {str(e.client_uuid) for e in logged} == set(in_order[:2])
    assert _shown(client.get(url, {"page": "3"})) == in_order[4:]
    assert _shown(client.get(url, {"page": "99"})) == in_order[4:]  # past the end: the last page
    assert _shown(client.get(url, {"action": "destroy"})) == in_order[:2]
    assert _shown(client.get(url, {"result": "refused"})) == [in_order[2]]
    assert _shown(client.get(url, {"result": "done"})) == [in_order[1]]
    both = client.get(url, {"action": "anonymise", "result": "waiting", "page": "2"})
    assert _shown(both) == in_order[5:] and "Pagina 2 van 2" in both.content.decode()
    assert "action=anonymise&amp;result=waiting&amp;page=1" in both.content.decode()
    # A filter that is not one of the choices is left out, with the reason next to the list.
    bad = client.get(url, {"action": "burn"})
    assert bad.status_code == 200 and _shown(bad) == in_order[:2]
    assert "filter-errors" in bad.content.decode()
    assert bad.context["summary"]["total"] == 6


def test_approving_after_one_page_approves_the_whole_list_as_proposed(
    client, settings, functional_admin, team_lead, professional
):
    """The approval is of the whole list, not of the page shown: a file on a page the approver did not open
    that may no longer go makes the approval refused (the list is out of date and proposed again), and an
    approved list is carried out for the files on every page."""
    settings.WAARDEWERK_PAGE_SIZE = 2
    closed = [_closed(professional, days_ago=900 - n) for n in range(5)]
    proposed = services.propose(functional_admin.organisation_id)
    assert proposed.items.count() == 5
    url = reverse("privacy:destruction_list", args=[proposed.uuid])
    client.force_login(team_lead)
    shown = _shown(client.get(url))
    last = closed[-1]
    assert len(shown) == 2 and str(last.client.uuid) not in shown  # on page 3
    # Between the view and the approval a file on another page gets a legal hold.
    services.hold_set(actor=functional_admin, client=last.client, reason="Beroep loopt")
    response = client.post(reverse("privacy:destruction_approve", args=[proposed.uuid]), follow=True)
    assert "De gegevens zijn veranderd" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == DestructionStatus.STALE and proposed.second_approved_by is None
    renewed = DestructionList.objects.get(status=DestructionStatus.PROPOSED)
    assert {i.client_id for i in renewed.items.all()} == {t.client_id for t in closed[:4]}
    # Both approve the new list having seen its first page only: every file on it goes.
    url = reverse("privacy:destruction_list", args=[renewed.uuid])
    for person in (team_lead, functional_admin):
        client.force_login(person)
        assert len(_shown(client.get(url))) == 2
        client.post(reverse("privacy:destruction_approve", args=[renewed.uuid]))
    renewed.refresh_from_db()
    assert renewed.status == DestructionStatus.DONE
    assert renewed.items.filter(erasure__isnull=False).count() == 4
    for trajectory in closed[:4]:
        assert Client.objects.get(pk=trajectory.client_id).last_name == anonymise.MARK
    assert Client.objects.get(pk=last.client_id).last_name == last.client.last_name
    assert verify() == []
