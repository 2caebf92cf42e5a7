"""The API: tokens, scopes, organisations, the problem answers, the access log (docs/api.md)."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from waardewerk.accounts.actor import SCOPES
from waardewerk.api.models import Application
from waardewerk.api.services import application_revoke
from waardewerk.api.tests.conftest import ALL_SCOPES, api_client, register
from waardewerk.audit.models import AccessEvent
from waardewerk.instruments.models import Measurement
from waardewerk.privacy import services as privacy

PROBLEM = "application/problem+json"

# endpoint -> (list url name, detail url name or None, world key of its object, the scope it needs)
ENDPOINTS = {
    "clients": ("api:clients", "api:client", "client", "clients:read"),
    "trajectories": ("api:trajectories", "api:trajectory", "trajectory", "trajectories:read"),
    "measurements": ("api:measurements", "api:measurement", "measurement", "measurements:read"),
    "actions": ("api:actions", "api:action", "action", "trajectories:read"),
    "conversations": ("api:conversations", "api:conversation", "conversation", "trajectories:read"),
    "employers": ("api:employers", "api:employer", "employer", "matching:read"),
    "jobs": ("api:jobs", "api:job", "job", "matching:read"),
    "placements": ("api:placements", "api:placement", "placement", "matching:read"),
}
# Sub-resources of a trajectory: the trajectory's scope, and for the plan also plans:read.
TRAJECTORY_PARTS = {
    "api:trajectory_history": {"trajectories:read"},
    "api:trajectory_plan": {"trajectories:read", "plans:read"},
}


def _ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_endpoint_for_every_scope_and_organisation(world_a, world_b, endpoint):
    """With its scope: A's object listed and readable (200), B's not listed and 404. Without it: 403 on the
    list and on the object, whatever the organisation."""
    list_name, detail_name, key, scope = ENDPOINTS[endpoint]
    own, other = world_a[key], world_b[key]
    for scopes in [ALL_SCOPES, [scope], sorted(set(SCOPES) - {scope})]:
        _app, token = register(world_a, scopes=scopes, name=f"app {len(scopes)}")
        browser = api_client(token)
        listing = browser.get(reverse(list_name))
        mine = browser.get(reverse(detail_name, args=[own.uuid]))
        theirs = browser.get(reverse(detail_name, args=[other.uuid]))
        unknown = browser.get(reverse(detail_name, args=[uuid.uuid4()]))
        if scope in scopes:
            assert listing.status_code == 200, listing.content
            assert _ids(listing) == {str(own.uuid)}
            assert mine.status_code == 200
            assert mine.json()["id"] == str(own.uuid)
            assert theirs.status_code == unknown.status_code == 404
            assert theirs["Content-Type"] == PROBLEM
            assert theirs.json() | {"instance": ""} == unknown.json() | {"instance": ""}
        else:
            assert {listing.status_code, mine.status_code, theirs.status_code} == {403}
            assert listing["Content-Type"] == PROBLEM
            assert scope in listing.json()["detail"]
        for response in (listing, mine, theirs):
            assert response["API-Version"] == "1.0.0"
            assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TRAJECTORY_PARTS))
def test_trajectory_parts_per_scope_and_organisation(world_a, world_b, name):
    needed = TRAJECTORY_PARTS[name]
    for scopes in [ALL_SCOPES, sorted(needed), *[sorted(set(SCOPES) - {scope}) for scope in needed]]:
        _app, token = register(world_a, scopes=scopes)
        browser = api_client(token)
        mine = browser.get(reverse(name, args=[world_a["trajectory"].uuid]))
        theirs = browser.get(reverse(name, args=[world_b["trajectory"].uuid]))
        if needed <= set(scopes):
            assert mine.status_code == 200, mine.content
            assert theirs.status_code == 404
        else:
            assert mine.status_code in (403, 404)
            assert theirs.status_code in (403, 404)
            if "trajectories:read" in scopes:
                assert mine.status_code == 403  # the trajectory is visible, the plan is not allowed
                assert theirs.status_code in (403, 404)


@pytest.mark.django_db
def test_history_and_plan_contents(world_a, token_a):
    browser = api_client(token_a)
    history = browser.get(reverse("api:trajectory_history", args=[world_a["trajectory"].uuid])).json()
    events = {row["event"] for row in history["results"]}
    assert {"started", "measurement", "conversation"} <= events
    assert all("summary" not in row and "texts" not in row for row in history["results"])
    plan = browser.get(reverse("api:trajectory_plan", args=[world_a["trajectory"].uuid])).json()
    assert plan["version"] == 1 and plan["goals"][0]["text"] == "Weer werken"


@pytest.mark.django_db
def test_conversation_notes_only_with_their_scope(world_a):
    url = reverse("api:conversation", args=[world_a["conversation"].uuid])
    _app, without = register(world_a, scopes=["trajectories:read"])
    _app, with_notes = register(world_a, scopes=["trajectories:read", "conversations:notes"])
    assert api_client(without).get(url).json()["notes"] is None
    assert api_client(with_notes).get(url).json()["notes"] == "Geheime notitie A"
    listing = api_client(without).get(reverse("api:conversations")).json()
    assert all(row["notes"] is None for row in listing["results"])


@pytest.mark.django_db
def test_tokens_that_do_not_work(world_a, client, professional):
    url = reverse("api:clients")
    application, token = register(world_a)
    assert api_client(token).get(url).status_code == 200
    for header in ["", "Bearer ww_nope", f"Token {token}", "Bearer " + "x" * 300]:
        response = (
            api_client(None).get(url, HTTP_AUTHORIZATION=header) if header else api_client(None).get(url)
        )
        assert response.status_code == 401, header
        assert response["Content-Type"] == PROBLEM
        assert response["WWW-Authenticate"].startswith("Bearer")
    # A signed-in staff member is not an application.
    client.force_login(professional)
    assert client.get(url).status_code == 401
    # Expired and revoked.
    Application.objects.filter(pk=application.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert api_client(token).get(url).status_code == 401
    application, token = register(world_a)
    application_revoke(actor=world_a["admin"], application=application)
    assert api_client(token).get(url).status_code == 401


@pytest.mark.django_db
def test_the_token_is_stored_as_a_digest_only(world_a):
    application, token = register(world_a)
    assert token.startswith(f"ww_{application.token_prefix}_")
    stored = Application.objects.filter(pk=application.pk).values().get()
    assert token not in str(stored)
    assert len(application.token_digest) == 64


@pytest.mark.django_db
def test_every_read_is_in_the_access_log_with_the_application_as_actor(world_a, token_a):
    application = Application.objects.get()
    before = AccessEvent.objects.count()
    api_client(token_a).get(reverse("api:client", args=[world_a["client"].uuid]))
    api_client(token_a).get(reverse("api:trajectories"))
    events = list(AccessEvent.objects.order_by("id")[before:])
    assert len(events) == 2
    for event in events:
        assert event.actor_role == "application"
        assert event.actor_username == f"api:{application.token_prefix}"
        assert str(application.uuid) in event.on_behalf_of
        assert event.client_uuid == world_a["client"].uuid
        assert event.action == "view"


@pytest.mark.django_db
def test_the_client_list_leaves_out_anonymised_files(world_a, token_a):
    """An anonymised file is no client any more (docs/privacy.md, "Anonymised files in lists"): the API's
    list leaves it out on every page, as the staff's lists do, and logs no read of it."""
    from tests.factories import TrajectoryFactory

    today = timezone.localdate()
    kept = []
    for n in range(3):
        closed = TrajectoryFactory(
            responsible=world_a["professional"],
            client__organisation=world_a["organisation"],
            start_date=today - dt.timedelta(days=900),
            end_date=today - dt.timedelta(days=800 - n),
            end_reason="work",
        )
        if n == 1:
            privacy.anonymise_client(actor=None, client=closed.client)
            closed.client.refresh_from_db()
            gone = closed.client
        else:
            kept.append(closed.client)
    assert gone.is_anonymised
    before = AccessEvent.objects.count()
    browser = api_client(token_a)
    seen, url = [], reverse("api:clients") + "?pageSize=1"
    while url:
        page = browser.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(str(c.uuid) for c in [world_a["client"], *kept])
    logged = AccessEvent.objects.order_by("id")[before:]
    assert gone.uuid not in {event.client_uuid for event in logged}
    assert "[geanonimiseerd]" not in browser.get(reverse("api:clients")).content.decode()


@pytest.mark.django_db
def test_bad_filters_get_a_problem_naming_the_parameter(world_a, token_a):
    browser = api_client(token_a)
    response = browser.get(reverse("api:actions"), {"trajectory": "not-a-uuid"})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert [p["name"] for p in response.json()["invalidParams"]] == ["trajectory"]
    response = browser.get(reverse("api:trajectories"), {"phase": "nonsense"})
    assert [p["name"] for p in response.json()["invalidParams"]] == ["phase"]
    response = browser.get(reverse("api:clients"), {"cursor": "garbage"})
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    response = browser.get(reverse("api:clients"), {"pagesize": "2"})
    assert [p["name"] for p in response.json()["invalidParams"]] == ["pagesize"]


@pytest.mark.django_db
def test_pages_follow_the_cursor(world_a, token_a):
    from tests.factories import TrajectoryFactory

    for _ in range(4):
        TrajectoryFactory(responsible=world_a["professional"], client__organisation=world_a["organisation"])
    browser = api_client(token_a)
    seen, url = [], reverse("api:trajectories") + "?pageSize=2"
    while url:
        page = browser.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 5


# Submitting a measurement ---------------------------------------------------------------------------------


def _lwc_body(world, **changes):
    from tests.factories import lwc_answers

    return {
        "trajectory": str(world["trajectory"].uuid),
        "instrument": "lwc",
        "respondent": "client",
        "framing": "current",
        "takenOn": timezone.localdate().isoformat(),
        "answers": lwc_answers(),
    } | changes


@pytest.mark.django_db
def test_a_measurement_is_submitted_through_the_service(world_a):
    from waardewerk.instruments.services import current_version

    definition = current_version("lwc").definition
    body = _lwc_body(world_a, framing=definition["framings"][0]["key"] if definition["framings"] else "")
    _app, token = register(world_a, scopes=["measurements:read", "measurements:write"])
    response = api_client(token).post(reverse("api:measurements"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = Measurement.objects.get(uuid=response.json()["id"])
    assert created.status == "submitted" and created.entered_by is None and not created.entered_by_client
    assert created.score
    assert world_a["trajectory"].timeline_entries.filter(event="measurement", source_id=created.uuid).exists()
    event = AccessEvent.objects.filter(object_uuid=created.uuid, action="create").get()
    assert event.actor_role == "application"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field",
    [
        ({"takenOn": "2999-01-01"}, "takenOn"),
        ({"takenOn": "gisteren"}, "takenOn"),
        ({"respondent": "the cat"}, "respondent"),
        ({"instrument": "no-such-instrument"}, "instrument"),
        ({"trajectory": "00000000-0000-0000-0000-000000000000"}, "trajectory"),
        ({"answers": {"overall": 99}}, "answers"),
        ({"answers": []}, "answers"),
    ],
)
def test_bad_measurements_are_refused_naming_the_field_and_store_nothing(world_a, changes, field):
    from waardewerk.instruments.services import current_version

    definition = current_version("lwc").definition
    framing = definition["framings"][0]["key"] if definition["framings"] else ""
    _app, token = register(world_a, scopes=["measurements:write"])
    before = Measurement.objects.count()
    response = api_client(token).post(
        reverse("api:measurements"),
        _lwc_body(world_a, framing=framing) | changes,
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    names = [p["name"] for p in response.json()["invalidParams"]]
    assert any(name == field or name.startswith(f"{field}.") for name in names), names
    assert Measurement.objects.count() == before


@pytest.mark.django_db
def test_a_measurement_for_another_organisation_or_without_the_scope(world_a, world_b):
    _app, reader = register(world_a, scopes=["measurements:read", "trajectories:read"])
    body = _lwc_body(world_a)
    assert (
        api_client(reader)
        .post(reverse("api:measurements"), body, content_type="application/json")
        .status_code
        == 403
    )
    _app, writer = register(world_a, scopes=["measurements:write"])
    other = _lwc_body(world_b)
    response = api_client(writer).post(reverse("api:measurements"), other, content_type="application/json")
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["trajectory"]
    response = api_client(writer).post(
        reverse("api:measurements"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
