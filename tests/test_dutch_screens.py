"""No English or developer text on a Dutch screen (issue "Finish", section Language).

Every page of the access matrix (``tests/test_access.py`` and ``tests/access_*.py``) is opened in Dutch by a
role that may see it: each GET page, and each form page once more after an empty POST (the form with its
errors). The visible text (text nodes outside ``script``, ``style``, ``code`` and ``pre``; attributes are not
read) may not contain:

- an English sentence of the interface: a msgid of the catalogue whose Dutch translation differs, of at least
  two words and ten characters (shorter ones are ordinary words that also occur in Dutch text); and a
  sentence of Django itself that Django's Dutch catalogue does not translate (Django 6.1's "- Select an
  option -");
- ``object (``: a model without a human ``__str__`` ("Conversation object (286)");
- a raw code of a model's choices (``team_lead``, ``first_track``): codes with an underscore, which no Dutch
  text contains;
- a date not in the Dutch formats of ``core.formats``: an ISO date ("2026-08-17", only in exports) or a month
  in title case ("17 Aug 2026" instead of "17 aug. 2026").

One world of factories for all pages (built once, each request's changes rolled back), so the whole sweep
is one test. ``test_the_guard_finds_what_it_looks_for`` plants each kind of fault to show it is not blind.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client
from django.utils import translation

import waardewerk
from tests.factories import ConversationFactory
from tests.portal_helpers import log_in_client
from tests.test_access import MATRIX, world  # noqa: F401 (the world fixture)

LOCALE = Path(waardewerk.__file__).parent / "locale"
# Roles tried in this order for a page; the portal's pages are the client's.
STAFF_ROLES = ["professional", "team_lead", "functional_admin", "knowledge_editor"]
# Not interface text: code, and what a user typed or edits (a textarea's content).
HIDDEN_TAGS = {"script", "style", "code", "pre", "template", "textarea"}
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
PLACEHOLDER = re.compile(r"%(\([^)]*\))?[sd]|\{[^}]*\}")


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        # Text marked as another language (an English title next to the Dutch one) is not the interface's.
        other_language = any(k == "lang" and v and not v.startswith("nl") for k, v in attrs)
        self.stack.append(tag in HIDDEN_TAGS or other_language)
        self.hidden += self.stack[-1]

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not self.stack:
            return
        self.hidden -= self.stack.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@cache
def english_sentences() -> frozenset[str]:
    """The interface's English msgids that are translated into other Dutch words, as they would show."""
    with open(LOCALE / "nl" / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    found = set()
    for msgid, msgstr in catalogue.items():
        if not isinstance(msgid, str) or not msgid or "\x04" in msgid:
            continue  # the header, plural forms (tuples) and contexts
        if not msgstr or msgstr == msgid:
            continue
        for piece in PLACEHOLDER.split(msgid):  # a sentence with a placeholder shows in pieces
            piece = (piece or "").strip(" .,:;()–-\n")
            if len(piece) >= 10 and " " in piece and piece not in msgstr:
                found.add(piece)
    return frozenset(found | _django_untranslated())


def _catalogue(path: Path) -> dict:
    with open(path, "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def _django_untranslated() -> set[str]:
    """Django's own English sentences (its ``en`` catalogue lists them all) without a Dutch translation."""
    django_locale = Path(django.__file__).parent / "conf" / "locale"
    dutch = _catalogue(django_locale / "nl" / "LC_MESSAGES" / "django.mo")
    po = (django_locale / "en" / "LC_MESSAGES" / "django.po").read_text()
    msgids = {m.group(1) for m in re.finditer(r'^msgid "(.+)"$', po, re.M)}
    return {
        m.strip(" .,:;()–-")
        for m in msgids
        if not dutch.get(m) and "%" not in m and "{" not in m and len(m) >= 10 and " " in m
    }


@cache
def raw_codes() -> frozenset[str]:
    """The stored codes of every choice field of the project's models that a reader could take for text."""
    codes = set()
    for model in apps.get_models():
        if not model.__module__.startswith("waardewerk."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and field.choices:
                codes.update(str(value) for value, _label in field.flatchoices if "_" in str(value))
    return frozenset(codes)


ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
TITLE_CASE_MONTH = re.compile(r"\b\d{1,2} (Jan|Feb|Mrt|Mar|Apr|Mei|May|Jun|Jul|Aug|Sep|Okt|Oct|Nov|Dec)\b")


def problems(html: str) -> list[str]:
    text = visible_text(html)
    found_dates = ISO_DATE.findall(text) + [m.group(0) for m in TITLE_CASE_MONTH.finditer(text)]
    found = [f"English: {s!r}" for s in english_sentences() if s in text]
    if "object (" in text:
        found.append(f"developer text: {text[max(0, text.index('object (') - 40) :][:80]!r}")
    for code in raw_codes():
        if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
            found.append(f"raw code: {code!r}")
    if found_dates:
        found.append(f"date not in a Dutch format: {sorted(set(found_dates))[:3]}")
    return found


def _browser(name, expected, w):
    browser = Client()
    if name.startswith("portal:") and expected.get("professional") == 403:
        log_in_client(browser, w["client"])
        return browser
    role = next((r for r in STAFF_ROLES if expected.get(r) in (200, 422)), None)
    if role is None:
        return None
    browser.force_login(w["users"][role])
    return browser


def _dutch(browser):
    browser.cookies["django_language"] = "nl"
    return browser


@pytest.mark.django_db
def test_every_page_and_form_speaks_dutch(world):  # noqa: F811
    """Each page as a role that may see it; each form page also after an empty POST."""
    w = world
    ConversationFactory(trajectory=w["trajectory"])  # the change-of-course form offers it as a choice
    failures, seen = {}, 0
    for name, (method, url_for, _data, expected) in sorted(MATRIX.items()):
        if name in {"logout", "set_language"} or name.endswith(("export", "pdf", "download")):
            continue
        for verb in ("get", "post") if method == "get" else ("post",):
            browser = _browser(name, expected, w)
            if browser is None:
                continue
            with transaction.atomic():
                response = getattr(_dutch(browser), verb)(url_for(w), {})
                transaction.set_rollback(True)
            if response.status_code not in (200, 422) or "html" not in response.get("Content-Type", ""):
                continue
            seen += 1
            found = problems(response.content.decode())
            if found:
                failures[f"{verb.upper()} {name}"] = sorted(found)
        translation.deactivate()
    assert seen > 100, f"only {seen} pages rendered: the sweep no longer reaches the pages"
    assert not failures, "\n".join(f"{page}: {found}" for page, found in failures.items())


def test_the_guard_finds_what_it_looks_for():
    """Planted faults are found; attributes and code are not read."""
    english = sorted(english_sentences())[0]
    page = "<main><p>Een gewone Dutch zin.</p>{}</main>"
    assert problems(page.format("")) == []
    assert f"English: {english!r}" in problems(page.format(f"<p>{english}</p>"))
    assert problems(page.format("<select><option>Conversation object (286)</option></select>"))
    assert problems(page.format("<td>team_lead</td>")) == ["raw code: 'team_lead'"]
    assert problems(page.format("<td>2026-08-17</td><td>17 Aug 2026</td>"))
    assert problems(page.format('<td><time datetime="2026-08-17">17 aug. 2026</time></td>')) == []
    assert (
        problems(page.format(f'<a title="{english}" href="/x?role=team_lead">x</a><code>team_lead</code>'))
        == []
    )
    assert (
        problems(page.format(f'<textarea>{english}</textarea><p lang="en">{english}<br>team_lead</p>')) == []
    )
    assert problems(page.format(f"<p>Goed<br><img alt=''>{english}</p>"))


def test_the_catalogue_knows_the_english_the_issue_saw():
    """The set is built from the catalogue, not a hand-made list: the sweep grows with the interface."""
    sentences = english_sentences()
    assert len(sentences) > 1000
    assert "Why change course" in sentences
    assert "Select an option" in sentences  # Django's, untranslated in its Dutch catalogue


@pytest.mark.django_db
def test_the_change_of_course_form_names_conversations_and_measurements_in_words(world):  # noqa: F811
    from django.urls import reverse

    w = world
    ConversationFactory(trajectory=w["trajectory"], date=w["measurement"].taken_on)
    browser = _dutch(Client())
    browser.force_login(w["users"]["professional"])
    html = browser.get(reverse("trajectories:adjustment", args=[w["trajectory"].uuid])).content.decode()
    text = visible_text(html)
    assert "Gesprek van " in text
    assert "Kies…" in text or "Geen (niet verplicht)" in text
    title = w["measurement"].instrument_version.definition["title"]["nl"]
    assert f"{title} van " in text
    assert "---------" not in text
