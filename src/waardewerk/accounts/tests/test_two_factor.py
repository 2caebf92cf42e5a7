"""Two-step verification (TOTP): nothing of a dossier without the second factor, set-up, verification,
replay refused, and the user who turns it on without the organisation requiring it."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.accounts import services
from waardewerk.accounts.models import LoginAttempt, TOTPDevice
from waardewerk.accounts.tests.helpers import (
    clock,
    code_for,
    confirmed_device,
    log_in_with_password,
    setup_link,
)

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"


@pytest.fixture
def required(settings):
    settings.WAARDEWERK_REQUIRE_2FA = True


@pytest.fixture
def dossier_url(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    return f"/clients/{trajectory.client.uuid}/"


def test_no_dossier_page_without_the_second_factor(required, client, professional, password, dossier_url):
    response = log_in_with_password(client, "prof", password)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    for url in (
        dossier_url,
        reverse("trajectories:caseload"),
        reverse("home"),
        reverse("accounts:two_factor"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    # The verification step sends a user without an app on to the set-up, not into the dossier.
    assert client.get(f"{VERIFY}?next={dossier_url}")["Location"].startswith(SETUP)
    # htmx requests get a full-page redirect instead of a fragment.
    response = client.get(reverse("trajectories:caseload"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(VERIFY)
    # With an app but without the code, still nothing.
    confirmed_device(professional)
    response = client.get(dossier_url)
    assert response["Location"] == f"{VERIFY}?next=%2Fclients%2F{dossier_url.split('/')[2]}%2F"


def test_a_forced_login_is_unverified_too(required, client, professional, dossier_url):
    client.force_login(professional)
    assert client.get(dossier_url)["Location"].startswith(VERIFY)


def test_pages_that_stay_reachable_before_the_second_factor(required, client, professional, password):
    log_in_with_password(client, "prof", password)
    # The set-up answers, but without a set-up link from the administrator it only explains that.
    page = client.get(SETUP)
    assert page.status_code == 403 and "set-up link" not in page.content.decode()
    assert "activeringslink" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=professional).exists()  # no secret made or shown
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.get("/static/waardewerk/app.css").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("trajectories:caseload"))["Location"].startswith(reverse("login"))


def test_set_up_then_log_in_with_a_code(required, client, professional, password, dossier_url):
    # The user opens the set-up link from the administrator, logs in, and sets up the app.
    response = client.get(setup_link(professional))
    assert response["Location"] == f"{reverse('login')}?next=%2Faccounts%2Ftwo-factor%2Fsetup%2F"
    response = log_in_with_password(client, "prof", password, next_url=SETUP)
    assert response["Location"].startswith(SETUP)
    page = client.get(response["Location"])
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=professional)
    assert device.confirmed_at is None
    grouped = " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))
    assert grouped in html
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "style" not in svg and "<path" in svg  # allowed under the strict CSP
    assert 'role="img"' in html and "aria-label=" in html

    wrong = client.post(SETUP, {"code": "000000", "next": dossier_url})
    assert wrong.status_code == 422
    assert "Deze code klopt niet" in wrong.content.decode()
    assert client.get(dossier_url).status_code == 302

    session_key = client.session.session_key
    response = client.post(SETUP, {"code": code_for(professional), "next": dossier_url})
    # The recovery codes, shown once, then on to the page the user asked for.
    assert response.status_code == 200 and "Uw herstelcodes" in response.content.decode()
    assert f'href="{dossier_url}"' in response.content.decode()
    assert client.session.session_key != session_key  # raised trust, new session key
    assert client.get(dossier_url).status_code == 200
    device.refresh_from_db()
    assert device.confirmed_at is not None and device.last_used_step is not None

    # Next login: the verification step, and the code of the set-up cannot be used again.
    client.post(reverse("logout"))
    response = log_in_with_password(client, "prof", password)
    assert response["Location"].startswith(VERIFY)
    replay = client.post(VERIFY, {"code": code_for(professional)})
    assert replay.status_code == 422
    assert client.get(dossier_url).status_code == 302
    later = timezone.now() + dt.timedelta(seconds=30)
    with clock(later):
        response = client.post(VERIFY, {"code": code_for(professional, later)})
        assert response.status_code == 302 and response["Location"] == reverse("home")
        assert client.get(dossier_url).status_code == 200
    assert "2fa_verified_at" in client.session


def test_a_code_is_accepted_once(professional):
    confirmed_device(professional)
    now = timezone.now()
    code = code_for(professional, now)
    services.two_factor_verify(user=professional, code=code, ip="192.0.2.1", now=now)
    with pytest.raises(ValidationError):
        services.two_factor_verify(user=professional, code=code, ip="192.0.2.1", now=now)
    # Also not the previous step's code, although it is still inside the window.
    previous = code_for(professional, now - dt.timedelta(seconds=30))
    with pytest.raises(ValidationError):
        services.two_factor_verify(user=professional, code=previous, ip="192.0.2.1", now=now)
    assert LoginAttempt.objects.filter(succeeded=False).count() == 2


def test_neighbouring_steps_are_accepted(professional):
    confirmed_device(professional)
    now = timezone.now()
    services.two_factor_verify(
        user=professional, code=code_for(professional, now + dt.timedelta(seconds=30)), ip=None, now=now
    )
    with pytest.raises(ValidationError):
        services.two_factor_verify(
            user=professional, code=code_for(professional, now + dt.timedelta(seconds=90)), ip=None, now=now
        )


def test_an_unverified_session_cannot_replace_the_app(required, client, professional, password):
    """Someone with only the password must not be able to enrol their own phone."""
    device = confirmed_device(professional)
    log_in_with_password(client, "prof", password)
    response = client.get(SETUP, follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"] == reverse("accounts:two_factor")
    device.refresh_from_db()
    assert TOTPDevice.objects.get(user=professional).secret == device.secret


def test_five_wrong_codes_log_out_and_lock(required, client, professional, password, dossier_url):
    confirmed_device(professional)
    log_in_with_password(client, "prof", password)
    for _ in range(4):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 422
    response = client.post(VERIFY, {"code": "000000"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Dit account is tijdelijk geblokkeerd" in response.content.decode()
    assert client.get(dossier_url)["Location"].startswith(reverse("login"))
    again = log_in_with_password(client, "prof", password)
    assert again.status_code == 200
    assert re.search(r"Probeer het opnieuw om \d\d:\d\d", again.content.decode())


def test_user_turns_it_on_while_the_organisation_does_not_require_it(client, professional, password):
    log_in_with_password(client, "prof", password)
    caseload = client.get(reverse("trajectories:caseload"))
    assert caseload.status_code == 200
    assert 'href="/accounts/two-factor/"' in caseload.content.decode()  # link in the header
    overview = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Tweestapsverificatie" in overview and SETUP in overview
    client.get(SETUP)  # without the requirement no set-up link is needed
    response = client.post(SETUP, {"code": code_for(professional)})
    assert response.status_code == 200 and "Uw herstelcodes" in response.content.decode()
    assert "staat aan sinds" in client.get(reverse("accounts:two_factor")).content.decode()

    client.post(reverse("logout"))
    assert log_in_with_password(client, "prof", password)["Location"].startswith(VERIFY)
    assert client.get(reverse("trajectories:caseload"))["Location"].startswith(VERIFY)


def test_other_sessions_need_the_code_within_a_minute_after_it_is_turned_on(client, professional):
    client.force_login(professional)
    assert client.get(reverse("trajectories:caseload")).status_code == 200
    confirmed_device(professional)
    with clock(timezone.now() + dt.timedelta(seconds=61)):
        assert client.get(reverse("trajectories:caseload"))["Location"].startswith(VERIFY)


def test_without_the_requirement_and_without_an_app_nothing_changes(client, professional, password):
    response = log_in_with_password(client, "prof", password)
    assert response["Location"] == reverse("home")
    assert client.get(reverse("trajectories:caseload")).status_code == 200
    assert LoginAttempt.objects.filter(username="prof", succeeded=True).count() == 1
