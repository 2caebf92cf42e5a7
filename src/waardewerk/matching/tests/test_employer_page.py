"""The employer's page: notes of the employer services (who, with whom, when), the trajectories on the 1st and
2nd track and the placements (by name only where the actor reads the dossier; counts of all)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.matching import selectors, services

pytestmark = pytest.mark.django_db


def _employer(professional):
    employer = services.employer_create(actor=professional, name="Zorggroep De Linde", kvk_number="87654321")
    contact = services.contact_add(actor=professional, employer=employer, name="Mira de Wit")
    return employer, contact


def test_notes_with_who_and_when(client, professional, functional_admin):
    employer, contact = _employer(professional)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.employer_note_add(
            actor=professional, employer=employer, on=today + dt.timedelta(days=1), text=" "
        )
    assert set(exc.value.message_dict) == {"on", "text"}
    with pytest.raises(PermissionDeniedError):
        services.employer_note_add(actor=functional_admin, employer=employer, on=today, text="x")
    services.employer_note_add(
        actor=professional, employer=employer, on=today, text="Twee werkplekken in de keuken", contact=contact
    )
    client.force_login(professional)
    bad = client.post(reverse("matching:note_new", args=[employer.uuid]), {"on": "gisteren", "text": ""})
    assert bad.status_code == 422
    page = client.get(reverse("matching:employer", args=[employer.uuid])).content.decode()
    assert "Twee werkplekken in de keuken" in page and "met Mira de Wit" in page
    assert professional.get_full_name() in page


def test_tracks_and_placements_listed_only_where_the_dossier_is_read(client, professional, colleague):
    employer, _contact = _employer(professional)
    mine = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    theirs = TrajectoryFactory(responsible=colleague, client__organisation=professional.organisation)
    services.trajectory_employer_set(actor=professional, trajectory=mine, employer=employer, track="first")
    services.trajectory_employer_set(actor=colleague, trajectory=theirs, employer=employer, track="second")
    with pytest.raises(PermissionDeniedError):
        services.trajectory_employer_set(actor=colleague, trajectory=mine, employer=employer, track="second")
    with pytest.raises(ValidationError):
        services.trajectory_employer_set(
            actor=professional, trajectory=mine, employer=employer, track="third"
        )
    job = services.job_create(actor=professional, employer=employer, title="Kok", occupation="0752")
    services.placement_create(
        actor=professional, trajectory=mine, job=job, start_date=mine.start_date, hours=20
    )
    work = selectors.employer_work(professional, employer)
    assert [row.trajectory for row in work.trajectories] == [mine]
    assert [p.trajectory for p in work.placements] == [mine]
    assert work.counts == {"first": 1, "second": 1, "placements": 1}
    client.force_login(professional)
    page = client.get(reverse("matching:employer", args=[employer.uuid])).content.decode()
    assert mine.client.sort_name in page and theirs.client.sort_name not in page
    assert AccessEvent.objects.filter(client_uuid=mine.client.uuid, detail__page="employer").exists()
    # Set and removed from the fit page.
    fit_url = reverse("matching:trajectory_employer", args=[mine.uuid])
    assert client.post(fit_url, {"employer": "", "track": ""}).status_code == 302
    assert selectors.trajectory_employer(mine) is None
    client.post(fit_url, {"employer": str(employer.uuid), "track": "second"})
    assert selectors.trajectory_employer(mine).track == "second"
    assert "Zorggroep De Linde" in client.get(reverse("matching:fit", args=[mine.uuid])).content.decode()
