"""A functional administrator reads only their own organisation's part of the access log: the events done by
its users or about its clients (``audit.policies.readable_events``), on the log page, in a search by a
client's public id or name, and in the export. Another organisation's events never show."""

import json
import time
import uuid

import pytest
from django.test import Client as Browser
from django.urls import reverse

from tests.factories import OrganisationFactory, TeamFactory, TrajectoryFactory, UserFactory
from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT
from waardewerk.accounts.models import Role
from waardewerk.audit import policies, services
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.actor import ClientActor
from waardewerk.privacy.models import ErasureRecord

pytestmark = pytest.mark.django_db


def _admin_browser(admin) -> Browser:
    browser = Browser()
    browser.force_login(admin)
    session = browser.session
    session[TWO_FACTOR_VERIFIED_AT] = 1
    session["reauth_at"] = int(time.time())
    session.save()
    return browser


@pytest.fixture
def two_organisations(professional, functional_admin):
    """Organisation A (the fixtures') and B, each with a client whose file was read and changed by its
    professional, read by the client in the portal; and an event with neither user nor client."""
    mine = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, client__last_name="Ozturk"
    )
    other_org = OrganisationFactory(name="Werkplein Elders")
    other_team = TeamFactory(organisation=other_org, name="Elders")
    other_professional = UserFactory(organisation=other_org, role=Role.PROFESSIONAL, username="elders")
    other_professional.teams.add(other_team)
    other_admin = UserFactory(organisation=other_org, role=Role.FUNCTIONAL_ADMIN, username="beheer-elders")
    theirs = TrajectoryFactory(
        responsible=other_professional,
        client__organisation=other_org,
        team=other_team,
        client__last_name="Ozturk",
    )
    for actor, trajectory in ((professional, mine), (other_professional, theirs)):
        services.audit_record(actor=actor, action="view", client=trajectory.client, obj=trajectory)
        services.audit_record(actor=actor, action="change", client=trajectory.client, obj=trajectory)
        services.audit_read(actor=ClientActor(trajectory.client), obj=trajectory)
    services.audit_record(actor=None, action="delete", object_type="privacy.retention_run", on_behalf_of="x")
    return mine, theirs, other_admin


def test_each_organisations_administrator_reads_only_its_own_events(two_organisations, functional_admin):
    mine, theirs, other_admin = two_organisations
    own = set(policies.readable_events(functional_admin).values_list("client_uuid", flat=True))
    assert own == {mine.client.uuid}
    assert policies.readable_events(functional_admin).count() == 3  # the professional's two, the client's
    assert set(policies.readable_events(other_admin).values_list("client_uuid", flat=True)) == {
        theirs.client.uuid
    }
    # Other roles read nothing of the log.
    assert not policies.readable_events(mine.responsible).exists()


@pytest.mark.parametrize("side", ["a", "b"])
def test_the_log_page_and_the_export_never_show_another_organisations_events(
    two_organisations, functional_admin, side
):
    mine, theirs, other_admin = two_organisations
    admin, own, foreign = (functional_admin, mine, theirs) if side == "a" else (other_admin, theirs, mine)
    browser = _admin_browser(admin)
    page = browser.get(reverse("audit:log"))
    assert page.status_code == 200
    shown = {event.client_uuid for event in page.context["page"].object_list}
    assert own.client.uuid in shown and foreign.client.uuid not in shown
    assert None not in shown  # the retention run names no organisation
    by_id = browser.get(reverse("audit:log"), {"client": str(foreign.client.uuid)})
    assert by_id.status_code == 200 and not list(by_id.context["page"].object_list)
    by_name = browser.get(reverse("audit:log"), {"client": "ozturk"})
    assert {e.client_uuid for e in by_name.context["page"].object_list} == {own.client.uuid}
    by_user = browser.get(reverse("audit:log"), {"user": foreign.responsible.username})
    assert not list(by_user.context["page"].object_list)
    export = browser.get(reverse("audit:export"))
    assert export.status_code == 200
    rows = [json.loads(line) for line in b"".join(export.streaming_content).decode().splitlines()]
    assert rows and str(foreign.client.uuid) not in {row["client_uuid"] for row in rows}
    assert foreign.responsible.username not in {row["actor_username"] for row in rows}
    assert {row["actor_username"] for row in rows} <= {
        admin.username,
        own.responsible.username,
        "",  # the client in the portal
    }


def test_the_command_line_export_still_holds_the_whole_log(two_organisations):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("audit", "export", "--since", "2000-01-01", "--format", "jsonl", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    mine, theirs, _admin = two_organisations
    assert {str(mine.client.uuid), str(theirs.client.uuid)} <= {row["client_uuid"] for row in rows}
    assert AccessEvent.objects.filter(object_type="privacy.retention_run").exists()


def test_an_erasure_event_shows_to_its_own_organisation_only(two_organisations, functional_admin):
    """An erasure's event names the client's old public id, which no client has any more, and no user (the
    daily run): it belongs to the organisation of its erasure record."""
    _mine, theirs, other_admin = two_organisations
    record = ErasureRecord.objects.create(organisation=other_admin.organisation, cause="retention")
    gone_uuid = uuid.uuid4()
    services.audit_record(actor=None, action="delete", client=gone_uuid, obj=record, on_behalf_of="retention")
    assert policies.readable_events(other_admin).filter(client_uuid=gone_uuid).exists()
    assert not policies.readable_events(functional_admin).filter(client_uuid=gone_uuid).exists()
