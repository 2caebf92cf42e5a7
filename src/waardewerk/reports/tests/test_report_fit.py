"""The agreed fit with a job in the report: the employer's version holds it only with the client's consent for
that job's employer; the client's file holds every job the client is interested in."""

import pytest
from django.utils import timezone

from waardewerk.clients.models import Consent
from waardewerk.matching import services as matching
from waardewerk.matching.models import Proposal
from waardewerk.reports import services

pytestmark = pytest.mark.django_db


def _interested(professional, trajectory):
    """A job proposed to the client (the trajectory is closed now) that the client is interested in."""
    employer = matching.employer_create(actor=professional, name="Groen Lindendaal", kvk_number="90123499")
    job = matching.job_create(actor=professional, employer=employer, title="Hovenier", occupation="0912")
    Proposal.objects.create(
        trajectory=trajectory,
        job=job,
        decision="propose",
        reason="Buiten werken",
        fit={"important": ["income", "contacts"], "matched": ["income"], "gaps": ["contacts"]},
        decided_by=professional,
        decided_at=timezone.now(),
        response="interested",
        responded_at=timezone.now(),
    )
    return employer


def test_the_employer_version_holds_the_fit_only_with_consent_for_that_employer(
    recorded, fetch, professional
):
    employer = _interested(professional, recorded)
    # The general employer consent (the report's own condition) is not consent for this employer.
    without = services.render_html(fetch(recorded), audience="employer", language="en")
    assert "Fit with a job" not in without and "Hovenier" not in without
    file_version = services.render_html(fetch(recorded), audience="file", language="en")
    assert "Fit with a job" in file_version and "1 of 2 important work values" in file_version
    Consent.objects.create(
        client=recorded.client,
        kind="employer",
        party=employer.uuid,
        party_name=employer.name,
        given_at=timezone.now(),
        given_via="portal",
    )
    with_consent = services.render_html(fetch(recorded), audience="employer", language="en")
    assert "Fit with a job" in with_consent and "Hovenier, Groen Lindendaal" in with_consent
    assert "1 of 2 important work values" in with_consent
    assert "Buiten werken" not in with_consent  # the professional's reason stays in the file
