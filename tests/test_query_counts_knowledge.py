"""Query budgets of the conversation guide pages: constant, whatever the number of topics and versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
