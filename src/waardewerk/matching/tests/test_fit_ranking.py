"""The fit list's ranking in the database (``selectors.ranked_jobs`` over ``Job.fit_profile``) is the fit
rule's order (``fit.rank_key``, then the id), and every service that changes a job's or its employer's
value profile keeps the job's fit profile (docs/matching.md)."""

import re

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from waardewerk.matching import fit, selectors, services
from waardewerk.matching.models import Employer, Job
from waardewerk.matching.tests.test_fit import KEYS, client, profile

pytestmark = pytest.mark.django_db

employers = st.lists(st.tuples(profile, st.lists(profile, min_size=1, max_size=6)), min_size=1, max_size=5)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(client, st.integers(min_value=1, max_value=5), employers)
def test_the_database_ranks_jobs_as_the_fit_rule(organisation, values, threshold, made):
    important = fit.important_values(KEYS, values, threshold)
    with transaction.atomic():
        expected, ids = [], []
        for n, (employer_profile, job_profiles) in enumerate(made):
            employer = Employer.objects.create(
                organisation=organisation,
                name=f"W{n}",
                kvk_number=f"{10000000 + n}",
                profile=employer_profile,
            )
            jobs = Job.objects.bulk_create(
                Job(
                    employer=employer,
                    title="Functie",
                    occupation="0431",
                    profile=job_profile,
                    fit_profile=fit.merged_profile(job_profile, employer_profile),
                )
                for job_profile in job_profiles
            )
            for job in jobs:
                ids.append(job.pk)
                expected.append((fit.rank_key(important, job.profile, employer_profile), job.pk))
        ranked = selectors.ranked_jobs(Job.objects.filter(pk__in=ids), important)
        assert list(ranked.values_list("pk", flat=True)) == [pk for _key, pk in sorted(expected)]
        transaction.set_rollback(True)


@given(profile, profile)
def test_the_merged_profile_holds_the_scores_the_fit_reads(job_profile, employer_profile):
    merged = fit.merged_profile(job_profile, employer_profile)
    scores = fit.job_scores(KEYS, job_profile, employer_profile)
    assert merged == {key: score for key, (score, _source) in scores.items() if score is not None}


def test_every_profile_change_keeps_the_jobs_fit_profile(professional):
    employer = services.employer_create(actor=professional, name="Bakkerij De Korrel", kvk_number="12345678")
    services.profile_save(actor=professional, target=employer, base_version=1, scores={"income": 2})
    job = services.job_create(actor=professional, employer=employer, title="Broodbakker", occupation="0752")
    other = services.job_create(actor=professional, employer=employer, title="Verkoper", occupation="0332")
    assert job.fit_profile == {"income": 2}
    services.profile_save(actor=professional, target=job, base_version=1, scores={"contacts": 5})
    job.refresh_from_db()
    assert job.fit_profile == {"income": 2, "contacts": 5}
    employer.refresh_from_db()
    services.profile_save(
        actor=professional,
        target=employer,
        base_version=employer.version,
        scores={"income": 4, "contacts": 1},
    )
    job.refresh_from_db()
    other.refresh_from_db()
    assert job.fit_profile == {"income": 4, "contacts": 5}
    assert other.fit_profile == {"income": 4, "contacts": 1}
    link, _token = services.employer_link_create(actor=professional, job=other)
    full = dict.fromkeys(KEYS, 3)
    services.employer_link_profile(link=link, scores=full, name="Mira de Wit")
    other.refresh_from_db()
    assert other.fit_profile == full


def _input(html: str, element_id: str) -> str:
    found = re.search(rf'<input [^>]*id="{re.escape(element_id)}"[^>]*>', html)
    assert found, element_id
    return found.group(0)


def test_the_fit_page_shows_every_decision_and_writes_out_the_decision_fields(client, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    make_measurement(trajectory, "lwc", lwc_answers(a=2, income=(5, 2, 2)))
    employer = services.employer_create(actor=professional, name="Bakkerij De Korrel", kvk_number="12345678")
    jobs = [
        services.job_create(actor=professional, employer=employer, title=f"Functie {n}", occupation="0752")
        for n in range(27)
    ]
    first, last = jobs[0], jobs[-1]  # no scores: equal fits, by id, so the last job is on the second page
    services.proposal_decide(
        actor=professional, trajectory=trajectory, job=first, decision="not_now", reason='Later & <b>"nu"</b>'
    )
    services.proposal_decide(
        actor=professional, trajectory=trajectory, job=last, decision="rejected", reason="Te ver"
    )
    client.force_login(professional)
    html = client.get(reverse("matching:fit", args=[trajectory.uuid])).content.decode()
    assert "Genomen besluiten" in html and "Functie 26" in html  # decided, on the second page
    assert f'id="job-{last.pk}"' not in html and f'id="job-{first.pk}"' in html
    chosen = _input(html, f"id_j{first.pk}-decision_1")
    assert f'name="j{first.pk}-decision"' in chosen and 'value="not_now"' in chosen and "checked" in chosen
    assert "checked" not in _input(html, f"id_j{first.pk}-decision_0")
    assert f'<textarea name="j{first.pk}-reason"' in html and f'for="id_j{first.pk}-reason"' in html
    assert f'name="j{first.pk}-base_version" value="1"' in html
    assert "Later &amp; &lt;b&gt;&quot;nu&quot;&lt;/b&gt;</textarea>" in html and "<b>" not in html
    # A refused decision comes back with its messages in the written-out fields (422, nothing stored).
    url = reverse("matching:decide", args=[trajectory.uuid, jobs[1].uuid])
    refused = client.post(url, {f"j{jobs[1].pk}-decision": "propose", f"j{jobs[1].pk}-reason": ""})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert f'id="id_j{jobs[1].pk}-reason-error"' in page and 'aria-invalid="true"' in page
