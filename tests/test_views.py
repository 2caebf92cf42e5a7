"""Pages as a user meets them: messages in the user's language, nothing lost, headers."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.clients.models import Client
from waardewerk.trajectories.models import Phase


@pytest.mark.django_db
def test_register_with_bad_input_shows_dutch_messages_next_to_the_fields(login, professional):
    c = login(professional)
    response = c.post(
        reverse("clients:register"),
        {
            "first_name": "",
            "last_name": "Jansen",
            "date_of_birth": "2999-01-01",
            "bsn": "123456789",
            "postal_code": "12AB",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Dit veld is verplicht." in html
    assert "De geboortedatum kan niet in de toekomst liggen." in html
    assert "Dit is geen geldig BSN" in html
    assert 'value="Jansen"' in html  # what was typed stays
    assert re.search(r'id="id_bsn"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_bsn"', html)
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_messages_in_english_when_chosen(login, professional):
    c = login(professional)
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = c.post(
        reverse("clients:register"), {"first_name": "A", "last_name": "B", "date_of_birth": "2999-01-01"}
    )
    assert "The date of birth cannot be in the future." in response.content.decode()


@pytest.mark.django_db
def test_unknown_phase_is_refused_with_a_message(login, professional):
    c = login(professional)
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    response = c.post(
        reverse("trajectories:change_phase", args=[trajectory.uuid]),
        {"to_phase": "vakantie", "reason": "x", "version": trajectory.version},
    )
    assert response.status_code == 422
    assert "Selecteer een geldige keuze" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.INTAKE


@pytest.mark.django_db
def test_stale_phase_form_is_refused(login, professional):
    c = login(professional)
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    url = reverse("trajectories:change_phase", args=[trajectory.uuid])
    assert c.post(url, {"to_phase": "plan", "reason": "a", "version": 1}).status_code == 302
    response = c.post(url, {"to_phase": "evaluation", "reason": "b", "version": 1})
    assert response.status_code == 422
    assert "Iemand anders heeft dit traject gewijzigd" in response.content.decode()


@pytest.mark.django_db
def test_bsn_never_in_full_on_pages(login, professional):
    c = login(professional)
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, client__bsn="111222333"
    )
    for url in (
        reverse("trajectories:caseload"),
        reverse("clients:dossier", args=[trajectory.client.uuid]),
        reverse("clients:edit", args=[trajectory.client.uuid]),
    ):
        assert "111222333" not in c.get(url).content.decode()


@pytest.mark.django_db
def test_edit_without_bsn_keeps_the_stored_one(login, professional):
    c = login(professional)
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, client__bsn="111222333"
    )
    client = trajectory.client
    response = c.post(
        reverse("clients:edit", args=[client.uuid]),
        {
            "first_name": "Nieuwe",
            "last_name": client.last_name,
            "date_of_birth": "1985-04-12",
            "bsn": "",
            "version": client.version,
        },
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.first_name == "Nieuwe" and client.bsn == "111222333"


@pytest.mark.django_db
def test_caseload_search_filter_and_pagination(login, professional, settings):
    settings.WAARDEWERK_PAGE_SIZE = 2
    c = login(professional)
    for first, last, phase, context in [
        ("Jan", "Vries", Phase.INTAKE, "ww"),
        ("Ans", "Bakker", Phase.PLAN, "ww"),
        ("Piet", "Smit", Phase.PLAN, "other"),
    ]:
        TrajectoryFactory(
            responsible=professional,
            client__organisation=professional.organisation,
            client__first_name=first,
            client__last_name=last,
            phase=phase,
            context=context,
        )
    TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        end_date=timezone.localdate(),
        end_reason="moved",
        client__last_name="Gesloten",
    )
    url = reverse("trajectories:caseload")
    first_page = c.get(url).content.decode()
    assert "Bakker" in first_page and "Smit" in first_page and "Vries" not in first_page
    assert "Gesloten" not in first_page
    assert "Vries" in c.get(url + "?page=2").content.decode()
    assert "Smit" in c.get(url + "?phase=plan&context=other").content.decode()
    assert "Bakker" not in c.get(url + "?phase=plan&context=other").content.decode()
    searched = c.get(url + "?q=jan+vries").content.decode()
    assert "Vries, Jan" in searched and "Bakker" not in searched


@pytest.mark.django_db
def test_caseload_rows_show_last_contact_next_open_action_and_what_is_overdue(login, professional):
    """A row: the last conversation's day, the open action due first (not a done one), the badges for an
    overdue action and an overdue measurement, every text escaped; a row without any says so."""
    import datetime as dt

    from tests.factories import ActionFactory, ConversationFactory

    today = timezone.localdate()
    busy = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__last_name="Aalders",
        measurement_due_on=today - dt.timedelta(days=2),
    )
    ConversationFactory(trajectory=busy, date=today - dt.timedelta(days=9))
    ConversationFactory(trajectory=busy, date=today - dt.timedelta(days=4))
    ActionFactory(trajectory=busy, description="<b>Bellen</b>", due_date=today - dt.timedelta(days=1))
    ActionFactory(trajectory=busy, description="Later", due_date=today + dt.timedelta(days=5))
    done_on = today - dt.timedelta(days=30)
    ActionFactory(trajectory=busy, description="Al klaar", status="done", due_date=done_on)
    TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, client__last_name="Zwart"
    )
    html = login(professional).get(reverse("trajectories:caseload")).content.decode()
    busy_row, quiet_row = html.split("<tr class=")[2:4]
    assert "Aalders" in busy_row and "Zwart" in quiet_row
    assert f'<time datetime="{today - dt.timedelta(days=4)}">' in busy_row
    assert '&lt;b&gt;Bellen&lt;/b&gt; <span class="ww-muted">(uiterlijk <time' in busy_row
    assert "Later" not in busy_row and "Al klaar" not in busy_row
    assert busy_row.count("utrecht-status-badge--warning") == 2
    assert "meting te laat" in busy_row
    assert "nog geen" in quiet_row and "geen open actie" in quiet_row and "warning" not in quiet_row


@pytest.mark.django_db
def test_caseload_filter_form_shows_what_was_asked_in_the_language_of_the_page(login, professional, settings):
    """The filter fields are rendered once per language and query string (a cache in the process): each
    query still shows its own values, each language its own labels."""
    c = login(professional)
    url = reverse("trajectories:caseload")
    for _ in range(2):  # the second time from the cache
        jan = c.get(url, {"q": "jan", "phase": "plan"}).content.decode()
        piet = c.get(url, {"q": "piet"}).content.decode()
        assert 'value="jan"' in jan and 'value="plan" selected' in jan and 'value="piet"' not in jan
        assert 'value="piet"' in piet and 'value="plan" selected' not in piet
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        assert "Zoeken op naam" in c.get(url).content.decode()
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert "Search by name" in c.get(url).content.decode()
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"


@pytest.mark.django_db
def test_security_headers(login, professional):
    response = login(professional).get(reverse("trajectories:caseload"))
    csp = response["Content-Security-Policy"]
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_text_is_escaped(login, professional):
    c = login(professional)
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__first_name="<script>alert(1)</script>",
        question="<b>vet</b>",
    )
    html = c.get(reverse("clients:dossier", args=[trajectory.client.uuid])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>vet</b>" not in html


@pytest.mark.django_db
def test_post_without_csrf_token_fails(professional):
    from django.test import Client as HttpClient

    c = HttpClient(enforce_csrf_checks=True)
    c.force_login(professional)
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    response = c.post(
        reverse("trajectories:change_phase", args=[trajectory.uuid]),
        {"to_phase": "plan", "reason": "x", "version": 1},
    )
    assert response.status_code == 403
    trajectory.refresh_from_db()
    assert trajectory.phase == Phase.INTAKE


@pytest.mark.django_db
def test_dutch_is_the_default_even_for_an_english_browser(login, professional):
    c = login(professional)
    html = c.get(reverse("trajectories:caseload"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Mijn caseload" in html and '<html lang="nl"' in html
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = c.get(reverse("trajectories:caseload")).content.decode()
    assert "My caseload" in html and '<html lang="en"' in html


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_script_and_html_in_every_text_field_are_shown_escaped(login, professional, team_lead, team):
    from tests.factories import ActionFactory, ConversationFactory
    from waardewerk.trajectories.models import Handover, PhaseChange

    trajectory = TrajectoryFactory(
        responsible=professional,
        team=team,
        client__organisation=professional.organisation,
        client__first_name=XSS,
        client__infix=XSS[:30],
        client__last_name=XSS,
        client__email="a@example.org",
        client__phone=XSS[:30],
        client__street=XSS,
        client__city=XSS,
        question=XSS,
    )
    ConversationFactory(trajectory=trajectory, summary=XSS)
    ActionFactory(trajectory=trajectory, description=XSS)
    PhaseChange.objects.create(
        trajectory=trajectory,
        from_phase="intake",
        to_phase="plan",
        reason=XSS,
        changed_by=professional,
        changed_at=timezone.now(),
    )
    Handover.objects.create(
        trajectory=trajectory,
        from_user=professional,
        to_user=professional,
        reason=XSS,
        handed_over_by=professional,
        handed_over_at=timezone.now(),
    )
    pages = [
        (professional, reverse("trajectories:caseload")),
        (professional, reverse("clients:dossier", args=[trajectory.client.uuid])),
        (professional, reverse("clients:edit", args=[trajectory.client.uuid])),
        (professional, reverse("trajectories:detail", args=[trajectory.uuid])),
        (professional, reverse("trajectories:staffing", args=[trajectory.uuid])),
        (professional, reverse("trajectories:close", args=[trajectory.uuid])),
        (team_lead, reverse("trajectories:team")),
    ]
    for user, url in pages:
        html = login(user).get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html, url
