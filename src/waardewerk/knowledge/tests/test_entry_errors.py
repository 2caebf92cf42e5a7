"""The checker's problems beside the form field they concern (knowledge.entry_errors): a bad entry per
field, through the checker, the entry form and the import on the editor's page."""

import html
import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory
from waardewerk.accounts.models import Role
from waardewerk.knowledge import entry_errors, services
from waardewerk.knowledge.entry import EntryError, check_entry
from waardewerk.knowledge.forms import EntryForm
from waardewerk.knowledge.models import KnowledgeEntry

pytestmark = pytest.mark.django_db

ALL_FIELDS = set(EntryForm.base_fields)


@pytest.fixture
def editor(organisation):
    return UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)


def _raw(**changes) -> dict:
    raw = yaml.safe_load(services.ENTRIES_DIR.joinpath("ips.yaml").read_text(encoding="utf-8"))
    raw.update(changes)
    return raw


def _problems(**changes) -> list[str]:
    values, determinants = services.entry_vocabulary()
    with pytest.raises(EntryError) as caught:
        check_entry(_raw(**changes), values=set(values), determinants=set(determinants))
    return caught.value.problems


ASSESSED = {"level": "well_described", "body": "NJi", "date": "2024-05-01"}


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"name": None}, "name", "Dit is verplicht."),
        ({"name": {"en": "Only English"}}, "name", "De Nederlandse tekst is verplicht."),
        ({"owner": "x" * 501}, "owner", "Gebruik hoogstens 500 tekens."),
        ({"kind": "trick"}, "kind", "'trick' is niet een van de mogelijkheden."),
        ({"summary": None}, "summary", "Dit is verplicht."),
        ({"summary": {"nl": "x" * 5001}}, "summary", "Nederlandse tekst: Gebruik hoogstens 5000 tekens."),
        ({"goal": {"nl": "   "}}, "goal", "Nederlandse tekst:"),
        ({"approach": None}, "approach", "Dit is verplicht."),
        ({"working_elements": {"nl": "x" * 5001}}, "working_elements", "5000"),
        ({"contraindications": "plain text"}, "contraindications", "expected texts per language"),
        ({"unverified": {"fr": "non"}}, "unverified", "unknown language"),
        ({"target_group": {"intermediate": {"nl": "Begeleiders"}}}, "target_final", "Dit is verplicht."),
        ({"target_group": {"final": {"nl": "x"}, "intermediate": {"nl": ""}}}, "target_intermediate", ""),
        ({"conditions": {"materials": {"en": "Books"}}}, "materials", "De Nederlandse tekst is verplicht."),
        ({"conditions": {"training": {"nl": "x" * 5001}}}, "training", "5000"),
        ({"conditions": {"costs": {"nl": "x" * 5001}}}, "costs", "5000"),
        ({"work_values": ["fame"]}, "work_values", "'fame' is niet een van de mogelijkheden."),
        ({"determinants": ["luck"]}, "determinants", "'luck' is niet een van de mogelijkheden."),
        ({"contexts": ["ww", "ww"]}, "contexts", "'ww' is twee keer gekozen."),
        ({"references": [{"citation": "x", "doi": "10.1"}]}, "references", "Bron 1: '10.1' is geen DOI"),
        (
            {"references": [{"citation": "x"}, {"doi": "10.1000/a"}]},
            "references",
            "Bron 2: Dit is verplicht.",
        ),
        ({"recognition": {"level": "famous"}}, "level", "'famous' is niet een van de mogelijkheden."),
        ({"recognition": {"level": "not_assessed", "body": "NJi"}}, "level", "niet beoordeeld"),
        ({"kind": "local_practice", "recognition": ASSESSED}, "level", "eigen praktijkmethode"),
        ({"recognition": {"level": "well_described", "date": "2024-05-01"}}, "body", "Dit is verplicht."),
        ({"recognition": {"level": "well_described", "body": "NJi"}}, "date", "Dit is verplicht."),
        ({"recognition": ASSESSED | {"date": "gisteren"}}, "date", "'gisteren' is geen datum"),
        ({"recognition": ASSESSED | {"valid_until": "2020-01-01"}}, "valid_until", "Ligt vóór de"),
        (
            {"recognition": {"level": "not_recognised", "body": "NJi", "date": "2024-05-01"}},
            "reason",
            "verplicht",
        ),
    ],
)
def test_a_bad_entry_per_field_gets_its_problem_beside_that_field(changes, field, words):
    with translation.override("nl"):
        errors = entry_errors.field_errors(_problems(**changes), ALL_FIELDS)
    assert field in errors, errors
    assert any(words in message for message in errors[field]), errors[field]


def test_problems_of_no_field_stay_at_the_top_with_their_label():
    with translation.override("nl"):
        errors = entry_errors.field_errors(_problems(key="Not A Key", colour="blue"), ALL_FIELDS)
        # A proposer's form has no recognition fields: those problems go to the top, named.
        proposer = entry_errors.field_errors(
            _problems(recognition={"level": "well_described"}), ALL_FIELDS - set(EntryForm.EDITOR_FIELDS)
        )
    assert set(errors) == {None}
    assert any(m.startswith("Sleutel: 'Not A Key' is geen geldige sleutel") for m in errors[None])
    assert any(m.startswith("colour:") for m in errors[None])
    assert set(proposer) == {None}
    assert any(m.startswith("Beoordelende instantie: Dit is verplicht.") for m in proposer[None])


def test_an_unknown_message_is_kept_as_the_checker_wrote_it():
    errors = entry_errors.field_errors(["summary: something new went wrong"], ALL_FIELDS)
    assert errors == {"summary": ["something new went wrong"]}


def _editor_post(**changes) -> dict:
    return {
        "base_version": "",
        "name": "Werkfit in stappen",
        "kind": "intervention",
        "summary": "Stap voor stap naar werk.",
        "target_final": "Werkzoekenden met een afstand tot werk.",
        "goal": "Betaald werk.",
        "approach": "Wekelijkse gesprekken en een werkplek.",
        "level": "not_assessed",
        "note": "Eerste versie",
    } | changes


def _field_error(page: str, field: str) -> str:
    found = re.search(
        rf'<div class="utrecht-form-field__error-message[^"]*" id="id_{field}-error">(.*?)</div>', page, re.S
    )
    return html.unescape(found.group(1)) if found else ""


@pytest.mark.parametrize(
    "changes, field, words",
    [
        (
            {"kind": "local_practice", "level": "well_described", "body": "NJi", "date": "2024-05-01"},
            "level",
            "eigen praktijkmethode",
        ),
        ({"level": "well_described", "date": "2024-05-01"}, "body", "Dit is verplicht."),
        ({"level": "well_described", "body": "NJi"}, "date", "Dit is verplicht."),
        (
            {"level": "well_described", "body": "NJi", "date": "2024-05-01", "valid_until": "2020-01-01"},
            "valid_until",
            "Ligt vóór",
        ),
        ({"level": "not_recognised", "body": "NJi", "date": "2024-05-01"}, "reason", "Dit is verplicht."),
        ({"level": "not_assessed", "body": "NJi"}, "level", "niet beoordeeld"),
        ({"references": "Een bron | 10.1"}, "references", "Bron 1: '10.1' is geen DOI"),
        ({"references": "Een bron\n\n| https://example.org"}, "references", "Bron 2: Dit is verplicht."),
    ],
)
def test_the_entry_form_shows_the_checkers_problem_beside_the_field(login, editor, changes, field, words):
    response = login(editor).post(reverse("knowledge:entry_new"), _editor_post(**changes))
    assert response.status_code == 422
    html = response.content.decode()
    assert words in _field_error(html, field), html
    assert "Niet opgeslagen:" not in html
    assert 'value="Werkfit in stappen"' in html  # the input is kept
    assert not KnowledgeEntry.objects.filter(current__definition__name__nl="Werkfit in stappen").exists()


def test_an_edit_shows_the_problem_beside_the_field(login, editor):
    entry = KnowledgeEntry.objects.get(key="jobs-programme")
    data = EntryForm.initial_for(entry.current.definition, entry.current.version, "nl")
    data = {k: v for k, v in data.items() if v not in (None, [])}
    data |= {"level": "good_indications", "body": "", "date": "2024-01-01", "note": "Beoordeeld"}
    response = login(editor).post(reverse("knowledge:entry_edit", args=[entry.key]), data)
    assert response.status_code == 422
    assert "Dit is verplicht." in _field_error(response.content.decode(), "body")


def test_the_import_names_each_problem_with_the_entry_and_the_label_beside_the_file_field(client, editor):
    client.force_login(editor)
    good = _raw(key="goed-bestand")
    bad = _raw(key="slecht-bestand", summary=None, recognition={"level": "well_described"})
    upload = SimpleUploadedFile("twee.yaml", yaml.safe_dump([good, bad], allow_unicode=True).encode())
    response = client.post(reverse("knowledge:entries_import"), {"file": upload})
    assert response.status_code == 422
    html = response.content.decode()
    beside = _field_error(html, "file")
    assert "Item 2 – Samenvatting: Dit is verplicht." in beside
    assert "Item 2 – Beoordelende instantie: Dit is verplicht." in beside
    assert "Er is niets geladen: het bestand heeft 3 problemen." in html
    assert not KnowledgeEntry.objects.filter(key__in=["goed-bestand", "slecht-bestand"]).exists()


@pytest.mark.parametrize(
    "problem, words",
    [
        ("line 3: not valid YAML (found unexpected end of stream)", "Regel 3 is geen geldige YAML"),
        ("file: not valid YAML (something)", "Bestand: Geen geldige YAML"),
        ("the file holds no entries", "Het bestand bevat geen items."),
        (
            "entries[0] version: version 1 of entry 'ips' exists already with other content; give…",
            "Item 1 – ",
        ),
        ("key: 'eigen' is an organisation's own entry; give the file another key", "eigen item van een"),
    ],
)
def test_problems_of_the_file_are_in_the_screen_s_words(problem, words):
    with translation.override("nl"):
        assert words in entry_errors.described([problem])[0]


def test_the_same_version_with_other_content_is_named_on_the_import(client, editor):
    client.force_login(editor)
    changed = _raw(summary={"nl": "Iets anders."})  # ips version 1 is loaded, with other content
    upload = SimpleUploadedFile("ips.yaml", yaml.safe_dump(changed, allow_unicode=True).encode())
    response = client.post(reverse("knowledge:entries_import"), {"file": upload})
    assert response.status_code == 422
    beside = _field_error(response.content.decode(), "file")
    assert "Versie: Versie 1 van dit item bestaat al met andere inhoud" in beside
