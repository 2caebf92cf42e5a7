"""A lost second factor: recovery codes, the administrator's reset, and the first set-up under the 2FA
requirement, which needs a set-up link from the administrator besides the password."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from waardewerk.accounts import services
from waardewerk.accounts.middleware import REAUTH_AT, TWO_FACTOR_VERIFIED_AT, now_seconds
from waardewerk.accounts.models import LoginAttempt, RecoveryCode, TOTPDevice, TwoFactorEnrolment
from waardewerk.accounts.tests.helpers import (
    clock,
    code_for,
    confirmed_device,
    log_in_with_password,
    setup_link,
)
from waardewerk.audit.models import AccessEvent

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/verify/"
RECOVERY = "/accounts/two-factor/recovery/"
SETUP = "/accounts/two-factor/setup/"


@pytest.fixture
def required(settings):
    settings.WAARDEWERK_REQUIRE_2FA = True


@pytest.fixture
def codes(professional):
    confirmed_device(professional)
    return services.recovery_codes_generate(user=professional)


def events(detail_event):
    return AccessEvent.objects.filter(detail__event=detail_event)


# Recovery codes -------------------------------------------------------------------------------------------


def test_ten_codes_stored_only_as_salted_hmacs(professional, codes):
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 14 and code[4] == code[9] == "-" for code in codes)
    stored = list(RecoveryCode.objects.filter(user=professional).values("salt", "digest"))
    assert len(stored) == 10 and len({row["salt"] for row in stored}) == 10
    dump = str(stored)
    assert not any(code.replace("-", "") in dump for code in codes)
    assert events("recovery codes made").get().actor_username == "prof"


def test_a_code_logs_in_once(required, client, professional, password, codes):
    log_in_with_password(client, "prof", password)
    response = client.post(RECOVERY, {"code": codes[3].lower().replace("-", " ")})  # typed loosely
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("trajectories:caseload")).status_code == 200
    assert events("logged in with a recovery code").get().detail["left"] == 9
    assert LoginAttempt.objects.filter(username="prof", succeeded=True).count() == 1

    client.post(reverse("logout"))
    log_in_with_password(client, "prof", password)
    again = client.post(RECOVERY, {"code": codes[3]})
    assert again.status_code == 422 and "herstelcode klopt niet of is al gebruikt" in again.content.decode()
    assert client.get(reverse("trajectories:caseload"))["Location"].startswith(VERIFY)


def test_look_alike_characters_are_read_as_digits(professional, codes):
    code = codes[0].replace("-", "")
    typed = code.replace("1", "l").replace("0", "O")
    assert services.two_factor_recover(user=professional, code=typed, ip=None) == 9


def test_wrong_recovery_codes_count_towards_the_lockout(required, client, professional, password, codes):
    log_in_with_password(client, "prof", password)
    for _ in range(4):
        assert client.post(RECOVERY, {"code": "AAAA-BBBB-CCCC"}).status_code == 422
    response = client.post(RECOVERY, {"code": "AAAA-BBBB-CCCC"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "tijdelijk geblokkeerd" in response.content.decode()
    with pytest.raises(services.AccountLockedError):  # also the right code now
        services.two_factor_recover(user=professional, code=codes[0], ip="127.0.0.1")


def test_malformed_codes_get_a_message_next_to_the_field(required, client, professional, password, codes):
    log_in_with_password(client, "prof", password)
    response = client.post(RECOVERY, {"code": "123"})
    assert response.status_code == 422
    assert "Een herstelcode heeft 12 letters en cijfers." in response.content.decode()
    assert not LoginAttempt.objects.filter(succeeded=False).exists()  # not an attempt: no check was made


def test_new_codes_need_the_password_again_and_replace_the_old_ones(client, professional, password, codes):
    client.force_login(professional)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = now_seconds()
    session.save()
    page = reverse("accounts:recovery_codes")
    assert client.get(page)["Location"].startswith(reverse("accounts:confirm"))
    assert client.post(page)["Location"].startswith(reverse("accounts:confirm"))
    client.post(reverse("accounts:confirm"), {"password": password, "code": code_for(professional)})
    assert "10 ongebruikte herstelcodes" in client.get(page).content.decode()
    response = client.post(page)
    html = response.content.decode()
    assert response.status_code == 200 and "Uw herstelcodes" in html
    new = re.findall(r"<code>([0-9A-Z-]+)</code>", html)
    assert len(new) == 10 and not set(new) & set(codes)
    with pytest.raises(ValidationError):
        services.two_factor_recover(user=professional, code=codes[0], ip=None)
    assert services.two_factor_recover(user=professional, code=new[0], ip=None) == 9
    assert events("recovery codes made").count() == 2


def test_codes_made_before_a_secret_key_rotation_still_work(settings, professional, codes):
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789-0123456789"
    with pytest.raises(ValidationError):
        services.two_factor_recover(user=professional, code=codes[0], ip=None)
    settings.SECRET_KEY_FALLBACKS = [old]
    assert services.two_factor_recover(user=professional, code=codes[1], ip=None) == 9


def test_setting_up_the_app_shows_the_codes_once(client, professional):
    client.force_login(professional)
    client.get(SETUP)
    response = client.post(SETUP, {"code": code_for(professional)})
    shown = response.content.decode().count("<code>")
    assert shown == 10 and RecoveryCode.objects.filter(user=professional).count() == 10
    overview = client.get(reverse("accounts:two_factor")).content.decode()
    assert "10 ongebruikte herstelcodes" in overview and "<code>" not in overview


# The administrator's reset --------------------------------------------------------------------------------


@pytest.fixture
def admin(client, functional_admin):
    """An administrator whose session passed the second factor."""
    confirmed_device(functional_admin)
    client.force_login(functional_admin)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = now_seconds()
    session.save()
    return client


def reauthenticated(client):
    session = client.session
    session[REAUTH_AT] = now_seconds()
    session.save()


def test_admin_reset_needs_recent_reauthentication_and_is_logged(admin, professional, codes):
    page = reverse("accounts:user_two_factor", args=[professional.uuid])
    response = admin.get(page)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:confirm"))
    assert admin.post(page, {"reason": "telefoon kwijt"})["Location"].startswith(reverse("accounts:confirm"))
    assert TOTPDevice.objects.filter(user=professional).exists()

    reauthenticated(admin)
    html = admin.get(page).content.decode()
    assert "Aan sinds" in html and "10 ongebruikte herstelcodes" in html
    assert admin.post(page, {"reason": " "}).status_code == 422
    response = admin.post(page, {"reason": "telefoon kwijt, telefonisch gemeld"})
    html = response.content.decode()
    assert response.status_code == 200
    link = html.split('id="setup-link">')[1].split("<")[0]
    assert link.startswith("http://testserver/accounts/two-factor/setup/")
    assert not TOTPDevice.objects.filter(user=professional).exists()
    assert not RecoveryCode.objects.filter(user=professional).exists()
    event = events("second factor reset, set-up link made").get()
    assert event.actor_username == "admin" and event.object_uuid == professional.uuid
    assert event.reason == "telefoon kwijt, telefonisch gemeld"
    assert event.detail["had_app"] is True and event.detail["recovery_codes_removed"] == 10
    assert link.split("/")[-2] not in str(TwoFactorEnrolment.objects.values().get())  # only a digest


def test_admin_session_must_have_passed_the_second_factor(client, functional_admin, professional):
    client.force_login(functional_admin)
    reauthenticated(client)
    response = client.get(reverse("accounts:user_two_factor", args=[professional.uuid]))
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_only_administrators_of_the_organisation_and_not_for_themselves(
    admin, client, functional_admin, professional, team_lead
):
    reauthenticated(admin)
    assert admin.get(reverse("accounts:user_two_factor", args=[functional_admin.uuid])).status_code == 403
    stranger = UserFactory()  # another organisation
    assert admin.get(reverse("accounts:user_two_factor", args=[stranger.uuid])).status_code == 404
    with pytest.raises(services.PermissionDeniedError):
        services.two_factor_reset(actor=team_lead, user=professional, reason="x")
    with pytest.raises(services.PermissionDeniedError):
        services.two_factor_reset(actor=functional_admin, user=functional_admin, reason="x")


def test_the_organisation_page_links_to_the_reset(admin, functional_admin, professional, codes):
    html = admin.get(reverse("accounts:organisation")).content.decode()
    assert reverse("accounts:user_two_factor", args=[professional.uuid]) in html
    assert reverse("accounts:user_two_factor", args=[functional_admin.uuid]) not in html


def test_the_operator_command_makes_a_link(professional):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "two_factor",
        "link",
        "prof",
        "--reason",
        "eerste beheerder",
        "--base-url",
        "https://ww.example/",
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().startswith("https://ww.example/accounts/two-factor/setup/")
    assert events("second factor reset, set-up link made").get().detail["via"] == "command"
    with pytest.raises(CommandError, match="no user"):
        call_command("two_factor", "link", "nobody", "--reason", "x", stdout=out)


# The first set-up under the requirement --------------------------------------------------------------------


def test_the_password_alone_cannot_set_up_an_app(required, client, professional, password):
    """Someone who only knows the password cannot connect their own phone."""
    log_in_with_password(client, "prof", password)
    assert client.get(SETUP).status_code == 403
    assert client.post(SETUP, {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=professional).exists()


def test_a_link_opened_while_logged_in_allows_the_set_up(required, client, professional, password):
    log_in_with_password(client, "prof", password)
    response = client.get(setup_link(professional))
    assert response["Location"] == SETUP
    assert client.get(SETUP).status_code == 200
    response = client.post(SETUP, {"code": code_for(professional)})
    assert response.status_code == 200 and TOTPDevice.objects.get(user=professional).is_confirmed
    assert TwoFactorEnrolment.objects.get().used_at is not None
    assert events("two-step verification set up").get().detail["with_link"] is True


def test_a_link_works_once(required, client, professional, password):
    link = setup_link(professional)
    client.get(link)
    log_in_with_password(client, "prof", password)
    client.get(SETUP)
    client.post(SETUP, {"code": code_for(professional)})
    other = client.__class__()
    assert other.get(link).status_code == 404


def test_a_link_for_someone_else_or_expired_is_refused(required, client, professional, colleague, password):
    link = setup_link(colleague)
    log_in_with_password(client, "prof", password)
    response = client.get(link)
    assert response.status_code == 404 and "Deze activeringslink werkt niet" in response.content.decode()
    assert client.get(SETUP).status_code == 403
    own = setup_link(professional)
    with clock(timezone.now() + dt.timedelta(hours=24, seconds=1)):
        assert client.get(own).status_code == 404


def test_a_new_link_replaces_the_earlier_one(required, client, professional):
    first = setup_link(professional)
    setup_link(professional)
    assert client.get(first).status_code == 404


def test_an_old_login_must_log_in_again_before_the_set_up(required, client, professional, password):
    log_in_with_password(client, "prof", password)
    client.get(setup_link(professional))
    with clock(timezone.now() + dt.timedelta(minutes=11)):
        response = client.get(SETUP)
        assert response["Location"] == f"{reverse('login')}?next=%2Faccounts%2Ftwo-factor%2Fsetup%2F"
        assert "_auth_user_id" not in client.session
        # The opened link is kept: logging in again leads straight to the set-up.
        log_in_with_password(client, "prof", password)
        assert client.get(SETUP).status_code == 200
