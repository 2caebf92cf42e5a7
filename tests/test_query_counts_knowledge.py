"""Query budgets of the conversation guide pages: constant, whatever the number of topics and versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from waardewerk.accounts.models import Role
from waardewerk.knowledge import selectors, services

BUDGET = 6


def _queries(client, url):
    """Queries of the page as a process that has served it before runs it: the first request also fills
    the caches (instrument definitions in this process, the current versions in the shared cache)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(admin, n):
    """n more topics, each a new version (so the history grows as well)."""
    for i in range(n):
        version, guide = selectors.current_guide()
        services.guide_topic_add(
            actor=admin,
            phase="monitoring",
            title_nl=f"Extra onderwerp {version.version}-{i}",
            why_nl="Om te meten.",
            questions_nl=["Hoe gaat het?"],
            audiences=guide.audience_keys[:1],
            instruments=["lwc", "igm"],
            knowledge_source="research",
            note="Meer onderwerpen.",
            base_version=version.version,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("params", ["", "?audience=first_track"])
def test_guide_page_query_count_is_constant(login, professional, functional_admin, params):
    c = login(professional)
    url = reverse("knowledge:guide") + params
    _grow(functional_admin, 1)
    small = _queries(c, url)
    _grow(functional_admin, 15)
    large = _queries(c, url)
    assert small == large
    assert large <= BUDGET, f"the guide page uses {large} queries"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["knowledge:admin", "knowledge:download"])
def test_admin_page_query_count_is_constant(login, functional_admin, name):
    c = login(functional_admin)
    _grow(functional_admin, 1)
    small = _queries(c, reverse(name))
    _grow(functional_admin, 15)
    large = _queries(c, reverse(name))
    assert small == large
    assert large <= BUDGET, f"{name} uses {large} queries"


@pytest.mark.django_db
def test_version_and_editor_pages_are_cheap(login, functional_admin):
    c = login(functional_admin)
    _grow(functional_admin, 10)
    version, guide = selectors.current_guide()
    topic = guide.topics_in("intake")[0].key
    for url in (
        reverse("knowledge:version", args=[1]),
        reverse("knowledge:topic_edit", args=[topic]),
        reverse("knowledge:topic_add", args=["plan"]),
        reverse("knowledge:topic_remove", args=[topic]),
    ):
        assert _queries(c, url) <= BUDGET + 1, url


def _grow_principles(editor, n):
    """n more principles, each a new version (so the history grows as well)."""
    for i in range(n):
        version, _reader = selectors.current_principles()
        services.principle_save(
            actor=editor,
            key=None,
            title_nl=f"Principe {version.version}-{i}",
            title_en="",
            explanation_nl="Uitleg.",
            explanation_en="",
            in_practice_nl="",
            in_practice_en="",
            sources="Bron (2020). | 10.1234/abc",
            note="Meer principes.",
            base_version=version.version,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["professional", "editor"])
def test_principles_page_query_count_is_constant(login, professional, organisation, who):
    editor = UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)
    c = login(professional if who == "professional" else editor)
    url = reverse("knowledge:principles")
    _grow_principles(editor, 1)
    small = _queries(c, url)
    _grow_principles(editor, 12)
    large = _queries(c, url)
    assert small == large <= BUDGET, (small, large)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, args", [("knowledge:principle_edit", ["trust"]), ("knowledge:principle_add", [])]
)
def test_principle_editor_query_count_is_constant(login, organisation, name, args):
    editor = UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)
    c = login(editor)
    url = reverse(name, args=args)
    _grow_principles(editor, 1)
    small = _queries(c, url)
    _grow_principles(editor, 12)
    large = _queries(c, url)
    assert small == large <= BUDGET, (small, large)
