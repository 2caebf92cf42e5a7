"""The client's pages speak plain Dutch (B1) and say "u": no professional jargon, no instrument names or
abbreviations, no "(professional)" tags, no "je" (issue "Finish", section Language).

The forbidden words are a data file (``tests/data/client_jargon.txt``), so adding one is a line, not code.
Every portal page of the access matrix is opened as the client, with a questionnaire asked for each
instrument the client can fill in (its form shows the instrument's client title, its questions and its
answer labels) and the measurements of the access world (a capability set) on the progress page.

No readability tool for Dutch is a well-kept Python library today that fits a test (the known ones are
English-only or unmaintained); the checklist is the guard.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal_helpers import log_in_client
from tests.test_access import MATRIX, world  # noqa: F401 (the world fixture)
from tests.test_dutch_screens import visible_text
from waardewerk.portal.models import QuestionnaireRequest
from waardewerk.portal.services import portal_instruments

JARGON_FILE = Path(__file__).parent / "data" / "client_jargon.txt"


def jargon() -> list[str]:
    lines = JARGON_FILE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def jargon_in(text: str) -> list[str]:
    return [word for word in jargon() if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]


def _client_pages(w) -> dict[str, str]:
    """URL name (or questionnaire key) -> the visible text of the page, as the client sees it. The staff who
    work on the client's trajectory open the dossier first, so "who looked" lists them with their roles."""
    for role in ("professional", "team_lead"):
        staff = Client()
        staff.force_login(w["users"][role])
        staff.get(reverse("clients:dossier", args=[w["client"].uuid]))
    for instrument in portal_instruments().values():
        QuestionnaireRequest.objects.get_or_create(
            trajectory=w["trajectory"],
            instrument=instrument,
            defaults={"requested_by": w["users"]["professional"]},
        )
    browser = Client()
    browser.cookies["django_language"] = "nl"
    log_in_client(browser, w["client"])
    pages = {}
    for name, (method, url_for, _data, expected) in sorted(MATRIX.items()):
        if not name.startswith("portal:") or method != "get" or expected.get("professional") != 403:
            continue
        if name == "portal:questionnaire":  # below, once per instrument
            continue
        response = browser.get(url_for(w))
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            pages[name] = visible_text(response.content.decode())
    for request in QuestionnaireRequest.objects.filter(trajectory=w["trajectory"]).select_related(
        "instrument"
    ):
        response = browser.get(reverse("portal:questionnaire", args=[request.uuid]))
        assert response.status_code == 200, request.instrument.key
        pages[f"questionnaire {request.instrument.key}"] = visible_text(response.content.decode())
    return pages


@pytest.mark.django_db
def test_the_clients_pages_have_no_jargon(world):  # noqa: F811
    pages = _client_pages(world)
    assert len(pages) >= 10, sorted(pages)
    found = {page: jargon_in(text) for page, text in pages.items()}
    assert not {page: words for page, words in found.items() if words}
    # "Who looked" names the professional who opened the dossier in the client's words.
    assert "(uw begeleider)" in pages["portal:access_log"]


@pytest.mark.django_db
def test_questionnaires_show_the_client_title_and_answers_that_fit_the_question(world):  # noqa: F811
    pages = _client_pages(world)
    lwc = pages["questionnaire lwc"]
    assert "Wat vindt u belangrijk in werk?" in lwc
    assert "Helemaal niet belangrijk" in lwc and "Heel belangrijk" in lwc
    assert "Lukt meestal wel" in lwc
    assert "En kunt u daar uzelf zijn?" in lwc


@pytest.mark.django_db
def test_the_progress_page_has_no_jargon(world):  # noqa: F811
    """The progress page tells the effect view's figures in the client's words (``client=True``)."""
    progress = _client_pages(world)["portal:progress"]
    assert not jargon_in(progress)
    assert "Wat vindt u belangrijk in werk?" in progress
    assert "Elke keer dat u het invulde" in progress


def test_the_checklist_finds_what_it_lists():
    assert jargon_in("Lijst Werk Capabilities (eigen formulering) van 3 dec. 2026") == [
        "Capabilities",
        "Lijst Werk Capabilities",
        "(eigen formulering)",
    ]
    assert jargon_in("Heb je vragen?") == ["je"]
    assert jargon_in("Bekijk wat er verandert. Uw begeleider helpt u.") == []
    assert jargon_in("Pia de Vries (professional) Bekeken: uw traject") == ["(professional)"]
