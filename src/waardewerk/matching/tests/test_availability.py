"""The client's availability and strengths in their own words (docs/matching.md, "Availability and
strengths"): written by the client in the portal or by the professional with the client, version-checked,
in the timeline and the access log, encrypted at rest, and shown to an employer only with the candidate
profile under its consent rules."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from tests.portal_helpers import log_in_client
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.actor import ClientActor
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.matching import services
from waardewerk.matching.models import CandidateProfile
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories import services as trajectory_services
from waardewerk.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

STRENGTHS = "Ik werk precies en ik help collega's graag."


def _trajectory(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    make_measurement(trajectory, "lwc", lwc_answers(a=2, income=(5, 2, 2), use_skills=(5, 4, 4)))
    return trajectory


def _values(**extra):
    return {
        "hours_per_week": 24,
        "days": ["tue", "mon"],
        "day_parts": ["morning"],
        "available_from": timezone.localdate() + dt.timedelta(days=30),
        "travel_km": 15,
        "travel_means": ["bicycle", "public_transport"],
        "availability_note": "Niet in de schoolvakanties.",
        "strengths": STRENGTHS,
    } | extra


def _post(**extra):
    data = {
        "hours_per_week": "24",
        "days": ["mon", "tue"],
        "day_parts": ["morning"],
        "available_from": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "travel_km": "15",
        "travel_means": ["bicycle"],
        "availability_note": "Niet in de schoolvakanties.",
        "strengths": STRENGTHS,
    }
    return {k: v for k, v in (data | extra).items() if v is not None}


def test_the_professional_records_it_with_the_client(professional, colleague):
    trajectory = _trajectory(professional)
    with pytest.raises(PermissionDeniedError):
        services.candidate_profile_save(
            actor=colleague, trajectory=trajectory, base_version=None, **_values()
        )
    profile = services.candidate_profile_save(
        actor=professional, trajectory=trajectory, base_version=None, **_values()
    )
    assert profile.days == ["mon", "tue"]  # in the week's order
    assert profile.written_by == "professional" and profile.written_by_user == professional
    entry = TimelineEntry.objects.get(trajectory=trajectory, event="candidate_profile")
    assert entry.actor_id == professional.pk and entry.texts["strengths"] == STRENGTHS
    assert STRENGTHS not in str(entry.data)
    assert AccessEvent.objects.filter(
        action="create", client_uuid=trajectory.client.uuid, object_uuid=profile.uuid
    ).exists()
    # The free texts are encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT strengths, availability_note FROM matching_candidateprofile WHERE id = %s", [profile.pk]
        )
        stored = cursor.fetchone()
    assert "precies" not in stored[0] and "schoolvakanties" not in stored[1]


def test_a_stale_edit_is_refused_and_nothing_is_stored(professional):
    trajectory = _trajectory(professional)
    first = services.candidate_profile_save(
        actor=professional, trajectory=trajectory, base_version=None, **_values()
    )
    client_actor = ClientActor(trajectory.client)
    services.candidate_profile_save(
        actor=client_actor, trajectory=trajectory, base_version=first.version, **_values(hours_per_week=16)
    )
    with pytest.raises(ConcurrentEditError):  # the professional's page was opened before the client saved
        services.candidate_profile_save(
            actor=professional,
            trajectory=trajectory,
            base_version=first.version,
            **_values(hours_per_week=32),
        )
    with pytest.raises(ConcurrentEditError):  # a "new" one while one exists
        services.candidate_profile_save(
            actor=professional, trajectory=trajectory, base_version=None, **_values(hours_per_week=32)
        )
    stored = CandidateProfile.objects.get(client=trajectory.client)
    assert stored.hours_per_week == 16 and stored.written_by == "client" and stored.written_by_user is None
    assert TimelineEntry.objects.filter(trajectory=trajectory, event="candidate_profile").count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hours_per_week", 0),
        ("hours_per_week", 61),
        ("hours_per_week", True),
        ("days", ["monday"]),
        ("day_parts", ["night"]),
        ("travel_means", ["rocket"]),
        ("travel_km", 201),
        ("travel_km", -1),
        ("available_from", dt.date(2099, 1, 1)),
        ("strengths", "x" * 2001),
        ("strengths", "nul\x00byte"),
        ("availability_note", "x" * 1001),
    ],
)
def test_the_service_refuses_bad_values(professional, field, value):
    trajectory = _trajectory(professional)
    with pytest.raises(services.ValidationError) as refused:
        services.candidate_profile_save(
            actor=professional, trajectory=trajectory, base_version=None, **_values(**{field: value})
        )
    assert field in refused.value.message_dict
    assert not CandidateProfile.objects.exists()


def test_the_staff_page_saves_and_refuses_bad_input_with_422(client, professional):
    trajectory = _trajectory(professional)
    client.force_login(professional)
    url = reverse("matching:availability", args=[trajectory.uuid])
    page = client.get(url)
    assert page.status_code == 200 and "Nog niets vastgelegd" in page.content.decode()
    assert AccessEvent.objects.filter(action="view", client_uuid=trajectory.client.uuid).exists()
    for bad in (
        {"hours_per_week": "veel"},
        {"hours_per_week": "90"},
        {"days": ["someday"]},
        {"travel_km": "1e9"},
        {"available_from": "31-02-2027"},
    ):
        response = client.post(url, _post(**bad))
        assert response.status_code == 422, bad
        assert 'aria-invalid="true"' in response.content.decode()
    assert not CandidateProfile.objects.exists()
    assert client.post(url, _post()).status_code == 302
    stored = CandidateProfile.objects.get(client=trajectory.client)
    assert stored.travel_means == ["bicycle"] and stored.version == 1
    # A stale form (opened before someone else saved) is refused with a clear message.
    services.candidate_profile_save(
        actor=ClientActor(trajectory.client), trajectory=trajectory, base_version=1, **_values()
    )
    stale = client.post(url, _post(base_version="1", hours_per_week="8"))
    assert stale.status_code == 422
    assert "Iemand anders heeft dit gewijzigd" in stale.content.decode()
    assert CandidateProfile.objects.get(client=trajectory.client).hours_per_week == 24
    # The fit page links to it and says who wrote it.
    fit = client.get(reverse("matching:fit", args=[trajectory.uuid])).content.decode()
    assert url in fit and "Geschreven door de cliënt" in fit


def test_the_client_writes_it_in_the_portal(professional):
    trajectory = _trajectory(professional)
    browser = Browser()
    log_in_client(browser, trajectory.client)
    url = reverse("portal:availability")
    page = browser.get(url)
    assert page.status_code == 200 and "Waar bent u goed in?" in page.content.decode()
    bad = browser.post(url, _post(hours_per_week="0", strengths="Goed met mensen"))
    assert bad.status_code == 422
    assert "Schrijf een aantal uren van 1 tot 60." in bad.content.decode()
    assert not CandidateProfile.objects.exists()
    assert browser.post(url, _post()).status_code == 302
    stored = CandidateProfile.objects.get(client=trajectory.client)
    assert stored.written_by == "client" and stored.strengths == STRENGTHS
    entry = TimelineEntry.objects.get(trajectory=trajectory, event="candidate_profile")
    assert entry.by_client
    assert AccessEvent.objects.filter(
        action="create", client_uuid=trajectory.client.uuid, actor_id__isnull=True
    ).exists()
    # Opened again, the form holds the answers and the version; a stale copy is refused.
    again = browser.get(url).content.decode()
    assert 'name="base_version" value="1"' in again and "schoolvakanties" in again
    services.candidate_profile_save(actor=professional, trajectory=trajectory, base_version=1, **_values())
    stale = browser.post(url, _post(base_version="1", hours_per_week="8"))
    assert stale.status_code == 422
    html = stale.content.decode()
    # In the client's words (B1, "u"), not the staff's "gewijzigd".
    assert "Uw antwoorden zijn nog niet bewaard." in html and "gewijzigd" not in html
    assert "Open de pagina opnieuw" in html and f'href="{url}"' in html
    browser.cookies["django_language"] = "en"
    english = browser.post(url, _post(base_version="1", hours_per_week="8")).content.decode()
    assert "Your answers are not saved yet." in english
    browser.cookies["django_language"] = "nl"
    # The jobs page links to it.
    assert url in browser.get(reverse("portal:jobs")).content.decode()


def test_after_the_trajectory_closed_the_client_reads_but_does_not_write(professional):
    trajectory = _trajectory(professional)
    services.candidate_profile_save(actor=professional, trajectory=trajectory, base_version=None, **_values())
    Trajectory.objects.filter(pk=trajectory.pk).update(end_date=timezone.localdate(), end_reason="paid_work")
    browser = Browser()
    log_in_client(browser, trajectory.client)
    url = reverse("portal:availability")
    page = browser.get(url)
    assert page.status_code == 200 and "precies" in page.content.decode()
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    assert browser.post(url, _post(hours_per_week="8")).status_code == 403
    assert CandidateProfile.objects.get().hours_per_week == 24


def test_the_employer_sees_it_only_with_the_clients_consent(professional):
    """Without the client's interest and consent for this employer, neither the candidate profile nor the
    employer's link shows the availability and strengths; with them, both do, and a withdrawn consent
    stops the link at once."""
    trajectory = _trajectory(professional)
    services.candidate_profile_save(
        actor=ClientActor(trajectory.client), trajectory=trajectory, base_version=None, **_values()
    )
    employer = services.employer_create(actor=professional, name="Bakkerij De Korrel", kvk_number="12345678")
    job = services.job_create(actor=professional, employer=employer, title="Broodbakker", occupation="0752")
    proposal = services.proposal_decide(
        actor=professional, trajectory=trajectory, job=job, decision="propose", reason="Past goed"
    )
    staff = Browser()
    staff.force_login(professional)
    url = reverse("matching:candidate_profile", args=[proposal.uuid])
    client_actor = ClientActor(trajectory.client)
    services.proposal_respond(actor=client_actor, proposal=proposal, response="interested")
    # Interested, but no consent for this employer: refused, nothing of the strengths shown.
    refused = staff.get(url)
    assert refused.status_code == 403 and "precies" not in refused.content.decode()
    with pytest.raises(services.ValidationError):
        services.employer_link_create(actor=professional, job=job, proposal=proposal)
    consent = trajectory_services.consent_give(
        actor=client_actor,
        client=trajectory.client,
        kind="employer",
        party=employer.uuid,
        party_name=employer.name,
    )
    page = staff.get(url).content.decode()
    assert "precies" in page and "schoolvakanties" in page and "24" in page
    assert trajectory.client.last_name not in page
    services.proposal_share(actor=professional, proposal=proposal)
    proposal.refresh_from_db()
    _link, token = services.employer_link_create(actor=professional, job=job, proposal=proposal)
    employer_page = Browser().get(reverse("matching:employer_link", args=[token]))
    text = employer_page.content.decode()
    assert employer_page.status_code == 200 and "precies" in text and "Maandag, Dinsdag" in text
    assert "Geschreven door de kandidaat" in text and professional.last_name not in text
    trajectory_services.consent_withdraw(actor=client_actor, consent=consent)
    gone = Browser().get(reverse("matching:employer_link", args=[token]))
    assert gone.status_code == 410 and "precies" not in gone.content.decode()
