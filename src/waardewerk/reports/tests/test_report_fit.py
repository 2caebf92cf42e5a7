"""The agreed fit with a job in the report: the employer's version holds it only with the client's consent for
that job's employer; the client's file holds every job the client is interested in."""

import datetime as dt

import pytest
from django.utils import timezone

from waardewerk.audit.models import AccessEvent
from waardewerk.clients.models import Consent
from waardewerk.matching import services as matching
from waardewerk.matching.models import CandidateProfile, Proposal
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


STRENGTHS = "Sterktemarker: ik werk precies."
NOTE = "Beschikbaarheidsmarker: niet in de schoolvakanties."


def _availability(professional, trajectory):
    return CandidateProfile.objects.create(
        client=trajectory.client,
        hours_per_week=24,
        days=["mon", "tue"],
        day_parts=["morning"],
        available_from=dt.date(2027, 2, 1),
        travel_km=15,
        travel_means=["bicycle", "public_transport"],
        availability_note=NOTE,
        strengths=STRENGTHS,
        written_by="professional",
        written_by_user=professional,
        written_at=timezone.now(),
    )


def _consent_for(employer, client):
    return Consent.objects.create(
        client=client,
        kind="employer",
        party=employer.uuid,
        party_name=employer.name,
        given_at=timezone.now(),
        given_via="portal",
    )


def _availability_reads(trajectory):
    return AccessEvent.objects.filter(
        action="view", client_uuid=trajectory.client.uuid, detail__part="availability"
    )


def test_the_employer_version_holds_the_availability_only_under_the_links_consent_rule(
    recorded, fetch, professional
):
    employer = _interested(professional, recorded)
    profile = _availability(professional, recorded)
    proposal = Proposal.objects.get(trajectory=recorded)

    def employer_version(language="en"):
        return services.render_html(fetch(recorded), audience="employer", language=language)

    # Neither the general employer consent nor consent for the employer is enough while the candidate
    # profile has not gone to the employer; nor the profile going there without consent for it.
    assert "Availability and strengths" not in employer_version() and STRENGTHS not in employer_version()
    consent = _consent_for(employer, recorded.client)
    assert STRENGTHS not in employer_version()
    Proposal.objects.filter(pk=proposal.pk).update(shared_at=timezone.now())
    shown = employer_version()
    assert "Availability and strengths" in shown and STRENGTHS in shown and NOTE in shown
    assert "Monday, Tuesday" in shown and "at most 15 kilometres, bicycle, bus or train" in shown
    assert "1 February 2027" in shown and "Groen Lindendaal" in shown
    section = shown.split('id="h-availability"')[1].split("</section>")[0]
    assert professional.get_full_name() not in section  # who recorded it stays with the organisation
    dutch = employer_version("nl")
    assert "Beschikbaarheid en sterke kanten" in dutch and "Maandag, Dinsdag" in dutch and STRENGTHS in dutch
    # Making the report logs the read of the availability on the client, beside the print.
    services.report_print(actor=professional, trajectory=fetch(recorded), audience="employer", language="en")
    read = _availability_reads(recorded).get()
    assert read.object_uuid == profile.uuid and read.detail["audience"] == "employer"
    # Withdrawn: from that moment nothing of it reaches the employer, and no read is logged.
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert STRENGTHS not in employer_version() and "Availability and strengths" not in employer_version()
    services.report_print(actor=professional, trajectory=fetch(recorded), audience="employer", language="en")
    assert _availability_reads(recorded).count() == 1
    # The client's file holds what is recorded; the commissioner's version never holds it.
    assert STRENGTHS in services.render_html(fetch(recorded), audience="file", language="en")
    assert STRENGTHS not in services.render_html(fetch(recorded), audience="commissioner", language="en")


def test_without_recorded_availability_the_section_is_left_out(recorded, fetch, professional):
    employer = _interested(professional, recorded)
    _consent_for(employer, recorded.client)
    Proposal.objects.filter(trajectory=recorded).update(shared_at=timezone.now())
    assert "Availability and strengths" not in services.render_html(
        fetch(recorded), audience="employer", language="en"
    )
    services.report_print(actor=professional, trajectory=fetch(recorded), audience="employer", language="en")
    assert not _availability_reads(recorded).exists()
