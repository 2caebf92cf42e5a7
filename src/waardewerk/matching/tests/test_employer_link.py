"""The employer's one-time link: the job's value profile filled in by the employer, and the candidate profile
shared with it answered; expiring, single use, only the token's digest stored, every view logged and shown to
the client."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from tests.portal_helpers import log_in_client
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.actor import ClientActor
from waardewerk.core import tokens
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.matching import services
from waardewerk.matching.models import EmployerLink, Job
from waardewerk.portal import services as portal_services
from waardewerk.trajectories import services as trajectory_services

pytestmark = pytest.mark.django_db

FULL = {
    "use_skills": 4,
    "develop_skills": 2,
    "involvement": 4,
    "contacts": 5,
    "own_goals": 3,
    "income": 3,
    "contribution": 5,
}


def _job(professional):
    employer = services.employer_create(actor=professional, name="Bakkerij De Korrel", kvk_number="12345678")
    return services.job_create(
        actor=professional, employer=employer, title="Broodbakker", occupation="0752", hours=32
    )


def _url(token):
    return reverse("matching:employer_link", args=[token])


def _profile_post(name="Mira de Wit", **scores):
    return {"name": name, **{k: str(v) for k, v in (FULL | scores).items()}}


def test_the_employer_fills_in_the_value_profile_once(professional, colleague, functional_admin):
    job = _job(professional)
    with pytest.raises(PermissionDeniedError):
        services.employer_link_create(actor=functional_admin, job=job)
    link, token = services.employer_link_create(actor=professional, job=job)
    assert link.token_digest == tokens.token_digest(token) and token not in link.token_digest
    assert link.expires_at > timezone.now() + dt.timedelta(days=13)
    web = Browser()
    page = web.get(_url(token))
    assert page.status_code == 200 and "Broodbakker" in page.content.decode()
    # Bad input: 422 with a message per item, nothing stored, the link still works.
    bad = web.post(_url(token), {"name": "", "income": "9"})
    assert bad.status_code == 422
    assert "Vul uw naam in." in bad.content.decode()
    job.refresh_from_db()
    assert job.profile == {}
    done = web.post(_url(token), _profile_post())
    assert done.status_code == 200
    job.refresh_from_db()
    assert job.profile == FULL and job.profile_by_employer == "Mira de Wit" and job.profile_by is None
    # Single use: the link is spent.
    assert web.get(_url(token)).status_code == 410
    assert web.post(_url(token), _profile_post(name="Ander")).status_code == 410
    job.refresh_from_db()
    assert job.profile_by_employer == "Mira de Wit"
    events = AccessEvent.objects.filter(actor_role="employer_link", object_uuid=job.uuid)
    assert {e.action for e in events} == {"view", "change"}
    assert all(e.actor_id is None and e.on_behalf_of.startswith("Bakkerij De Korrel") for e in events)


def test_expired_revoked_and_unknown_links(professional):
    job = _job(professional)
    old, old_token = services.employer_link_create(actor=professional, job=job)
    _new, new_token = services.employer_link_create(actor=professional, job=job)
    web = Browser()
    assert web.get(_url(old_token)).status_code == 410  # a newer link revokes the open one
    EmployerLink.objects.filter(token_digest=tokens.token_digest(new_token)).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expired = web.get(_url(new_token))
    assert expired.status_code == 410 and "verlopen" in expired.content.decode()
    assert web.post(_url(new_token), _profile_post()).status_code == 410
    assert web.get(_url(tokens.new_token())).status_code == 404
    assert web.get(_url("x" * 300)).status_code == 404
    assert Job.objects.get(pk=job.pk).profile == {}
    old.refresh_from_db()
    assert old.revoked_at is not None


def _shared(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    make_measurement(trajectory, "lwc", lwc_answers(a=2, income=(5, 2, 2), use_skills=(5, 4, 4)))
    job = _job(professional)
    services.profile_save(
        actor=professional, target=job, base_version=1, scores={"income": 4, "use_skills": 5}
    )
    proposal = services.proposal_decide(
        actor=professional, trajectory=trajectory, job=job, decision="propose", reason="Past bij inkomen"
    )
    client_actor = ClientActor(trajectory.client)
    services.proposal_respond(actor=client_actor, proposal=proposal, response="interested")
    return trajectory, job, proposal, client_actor


def test_the_candidate_link_needs_sharing_with_consent_and_stops_when_withdrawn(professional, colleague):
    trajectory, job, proposal, client_actor = _shared(professional)
    with pytest.raises(ValidationError):  # not shared yet, no consent for this employer
        services.employer_link_create(actor=professional, job=job, proposal=proposal)
    consent = trajectory_services.consent_give(
        actor=client_actor,
        client=trajectory.client,
        kind="employer",
        party=job.employer.uuid,
        party_name=job.employer.name,
    )
    services.proposal_share(actor=professional, proposal=proposal)
    with pytest.raises(PermissionDeniedError):
        services.employer_link_create(actor=colleague, job=job, proposal=proposal)
    _link, token = services.employer_link_create(actor=professional, job=job, proposal=proposal)
    web = Browser()
    page = web.get(_url(token)).content.decode()
    assert "Een goed inkomen" in page and trajectory.client.last_name not in page
    assert trajectory.client.first_name not in page
    # The client sees the employer's view in "who looked".
    portal = Browser()
    log_in_client(portal, trajectory.client)
    looked = portal.get(reverse("portal:access_log")).content.decode()
    assert "Bakkerij De Korrel" in looked and "werkgever, via een eenmalige link" in looked
    # Withdrawn consent: the link stops working.
    portal_services.consent_withdraw(actor=client_actor, consent=consent)
    assert web.get(_url(token)).status_code == 410


def test_the_employer_answers_through_the_link_once(professional):
    trajectory, job, proposal, client_actor = _shared(professional)
    trajectory_services.consent_give(
        actor=client_actor,
        client=trajectory.client,
        kind="employer",
        party=job.employer.uuid,
        party_name=job.employer.name,
    )
    services.proposal_share(actor=professional, proposal=proposal)
    _link, token = services.employer_link_create(actor=professional, job=job, proposal=proposal)
    web = Browser()
    assert web.post(_url(token), {"response": "maybe"}).status_code == 422
    assert web.post(_url(token), {"response": "interested", "note": "Graag een gesprek"}).status_code == 200
    proposal.refresh_from_db()
    assert proposal.employer_response == "interested" and proposal.employer_note == "Graag een gesprek"
    assert web.post(_url(token), {"response": "not_interested"}).status_code == 410
    events = AccessEvent.objects.filter(actor_role="employer_link", client_uuid=trajectory.client.uuid)
    assert {e.action for e in events} == {"view", "change"}
    staff = Browser()
    staff.force_login(professional)
    fit = staff.get(reverse("matching:fit", args=[trajectory.uuid])).content.decode()
    assert "Graag een gesprek" in fit
