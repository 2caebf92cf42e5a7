"""Employers, jobs, value profiles, the fit lists, decisions, the client's response and sharing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.actor import ClientActor
from waardewerk.clients.selectors import has_consent
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.matching import selectors, services
from waardewerk.matching.models import Decision
from waardewerk.trajectories import services as trajectory_services

pytestmark = pytest.mark.django_db


def _employer(actor, **extra):
    data = {"name": "Bakkerij De Korrel", "kvk_number": "12345678", "sector": "Voeding", "city": "Zwolle"}
    return services.employer_create(actor=actor, **(data | extra))


def _job(actor, employer, **extra):
    data = {"title": "Broodbakker", "occupation": "0752", "hours": 32, "contract": "temporary"}
    return services.job_create(actor=actor, employer=employer, **(data | extra))


def test_the_kvk_number_is_eight_digits_and_unique_per_organisation(professional, colleague):
    employer = _employer(professional, kvk_number="12 34 56 78")
    assert employer.kvk_number == "12345678"
    for wrong in ("1234567", "123456789", "1234567a", "00000000", ""):
        with pytest.raises(ValidationError) as exc:
            _employer(professional, kvk_number=wrong)
        assert "kvk_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _employer(colleague, name="Andere naam")
    assert "al een werkgever" in exc.value.message_dict["kvk_number"][0]


def test_only_case_workers_keep_employers(functional_admin):
    with pytest.raises(PermissionDeniedError):
        _employer(functional_admin)


def test_a_job_needs_a_known_occupation_and_sensible_hours(professional):
    employer = _employer(professional)
    with pytest.raises(ValidationError) as exc:
        _job(professional, employer, occupation="9999", hours=90)
    assert set(exc.value.message_dict) == {"occupation", "hours"}


def test_a_value_profile_is_checked_per_value(professional):
    employer = _employer(professional)
    with pytest.raises(ValidationError) as exc:
        services.profile_save(
            actor=professional, target=employer, base_version=1, scores={"income": 7, "salary": 3}
        )
    assert "income" in exc.value.message_dict and "__all__" in exc.value.message_dict
    services.profile_save(actor=professional, target=employer, base_version=1, scores={"income": 4})
    employer.refresh_from_db()
    assert employer.profile == {"income": 4} and employer.profile_by == professional


def _world(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    make_measurement(
        trajectory, "lwc", lwc_answers(a=2, income=(5, 2, 2), contacts=(4, 3, 3), use_skills=(5, 4, 4))
    )
    employer = _employer(professional)
    services.profile_save(actor=professional, target=employer, base_version=1, scores={"contacts": 5})
    good = _job(professional, employer, title="Broodbakker")
    services.profile_save(
        actor=professional, target=good, base_version=1, scores={"income": 4, "use_skills": 5}
    )
    poor = _job(professional, employer, title="Hulpkracht winkel", occupation="0332")
    services.profile_save(
        actor=professional, target=poor, base_version=1, scores={"income": 1, "use_skills": 2}
    )
    return trajectory, good, poor


def test_the_client_fit_list_orders_jobs_by_fit_with_reasons(professional):
    trajectory, good, poor = _world(professional)
    result = selectors.client_fit(professional, trajectory)
    assert [row.job for row in result.rows] == [good, poor]
    first = result.rows[0].fit
    assert first.important == ["use_skills", "contacts", "income"]
    assert first.matched == ["use_skills", "contacts", "income"]
    assert result.rows[1].fit.gaps == ["use_skills", "income"]
    assert {v.key: v.source for v in first.values}["contacts"] == "employer"


def test_the_job_fit_list_shows_only_the_own_open_caseload(professional, colleague):
    trajectory, good, _poor = _world(professional)
    other = TrajectoryFactory(responsible=colleague, client__organisation=professional.organisation)
    make_measurement(other, "lwc", lwc_answers(a=5))
    result = selectors.job_fit(professional, good)
    assert [row.trajectory for row in result.rows] == [trajectory]
    assert [row.trajectory for row in selectors.job_fit(colleague, good).rows] == [other]


def test_decide_respond_consent_and_share(professional, colleague):
    trajectory, good, _poor = _world(professional)
    with pytest.raises(ValidationError):
        services.proposal_decide(
            actor=professional, trajectory=trajectory, job=good, decision="propose", reason=""
        )
    with pytest.raises(PermissionDeniedError):
        services.proposal_decide(
            actor=colleague, trajectory=trajectory, job=good, decision="propose", reason="Past goed"
        )
    proposal = services.proposal_decide(
        actor=professional, trajectory=trajectory, job=good, decision="propose", reason="Past bij inkomen"
    )
    assert proposal.fit["matched"] == ["use_skills", "contacts", "income"]
    with pytest.raises(ValidationError):  # the client has not answered yet
        services.proposal_share(actor=professional, proposal=proposal)
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(professional)
    assert browser.get(reverse("matching:candidate_profile", args=[proposal.uuid])).status_code == 403
    client_actor = ClientActor(trajectory.client)
    services.proposal_respond(actor=client_actor, proposal=proposal, response="interested", note="Leuk!")
    with pytest.raises(ValidationError):  # interested, but no consent for this employer
        services.proposal_share(actor=professional, proposal=proposal)
    trajectory_services.consent_give(
        actor=client_actor,
        client=trajectory.client,
        kind="employer",
        party=good.employer.uuid,
        party_name=good.employer.name,
    )
    assert has_consent(trajectory.client, "employer", party=good.employer.uuid)
    assert not has_consent(trajectory.client, "employer")  # a consent for one employer is not the general one
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(professional)
    page = browser.get(reverse("matching:candidate_profile", args=[proposal.uuid])).content.decode()
    assert "Een goed inkomen" in page and trajectory.client.last_name not in page
    services.proposal_share(actor=professional, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.shared_at is not None
    assert AccessEvent.objects.filter(action="export", client_uuid=trajectory.client.uuid).exists()
    with pytest.raises(ValidationError):  # the decision stays once shared
        services.proposal_decide(
            actor=professional, trajectory=trajectory, job=good, decision="rejected", reason="Toch niet"
        )


def test_changing_a_decision_clears_the_response(professional):
    trajectory, good, _poor = _world(professional)
    proposal = services.proposal_decide(
        actor=professional, trajectory=trajectory, job=good, decision="propose", reason="Past"
    )
    services.proposal_respond(
        actor=ClientActor(trajectory.client), proposal=proposal, response="not_interested"
    )
    proposal = services.proposal_decide(
        actor=professional,
        trajectory=trajectory,
        job=good,
        decision=Decision.NOT_NOW,
        reason="Eerst scholing",
        base_version=proposal.version,
    )
    assert proposal.decision == "not_now" and proposal.response == ""


def test_pages_render_and_log_the_reads(client, professional):
    trajectory, good, _poor = _world(professional)
    client.force_login(professional)
    response = client.get(reverse("matching:fit", args=[trajectory.uuid]))
    assert response.status_code == 200
    assert "Broodbakker" in response.content.decode()
    assert AccessEvent.objects.filter(action="view", client_uuid=trajectory.client.uuid).exists()
    response = client.get(reverse("matching:job", args=[good.uuid]))
    assert response.status_code == 200 and trajectory.client.last_name in response.content.decode()
    assert AccessEvent.objects.filter(
        action="view", client_uuid=trajectory.client.uuid, object_uuid=good.uuid
    ).exists()
    response = client.post(
        reverse("matching:decide", args=[trajectory.uuid, good.uuid]),
        {f"j{good.pk}-decision": "propose", f"j{good.pk}-reason": ""},
    )
    assert response.status_code == 422
    response = client.post(
        reverse("matching:decide", args=[trajectory.uuid, good.uuid]),
        {f"j{good.pk}-decision": "propose", f"j{good.pk}-reason": "Past bij wat zij belangrijk vindt"},
    )
    assert response.status_code == 302


def test_bad_input_gets_a_message_not_a_500(client, professional):
    client.force_login(professional)
    response = client.post(reverse("matching:employer_new"), {"name": "X", "kvk_number": "abc"})
    assert response.status_code == 422
    assert "8" in response.content.decode()
    employer = _employer(professional)
    response = client.post(reverse("matching:employer_profile", args=[employer.uuid]), {"income": "9"})
    assert response.status_code == 422
    response = client.post(
        reverse("matching:job_new", args=[employer.uuid]), {"title": "", "occupation": "x"}
    )
    assert response.status_code == 422


def test_functional_demands_per_fml_section_in_words(client, professional):
    employer = _employer(professional)
    job = _job(professional, employer, functional_demands={"dynamic": "Tillen tot 15 kg", "hours": ""})
    assert job.functional_demands == {"dynamic": "Tillen tot 15 kg"}
    with pytest.raises(ValidationError):
        _job(professional, employer, functional_demands={"diagnosis": "x"})
    with pytest.raises(ValidationError) as exc:
        _job(professional, employer, functional_demands={"static": "x" * 501})
    assert "fd_static" in exc.value.message_dict
    client.force_login(professional)
    page = client.get(reverse("matching:job", args=[job.uuid])).content.decode()
    assert "Dynamische handelingen" in page and "Tillen tot 15 kg" in page and "UWV" in page
    url = reverse("matching:job_edit", args=[job.uuid])
    form = client.get(url).content.decode()
    assert "Statische houdingen" in form and "Tillen tot 15 kg" in form
    post = {
        "base_version": job.version,
        "title": "Broodbakker",
        "occupation": "0752",
        "fd_static": "Staand werk",
    }
    assert client.post(url, post).status_code == 302
    job.refresh_from_db()
    assert job.functional_demands == {"static": "Staand werk"}
    assert client.post(url, post | {"base_version": job.version, "fd_social": "y" * 501}).status_code == 422
