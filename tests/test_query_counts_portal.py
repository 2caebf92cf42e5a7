"""Query budgets of the client portal's pages and the professional's portal page: the number of queries does
not grow with the number of actions, proposals, consents, questionnaires, measurements or log rows."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ActionFactory, TrajectoryFactory, igm_answers, lwc_answers, make_measurement
from tests.portal_helpers import log_in_client
from waardewerk.clients.models import Consent
from waardewerk.portal.models import ClientEvaluation, GoalProposal, QuestionnaireRequest
from waardewerk.trajectories.models import PlanVersion

CLIENT_PAGES = [
    "home",
    "goals",
    "actions",
    "appointments",
    "questionnaires",
    "progress",
    "evaluation",
    "consent",
    "access_log",
    "my_data",
]


def _queries(client, url):
    """Queries of the page as a process that has served it before runs it: the first request also fills
    the caches (instrument definitions in this process, the current versions in the shared cache)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_portal_pages_query_counts_are_constant(client, professional):
    from waardewerk.instruments.models import Instrument

    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, phase="evaluation"
    )
    ClientEvaluation.objects.create(trajectory=trajectory, went_well="De stage", satisfaction=4)
    goals = [
        {"key": f"g-{i}", "text": f"Doel {i}", "values": [], "determinants": [], "status": "active"}
        for i in range(3)
    ]
    PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content=json.dumps({"goals": goals, "choices": []}),
        reason="x",
        created_by=professional,
    )
    instruments = list(Instrument.objects.filter(key__in=["lwc", "igm"]))
    staff = client.__class__()
    staff.force_login(professional)

    def grow(n):
        for i in range(n):
            ActionFactory(trajectory=trajectory, owner="client")
            ActionFactory(
                trajectory=trajectory, owner="professional", status="done", completed_on=timezone.localdate()
            )
            GoalProposal.objects.create(trajectory=trajectory, text=f"Voorstel {i}")
            c = Consent.objects.create(
                client=trajectory.client, kind="research", given_at=timezone.now(), given_via="portal"
            )
            Consent.objects.filter(pk=c.pk).update(withdrawn_at=timezone.now(), withdrawn_via="portal")
            make_measurement(trajectory, "lwc", lwc_answers())
            make_measurement(trajectory, "igm", igm_answers())
            staff.get(reverse("clients:dossier", args=[trajectory.client.uuid]))  # rows in the access log
        for instrument in instruments:
            QuestionnaireRequest.objects.get_or_create(
                trajectory=trajectory, instrument=instrument, requested_by=professional, completed_at=None
            )

    grow(1)
    log_in_client(client, trajectory.client)
    urls = [reverse(f"portal:{name}") for name in CLIENT_PAGES]
    staff_url = reverse("portal:staff", args=[trajectory.uuid])
    small = [_queries(client, url) for url in urls] + [_queries(staff, staff_url)]
    grow(8)
    large = [_queries(client, url) for url in urls] + [_queries(staff, staff_url)]
    assert small == large, dict(zip(CLIENT_PAGES + ["staff"], zip(small, large, strict=True), strict=True))
    print("portal page queries:", dict(zip(CLIENT_PAGES + ["staff"], large, strict=True)))
    assert max(large) <= 15, dict(zip(CLIENT_PAGES + ["staff"], large, strict=True))


@pytest.mark.django_db
def test_agreeing_to_the_plan_in_the_portal_has_a_fixed_budget(client, professional):
    """The client's agreement: the same number of queries with one plan version or many."""
    from waardewerk.trajectories.models import PlanAgreement

    def agree_with(versions: int) -> int:
        trajectory = TrajectoryFactory(
            responsible=professional, client__organisation=professional.organisation
        )
        for number in range(1, versions + 1):
            PlanVersion.objects.create(
                trajectory=trajectory,
                number=number,
                content=json.dumps(
                    {"goals": [{"key": "g-1", "text": "Werk", "status": "active"}], "choices": []}
                ),
                reason="x",
                created_by=professional,
            )
        browser = client.__class__()
        log_in_client(browser, trajectory.client)
        with CaptureQueriesContext(connection) as ctx:
            response = browser.post(reverse("portal:plan_agree"), {"version": str(versions)})
        assert response.status_code == 302
        assert PlanAgreement.objects.filter(plan_version__trajectory=trajectory).count() == 1
        return len(ctx.captured_queries)

    one, many = agree_with(1), agree_with(6)
    assert one == many <= 20, (one, many)
