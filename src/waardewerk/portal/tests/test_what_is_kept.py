""" "Mijn gegevens" tells the client what is kept about them, why, how long and until when (from the
retention rules in ``core.retention``), and how to ask for inzage, correction or erasure (docs/privacy.md,
"What the client sees")."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, TeamFactory, TrajectoryFactory, UserFactory
from tests.portal_helpers import log_in_client
from waardewerk.accounts.models import Role
from waardewerk.core import formats
from waardewerk.portal import selectors
from waardewerk.privacy import services as privacy_services

pytestmark = pytest.mark.django_db


def _page(client, trajectory, language="nl"):
    log_in_client(client, trajectory.client)
    client.cookies["django_language"] = language
    response = client.get(reverse("portal:my_data"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_running_trajectory_says_the_term_starts_when_it_ends(client, trajectory):
    html = _page(client, trajectory)
    assert "Wat we van u bewaren, en hoe lang" in html
    assert "2 jaar na het einde van uw laatste traject" in html
    assert "Uw traject loopt nog. De termijn begint als het traject is afgelopen." in html
    assert "5 jaar na elke keer dat iemand keek." in html
    assert "30 dagen." in html and "90 dagen na de laatste wijziging." in html
    assert "Uw rechten" in html and "Uw gegevens laten verwijderen." in html
    assert "Zeg het tegen uw begeleider. U kunt ook een brief sturen" in html  # no contact set
    assert "We antwoorden binnen een maand." in html


def test_an_ended_trajectory_gives_the_date_and_the_terms_follow_the_settings(
    client, professional, team, settings
):
    settings.WAARDEWERK_RETENTION_CLIENT_FILE_DAYS = 365
    settings.WAARDEWERK_PRIVACY_CONTACT = "privacy@werkplein.example of 14 020"
    settings.WAARDEWERK_PRIVACY_URL = "https://werkplein.example/privacy"
    ended = dt.date(2026, 3, 1)
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        team=team,
        start_date=dt.date(2025, 9, 1),
        end_date=ended,
        end_reason="moved",
    )
    TrajectoryFactory(  # an earlier trajectory: the term runs from the last end
        responsible=professional,
        client=trajectory.client,
        team=team,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 6, 1),
        end_reason="moved",
    )
    rows = selectors.kept_about(trajectory.client)
    until = formats.day(ended + dt.timedelta(days=365), formats.TEXT)
    html = _page(client, trajectory)
    assert f"Tot ongeveer {until}." in html and "1 maart 2027" in html
    assert "1 jaar na het einde van uw laatste traject" in html
    assert "neem contact met ons op: privacy@werkplein.example of 14 020." in html
    assert 'href="https://werkplein.example/privacy"' in html
    english = _page(client, trajectory, "en")
    assert "What we keep about you, and how long" in english
    assert "1 year after your last trajectory ends" in english and "Until about 1 March 2027." in english
    assert "contact us: privacy@werkplein.example of 14 020." in english
    assert len(rows) == 4


def test_kept_about_reads_in_two_queries(trajectory, functional_admin, django_assert_num_queries):
    privacy_services.term_set(
        actor=functional_admin, rule_key="client_file", days=3 * 365, action="destroy", reason="Selectielijst"
    )
    with django_assert_num_queries(2):  # the organisation's terms, the trajectories' dates
        selectors.kept_about(trajectory.client)


def test_the_client_sees_the_terms_of_their_own_organisation(client, trajectory, functional_admin):
    """An organisation that set its own terms (privacy, "The organisation's terms") shows them to its
    clients; a client of another organisation sees that organisation's terms (here the installation's)."""
    for rule_key, days, action in (
        ("client_file", 3 * 365, "destroy"),
        ("access_log", 7 * 365, "none"),
        ("measurement_drafts", 30, "destroy"),
        ("portal_invitations", 60, "destroy"),
    ):
        privacy_services.term_set(
            actor=functional_admin, rule_key=rule_key, days=days, action=action, reason="Selectielijst"
        )
    privacy_services.term_set(  # the newest change is in force
        actor=functional_admin, rule_key="client_file", days=4 * 365, action="anonymise", reason="Correctie"
    )
    html = _page(client, trajectory)
    assert "4 jaar na het einde van uw laatste traject" in html
    assert "7 jaar na elke keer dat iemand keek." in html
    assert "60 dagen." in html and "30 dagen na de laatste wijziging." in html
    assert "2 jaar na het einde" not in html and "90 dagen" not in html
    english = _page(client, trajectory, "en")
    assert "4 years after your last trajectory ends" in english
    assert "7 years after each time someone looked." in english

    other = OrganisationFactory(name="Werkplein Elders")
    other_team = TeamFactory(organisation=other, name="Elders")
    elsewhere = TrajectoryFactory(
        responsible=UserFactory(organisation=other, role=Role.PROFESSIONAL, username="elders"),
        client__organisation=other,
        team=other_team,
    )
    client.cookies.clear()
    html = _page(client, elsewhere)
    assert "2 jaar na het einde van uw laatste traject" in html
    assert "5 jaar na elke keer dat iemand keek." in html
    assert "30 dagen." in html and "90 dagen na de laatste wijziging." in html
    assert "4 jaar" not in html and "7 jaar" not in html


def test_a_client_without_a_trajectory_counts_from_the_registration(trajectory):
    client = trajectory.client
    trajectory.delete()
    row = selectors.kept_about(client)[0]
    expected = timezone.localtime(client.created_at).date() + dt.timedelta(days=730)
    assert formats.day(expected, formats.TEXT) in row.until
