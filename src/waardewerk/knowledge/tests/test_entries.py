"""The knowledge base (docs/knowledge.md): the entry format, the starter set, proposals and review, edits
as versions, import and export, search and filters, and plans that choose entries."""

import json

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests.factories import TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.knowledge import policies, selectors, services
from waardewerk.knowledge.entry import EntryError, check_entry
from waardewerk.knowledge.models import EntryStatus, EntryVersion, KnowledgeEntry, PlanChoiceEntry
from waardewerk.trajectories import services as plan_services
from waardewerk.trajectories.plan import Choice, PlanContent

FIELDS = {
    "name": "Opbouwschema in uren",
    "summary": "Uren stap voor stap opbouwen.",
    "target_final": "Werkzoekenden die na lange tijd weer gaan werken.",
    "goal": "Een werkritme dat de cliënt volhoudt.",
    "approach": "Start met twee dagdelen; elke vier weken bijstellen.",
    "work_values": ["own_goals"],
    "determinants": ["self_efficacy"],
    "contexts": ["participation_act"],
    "references": [],
}
GOAL = {"key": "", "text": "Weer werken", "values": [], "determinants": [], "status": "active"}


@pytest.fixture
def editor(organisation):
    return UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)


def _raw(**changes) -> dict:
    raw = yaml.safe_load(services.ENTRIES_DIR.joinpath("ips.yaml").read_text(encoding="utf-8"))
    raw.update(changes)
    return raw


# The format ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_starter_set_is_loaded_published_and_of_the_whole_installation():
    keys = set(KnowledgeEntry.objects.values_list("key", flat=True))
    assert {"ips", "werkervaringsplaats", "jobs-programme", "capability-for-work", "gewogen-maatwerk"} <= keys
    for entry in KnowledgeEntry.objects.filter(key__in=keys):
        assert entry.status == EntryStatus.PUBLISHED and entry.organisation_id is None
        assert entry.published_id == entry.current_id


@pytest.mark.django_db
def test_every_starter_entry_says_what_was_not_verified_and_ips_is_about_paid_work():
    for entry in KnowledgeEntry.objects.filter(organisation=None).select_related("current"):
        assert entry.current.definition.get("unverified"), entry.key
    ips = KnowledgeEntry.objects.get(key="ips").current.definition
    assert "betaald werk" in ips["goal"]["nl"] and "ernstige psychische" in ips["summary"]["nl"]
    placement = KnowledgeEntry.objects.get(key="werkervaringsplaats").current.definition
    assert placement["references"] == []  # nothing claims research it does not have


@pytest.mark.parametrize(
    "changes, problem",
    [
        (
            {
                "kind": "local_practice",
                "recognition": {"level": "well_founded", "body": "x", "date": "2024-01-01"},
            },
            "a local practice method is a kind of its own",
        ),
        ({"recognition": {"level": "practice"}}, "unknown 'practice'"),
        ({"recognition": {"level": "good_indications"}}, "recognition.body: missing"),
        (
            {"recognition": {"level": "not_recognised", "body": "Movisie", "date": "2024-01-01"}},
            "recognition.reason: missing",
        ),
        ({"recognition": {"level": "not_assessed", "body": "Movisie"}}, "has no assessing body"),
        (
            {
                "recognition": {
                    "level": "well_described",
                    "body": "NJi",
                    "date": "2024-05-01",
                    "valid_until": "2023-01-01",
                }
            },
            "lies before the assessment date",
        ),
        ({"work_values": ["fame"]}, "unknown 'fame'"),
        ({"determinants": ["luck"]}, "unknown 'luck'"),
        ({"contexts": ["moon"]}, "unknown 'moon'"),
        ({"references": [{"citation": "x", "doi": "not-a-doi"}]}, "is not a DOI"),
        ({"references": [{"citation": "x", "url": "javascript:alert(1)"}]}, "is not a web address"),
        ({"summary": None}, "summary: missing"),
        ({"colour": "blue"}, "colour: unknown field"),
    ],
)
@pytest.mark.django_db
def test_the_checker_names_each_problem(changes, problem):
    values, determinants = services.entry_vocabulary()
    with pytest.raises(EntryError) as caught:
        check_entry(_raw(**changes), values=set(values), determinants=set(determinants))
    assert any(problem in p for p in caught.value.problems), caught.value.problems


@pytest.mark.django_db
def test_an_assessed_entry_carries_body_date_and_validity():
    values, determinants = services.entry_vocabulary()
    recognition = {
        "level": "good_indications",
        "body": "Movisie",
        "date": "2022-03-01",
        "valid_until": "2027-03-01",
    }
    checked = check_entry(_raw(recognition=recognition), values=set(values), determinants=set(determinants))
    assert checked["recognition"] | {"reason": None} == recognition | {"reason": None}


# Proposals, review and versions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_professional_proposes_the_editor_returns_then_publishes(professional, colleague, editor):
    entry = services.entry_create(actor=professional, fields=FIELDS, note="Voorstel")
    assert entry.status == EntryStatus.PROPOSED and entry.kind == "local_practice"
    assert entry.organisation_id == professional.organisation_id and entry.published_id is None
    assert entry.recognition == "not_assessed"
    # Not choosable, and invisible to a colleague until published.
    assert entry.key not in selectors.plan_entries(colleague)
    assert selectors.visible_entry(colleague, entry.key) is None
    with pytest.raises(ValidationError):
        services.entry_review(actor=editor, entry=entry, decision="return", remarks="", base_version=1)
    services.entry_review(
        actor=editor, entry=entry, decision="return", remarks="Noem een bron.", base_version=1
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED and entry.review_remarks == "Noem een bron."
    revised = services.entry_update(
        actor=professional,
        entry=entry,
        fields=FIELDS | {"goal": "Volhouden."},
        note="Bron gezocht",
        base_version=1,
    )
    assert revised.status == EntryStatus.PROPOSED and revised.current.version == 2
    services.entry_review(actor=editor, entry=revised, decision="publish", remarks="", base_version=2)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED and entry.published.version == 2
    assert entry.key in selectors.plan_entries(colleague)
    history = selectors.entry_history(entry)
    assert [(v.version, v.note) for v in history] == [(2, "Bron gezocht"), (1, "Voorstel")]


@pytest.mark.django_db
def test_the_proposer_cannot_change_a_published_entry_and_nobody_else_reviews(
    professional, colleague, editor
):
    entry = services.entry_create(actor=professional, fields=FIELDS, note="Voorstel")
    with pytest.raises(PermissionDeniedError):
        services.entry_review(actor=professional, entry=entry, decision="publish", remarks="", base_version=1)
    with pytest.raises(PermissionDeniedError):
        services.entry_update(actor=colleague, entry=entry, fields=FIELDS, note="x", base_version=1)
    services.entry_review(actor=editor, entry=entry, decision="publish", remarks="", base_version=1)
    entry.refresh_from_db()
    with pytest.raises(PermissionDeniedError):
        services.entry_update(actor=professional, entry=entry, fields=FIELDS, note="x", base_version=1)


@pytest.mark.django_db
def test_the_functional_administrator_is_not_the_knowledge_editor(functional_admin, professional):
    entry = services.entry_create(actor=professional, fields=FIELDS, note="Voorstel")
    assert not policies.can_manage_knowledge_base(functional_admin)
    assert not policies.can_review_entry(functional_admin, entry)
    with pytest.raises(PermissionDeniedError):
        services.entry_create(actor=functional_admin, fields=FIELDS, note="x")


@pytest.mark.django_db
def test_another_organisation_cannot_tell_an_own_entry_exists(professional, editor):
    entry = services.entry_create(actor=professional, fields=FIELDS, note="Voorstel")
    services.entry_review(actor=editor, entry=entry, decision="publish", remarks="", base_version=1)
    other_editor = UserFactory(role=Role.KNOWLEDGE_EDITOR)
    other = UserFactory()
    assert selectors.visible_entry(other_editor, entry.key) is None
    assert entry.key not in selectors.plan_entries(other)
    assert "ips" in selectors.plan_entries(other)


@pytest.mark.django_db
def test_an_edit_from_an_old_version_is_refused_and_nothing_is_stored(editor):
    entry = KnowledgeEntry.objects.get(key="ips")
    first = EntryVersion.objects.filter(entry=entry).count()
    fields = dict(FIELDS, kind="intervention", level="not_assessed")
    services.entry_update(actor=editor, entry=entry, fields=fields, note="Eerste wijziging", base_version=1)
    with pytest.raises(ConcurrentEditError):
        services.entry_update(actor=editor, entry=entry, fields=fields, note="Tweede", base_version=1)
    assert EntryVersion.objects.filter(entry=entry).count() == first + 1


@pytest.mark.django_db
def test_an_edit_keeps_the_other_language(editor):
    entry = KnowledgeEntry.objects.get(key="ips")
    fields = dict(FIELDS, kind="intervention", level="not_assessed")
    services.entry_update(actor=editor, entry=entry, fields=fields, note="Samenvatting", base_version=1)
    definition = KnowledgeEntry.objects.get(key="ips").current.definition
    assert definition["summary"]["nl"] == FIELDS["summary"]
    assert definition["summary"]["en"].startswith("A model of support")


# Files ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_and_load_again_is_a_no_op_and_a_higher_version_is_published(tmp_path):
    out = tmp_path / "kennisbank.yaml"
    call_command("knowledge", "entries", "export", "--out", str(out))
    results = services.entries_load(out.read_text(encoding="utf-8"), filename="kennisbank.yaml")
    assert results and not any(r.created for r in results)
    raw = yaml.safe_load(out.read_text(encoding="utf-8"))
    ips = next(r for r in raw if r["key"] == "ips")
    ips["version"] = 2
    ips["summary"]["nl"] = "Een nieuwe samenvatting."
    (result,) = services.entries_load(yaml.safe_dump(ips, allow_unicode=True), filename="ips.yaml")
    entry = KnowledgeEntry.objects.get(key="ips")
    assert result.created and entry.published.version == 2 and entry.current.version == 2


@pytest.mark.django_db
def test_a_file_with_one_bad_entry_loads_nothing_and_names_the_place():
    raw = [_raw(key="nieuw-een"), _raw(key="nieuw-twee", kind="unknown-kind")]
    with pytest.raises(EntryError) as caught:
        services.entries_load(yaml.safe_dump(raw), filename="twee.yaml")
    assert any(p.startswith("entries[1] kind") for p in caught.value.problems), caught.value.problems
    assert not KnowledgeEntry.objects.filter(key__startswith="nieuw-").exists()


@pytest.mark.django_db
def test_a_file_cannot_take_over_an_organisations_own_entry(professional):
    entry = services.entry_create(actor=professional, fields=FIELDS, note="Voorstel")
    with pytest.raises(EntryError):
        services.entries_load(yaml.safe_dump(_raw(key=entry.key, version=5)), filename="x.yaml")


@pytest.mark.django_db
def test_the_import_page_shows_every_problem_and_keeps_nothing(client, editor):
    client.force_login(editor)
    bad = SimpleUploadedFile("kapot.yaml", b"key: [unclosed", content_type="application/yaml")
    response = client.post(reverse("knowledge:entries_import"), {"file": bad})
    assert response.status_code == 422
    assert "is geen geldige YAML" in response.content.decode()
    good = SimpleUploadedFile("ok.yaml", yaml.safe_dump(_raw(key="via-pagina"), allow_unicode=True).encode())
    response = client.post(reverse("knowledge:entries_import"), {"file": good})
    assert response.status_code == 302
    assert KnowledgeEntry.objects.get(key="via-pagina").status == EntryStatus.PUBLISHED
    assert AccessEvent.objects.filter(object_type="knowledge.entry", action="create").exists()


@pytest.mark.django_db
def test_the_export_page_is_a_loadable_file_and_is_logged(client, editor):
    client.force_login(editor)
    response = client.get(reverse("knowledge:entries_export"))
    assert response.status_code == 200
    loaded = yaml.safe_load(response.content)
    assert {"ips", "werkervaringsplaats"} <= {r["key"] for r in loaded}
    assert AccessEvent.objects.filter(object_type="knowledge.entry", action="export").exists()


# Search and filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "search, expected, absent",
    [
        ({"value": "income"}, "ips", "gewogen-maatwerk"),
        ({"determinant": "social_influence"}, "gewogen-maatwerk", "ips"),
        ({"context": "first_track"}, "capability-for-work", "ips"),
        ({"target": "psychische"}, "ips", "jobs-programme"),
        ({"q": "groepstraining"}, "jobs-programme", "ips"),
        ({"kind": "intervention"}, "ips", "capability-for-work"),
        ({"recognition": "not_assessed"}, "ips", None),
    ],
)
@pytest.mark.django_db
def test_search_and_filters(professional, search, expected, absent):
    keys = {e.key for e, _r in selectors.entries(professional, selectors.EntryFilter(**search))}
    assert expected in keys
    assert absent not in keys


@pytest.mark.django_db
def test_the_list_page_refuses_a_value_outside_its_list_with_a_message(login, professional):
    response = login(professional).get(reverse("knowledge:entries"), {"value": "<script>", "q": "IPS"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "Individual Placement" in html or "Individuele Plaatsing" in html


@pytest.mark.django_db
def test_a_bad_proposal_gets_its_messages_and_keeps_the_input(login, professional):
    response = login(professional).post(reverse("knowledge:entry_new"), {"name": "Mijn methode", "note": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Mijn methode" in html
    assert not KnowledgeEntry.objects.filter(proposed_by=professional).exists()


@pytest.mark.django_db
def test_a_proposal_through_the_page_with_a_bad_reference_line(login, professional):
    data = {k: v for k, v in FIELDS.items() if not isinstance(v, list)} | {
        "target_final": FIELDS["target_final"],
        "references": "Een bron | geen-doi-of-adres",
        "note": "",
    }
    response = login(professional).post(reverse("knowledge:entry_new"), data)
    assert response.status_code == 422
    assert "DOI" in response.content.decode()
    data["references"] = "Een bron | 10.1000/xyz123\nEen pagina | https://example.org/methode"
    response = login(professional).post(reverse("knowledge:entry_new"), data)
    assert response.status_code == 302
    entry = KnowledgeEntry.objects.get(proposed_by=professional)
    assert entry.current.definition["references"] == [
        {"citation": "Een bron", "doi": "10.1000/xyz123", "url": ""},
        {"citation": "Een pagina", "doi": "", "url": "https://example.org/methode"},
    ]


# Plans that choose entries -------------------------------------------------------------------------------


def _plan(professional, trajectory, choices, base=0, goal_key=""):
    goal = GOAL | ({"key": goal_key} if goal_key else {})
    return plan_services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[goal],
        choices=choices,
        reason="" if base == 0 else "Bijgewerkt",
        base_number=base,
        entries=selectors.plan_entries(professional),
    )


@pytest.mark.django_db
def test_a_choice_takes_recognition_and_references_from_the_entry(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    version = _plan(
        professional, trajectory, [{"entry": "jobs-programme", "expertise": "x", "preference": "y"}]
    )
    (choice,) = PlanContent.from_json(version.content).choices
    assert choice.entry == "jobs-programme" and choice.entry_references == 2
    assert choice.description.startswith("JOBS") and choice.missing_sources == []
    (link,) = PlanChoiceEntry.objects.filter(plan_version=version)
    assert link.entry.key == "jobs-programme" and link.choice_key == choice.key
    # The next version keeps the moment the choice was made.
    goal_key = PlanContent.from_json(version.content).goals[0].key
    second = _plan(
        professional,
        trajectory,
        [{"key": choice.key, "entry": "jobs-programme", "expertise": "x", "preference": "z"}],
        base=1,
        goal_key=goal_key,
    )
    (again,) = PlanChoiceEntry.objects.filter(plan_version=second)
    assert again.chosen_at == link.chosen_at


@pytest.mark.django_db
def test_an_entry_without_references_leaves_research_missing(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    version = _plan(
        professional, trajectory, [{"entry": "werkervaringsplaats", "expertise": "x", "preference": "y"}]
    )
    (choice,) = PlanContent.from_json(version.content).choices
    assert choice.missing_sources == ["research"]


def test_research_counts_only_with_a_reference():
    free = Choice("c-1", "Iets", expertise="x", preference="y")
    assert free.missing_sources == ["research"]
    assert Choice("c-1", "Iets", research="Een studie", expertise="x", preference="y").missing_sources == []
    # A level without a reference, or practice alone, is not a research source.
    assert Choice(
        "c-1", "Iets", evidence_level="good_indications", expertise="x", preference="y"
    ).missing_sources
    assert Choice("c-1", "Iets", practice_based=True, expertise="x", preference="y").missing_sources


@pytest.mark.django_db
def test_a_choice_cannot_pick_an_entry_that_is_not_offered(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    proposal = services.entry_create(actor=professional, fields=FIELDS, note="Voorstel")
    for key in (proposal.key, "bestaat-niet", ["lijst"]):
        with pytest.raises(ValidationError) as caught:
            _plan(professional, trajectory, [{"entry": key, "description": "x"}])
        assert "choice-0-entry" in caught.value.message_dict
    assert not trajectory.plan_versions.exists()


@pytest.mark.django_db
def test_the_plan_editor_offers_entries_and_the_plan_page_shows_the_grounds(login, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    browser = login(professional)
    edit = browser.get(reverse("trajectories:plan_edit", args=[trajectory.uuid])).content.decode()
    assert (
        'value="jobs-programme"' in edit
        and "Niet in de kennisbank" in edit
        or "Not in the knowledge base" in edit
    )
    _plan(
        professional, trajectory, [{"entry": "werkervaringsplaats", "weighing": "De voorkeur woog zwaarst."}]
    )
    _plan_free = trajectory.plan_versions.get()
    assert _plan_free
    page = browser.get(reverse("trajectories:plan", args=[trajectory.uuid])).content.decode()
    assert reverse("knowledge:entry", args=["werkervaringsplaats"]) in page
    assert "De voorkeur woog zwaarst." in page


@pytest.mark.django_db
def test_the_data_migration_removes_the_practice_level_and_keeps_a_mark(professional):
    from importlib import import_module

    from django.apps import apps

    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    version = trajectory.plan_versions.create(
        number=1,
        content=json.dumps(
            {"goals": [], "choices": [{"key": "c-1", "description": "x", "evidence_level": "practice"}]}
        ),
        created_by=professional,
    )
    migration = import_module("waardewerk.trajectories.migrations.0012_no_practice_evidence_level")
    migration.forwards(apps, None)
    version.refresh_from_db()
    (choice,) = PlanContent.from_json(version.content).choices
    assert choice.evidence_level == "" and choice.practice_based
    migration.backwards(apps, None)
    version.refresh_from_db()
    assert json.loads(version.content)["choices"][0]["evidence_level"] == "practice"


@pytest.mark.django_db
def test_a_withdrawn_entry_is_not_offered_but_kept_by_the_choices_that_picked_it(professional, editor):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    version = _plan(professional, trajectory, [{"entry": "ips", "expertise": "x", "preference": "y"}])
    (choice,) = PlanContent.from_json(version.content).choices
    entry = KnowledgeEntry.objects.get(key="ips")
    with pytest.raises(ValidationError):
        services.entry_withdraw(actor=editor, entry=entry, reason=" ")
    with pytest.raises(PermissionDeniedError):
        services.entry_withdraw(actor=professional, entry=entry, reason="Weg ermee")
    services.entry_withdraw(actor=editor, entry=entry, reason="Wordt herzien.")
    assert "ips" not in selectors.plan_entries(professional)
    assert selectors.visible_entry(professional, "ips") is not None  # the plan's link keeps working
    goal = PlanContent.from_json(version.content).goals[0].key
    second = _plan(
        professional,
        trajectory,
        [{"key": choice.key, "entry": "ips", "expertise": "x", "preference": "z"}],
        base=1,
        goal_key=goal,
    )
    assert PlanContent.from_json(second.content).choices[0].entry == "ips"
    with pytest.raises(ValidationError):  # a new choice cannot pick it
        _plan(
            professional,
            trajectory,
            [
                {"key": choice.key, "entry": "ips", "expertise": "x", "preference": "z"},
                {"entry": "ips", "description": "Nog eens"},
            ],
            base=2,
            goal_key=goal,
        )
