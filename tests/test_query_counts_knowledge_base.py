"""Query budgets of the knowledge base's pages, the plan pages that offer and show entries, and the portal
page with the choices of the agreed plan: constant, whatever the number of entries, versions and choices."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TrajectoryFactory, UserFactory
from tests.portal_helpers import log_in_client, portal_account
from waardewerk.accounts.models import Role
from waardewerk.knowledge import selectors, services
from waardewerk.trajectories import services as plan_services
from waardewerk.trajectories.models import PlanAgreement
from waardewerk.trajectories.plan import PlanContent

BUDGET = 12
FIELDS = {
    "name": "Methode",
    "summary": "Samenvatting.",
    "target_final": "Werkzoekenden.",
    "goal": "Werk.",
    "approach": "Stap voor stap.",
    "references": [],
}


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(editor, professional, n):
    """n more entries: half proposals, half published with a second version."""
    for i in range(n):
        entry = services.entry_create(actor=professional, fields=FIELDS | {"name": f"Methode {i}"}, note="V")
        if i % 2:
            services.entry_review(actor=editor, entry=entry, decision="publish", remarks="", base_version=1)
            entry.refresh_from_db()
            services.entry_update(
                actor=editor,
                entry=entry,
                fields=FIELDS | {"name": f"Methode {i}", "kind": "local_practice", "level": "not_assessed"},
                note="Tweede",
                base_version=1,
            )


@pytest.fixture
def editor(organisation):
    return UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["professional", "editor"])
@pytest.mark.parametrize(
    "name, args",
    [
        ("knowledge:entries", []),
        ("knowledge:entry", ["ips"]),
        ("knowledge:editor", []),
        ("knowledge:entries_export", []),
        ("knowledge:entry_new", []),
    ],
)
def test_knowledge_base_pages_use_a_constant_number_of_queries(login, professional, editor, who, name, args):
    if who == "professional" and name in ("knowledge:editor", "knowledge:entries_export"):
        pytest.skip("the editor's pages")
    browser = login(professional if who == "professional" else editor)
    url = reverse(name, args=args)
    _grow(editor, professional, 2)
    small = _queries(browser, url)
    _grow(editor, professional, 12)
    large = _queries(browser, url)
    assert small == large, f"{name}: {small} -> {large}"
    assert large <= BUDGET, f"{name} uses {large} queries"


def _plan(professional, trajectory, n):
    entries = selectors.plan_entries(professional)
    keys = sorted(entries)
    choices = [{"entry": keys[i % len(keys)], "preference": "Graag", "expertise": "x"} for i in range(n)]
    version = plan_services.plan_save(
        actor=professional,
        trajectory=trajectory,
        goals=[{"key": "", "text": "Werk", "values": [], "determinants": [], "status": "active"}],
        choices=choices,
        reason="",
        base_number=0,
        entries=entries,
    )
    PlanAgreement.objects.create(
        plan_version=version, agreed_on=version.created_at.date(), method="signed", recorded_by=professional
    )
    return version


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["trajectories:plan", "trajectories:plan_edit"])
def test_plan_pages_with_entries_use_a_constant_number_of_queries(login, professional, name):
    browser = login(professional)
    small_t = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    large_t = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    _plan(professional, small_t, 1)
    _plan(professional, large_t, 12)
    small = _queries(browser, reverse(name, args=[small_t.uuid]))
    large = _queries(browser, reverse(name, args=[large_t.uuid]))
    assert small == large, f"{name}: {small} -> {large}"


@pytest.mark.django_db
def test_the_portal_choices_use_a_constant_number_of_queries(client, professional):
    from waardewerk.clients.actor import ClientActor
    from waardewerk.portal import services as portal_services

    counts = []
    for n in (1, 12):
        trajectory = TrajectoryFactory(
            responsible=professional, client__organisation=professional.organisation
        )
        version = _plan(professional, trajectory, n)
        for choice in PlanContent.from_json(version.content).choices:
            portal_services.preference_correct(
                actor=ClientActor(trajectory.client),
                trajectory=trajectory,
                choice_key=choice.key,
                text="Anders",
            )
        portal_account(trajectory.client)
        client.logout()
        log_in_client(client, trajectory.client)
        counts.append(_queries(client, reverse("portal:goals")))
    assert counts[0] == counts[1], counts
