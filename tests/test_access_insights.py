"""The practice-evidence pages beyond the shared matrix (tests/access_insights.py): the knowledge editor,
another organisation's figures, and an organisation's own entry."""

import pytest
from django.urls import reverse

from tests.access_insights import ENTRY, MATRIX
from tests.factories import OrganisationFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.insights.tests.helpers import build_practice, confirmed
from waardewerk.knowledge.models import EntryStatus, KnowledgeEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(organisation):
    return UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_knowledge_editor(client, editor, name):
    method, url_for, data_for, _ = MATRIX[name]
    confirmed(client, editor)
    response = getattr(client, method)(url_for({}), data_for({}) if data_for else None)
    assert response.status_code == 200, name


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN])
def test_only_the_knowledge_editor_exports(client, organisation, role):
    client.force_login(UserFactory(organisation=organisation, role=role))
    assert client.get(reverse("insights:research_export")).status_code == 403
    assert client.post(reverse("insights:research_export"), {"since": "2020-01-01"}).status_code == 403


def test_another_organisation_sees_its_own_figures_only(client, professional):
    build_practice(professional)
    other = UserFactory(organisation=OrganisationFactory(name="Elders"), role=Role.PROFESSIONAL)
    client.force_login(other)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    overview = client.get(reverse("insights:overview")).content.decode()
    assert reverse("insights:entry", args=[ENTRY]) not in overview
    page = client.get(reverse("insights:entry", args=[ENTRY])).content.decode()
    assert "has not been chosen in a plan of this organisation" in page


def test_an_organisation_s_own_entry_is_unknown_elsewhere(client, professional):
    entry = KnowledgeEntry.objects.get(key=ENTRY)
    entry.organisation = professional.organisation
    entry.save(update_fields=["organisation"])
    client.force_login(professional)
    assert client.get(reverse("insights:entry", args=[ENTRY])).status_code == 200
    for role in (Role.PROFESSIONAL, Role.KNOWLEDGE_EDITOR):
        client.force_login(UserFactory(organisation=OrganisationFactory(), role=role))
        assert client.get(reverse("insights:entry", args=[ENTRY])).status_code == 404


def test_a_proposal_under_review_has_no_figures_page_for_colleagues(client, professional, colleague):
    entry = KnowledgeEntry.objects.get(key=ENTRY)
    KnowledgeEntry.objects.filter(pk=entry.pk).update(
        status=EntryStatus.PROPOSED, organisation=professional.organisation, proposed_by=professional
    )
    client.force_login(colleague)
    assert client.get(reverse("insights:entry", args=[ENTRY])).status_code == 404
