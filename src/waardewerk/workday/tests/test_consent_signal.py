"""The signal "consent ends within 30 days" (trajectories.consent_signals) and the consent's end date."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.clients.models import ConsentKind
from waardewerk.clients.selectors import has_consent
from waardewerk.trajectories import services
from waardewerk.workday import selectors

TODAY = timezone.localdate


def _consents(page):
    return {section.kind: section.items for section in page["sections"]}.get("consents", [])


@pytest.mark.django_db
def test_a_consent_ending_within_30_days_is_signalled(professional, colleague, team_lead):
    mine = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    soon = services.consent_give(
        actor=professional,
        client=mine.client,
        kind=ConsentKind.RESEARCH,
        valid_until=TODAY() + dt.timedelta(days=10),
    )
    services.consent_give(
        actor=professional,
        client=mine.client,
        kind=ConsentKind.INTERVISION,
        valid_until=TODAY() + dt.timedelta(days=31),  # later: no signal yet
    )
    theirs = TrajectoryFactory(responsible=colleague, client__organisation=colleague.organisation)
    services.consent_give(
        actor=colleague,
        client=theirs.client,
        kind=ConsentKind.RESEARCH,
        valid_until=TODAY() + dt.timedelta(days=3),
    )
    items = _consents(selectors.start_page(professional, TODAY()))
    assert [item.key for item in items] == [f"{soon.uuid}:{soon.valid_until}"]
    assert items[0].client == mine.client.uuid
    assert items[0].url == reverse("portal:staff", args=[mine.uuid]) + "#consent-heading"
    # Withdrawn: no longer signalled.
    services.consent_withdraw(actor=professional, consent=soon)
    assert _consents(selectors.start_page(professional, TODAY())) == []


@pytest.mark.django_db
def test_the_end_date_counts_and_can_be_renewed(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    client = trajectory.client
    ends = TODAY() + dt.timedelta(days=5)
    consent = services.consent_give(
        actor=professional, client=client, kind=ConsentKind.RESEARCH, valid_until=ends
    )
    assert has_consent(client, ConsentKind.RESEARCH, on=ends)
    assert not has_consent(client, ConsentKind.RESEARCH, on=ends + dt.timedelta(days=1))
    later = TODAY() + dt.timedelta(days=400)
    renewed = services.consent_give(
        actor=professional, client=client, kind=ConsentKind.RESEARCH, valid_until=later
    )
    assert renewed.pk == consent.pk and renewed.valid_until == later
    with pytest.raises(ValidationError):
        services.consent_give(
            actor=professional,
            client=client,
            kind=ConsentKind.EMPLOYER,
            valid_until=TODAY() - dt.timedelta(days=1),
        )


@pytest.mark.django_db
def test_the_consent_page_records_and_shows_the_end_date(login, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    c = login(professional)
    day = TODAY() + dt.timedelta(days=20)
    response = c.post(
        reverse("portal:record_consent", args=[trajectory.uuid]),
        {"kind": ConsentKind.RESEARCH, "valid_until": day.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302
    page = c.get(reverse("portal:staff", args=[trajectory.uuid])).content.decode()
    assert "geldig tot" in page
    response = c.post(
        reverse("portal:record_consent", args=[trajectory.uuid]),
        {"kind": ConsentKind.EMPLOYER, "valid_until": "01-01-2000"},
    )
    assert response.status_code == 422
