"""Re-authentication before a sensitive action: ``require_recent_authentication``."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import include, path
from django.utils import timezone

from waardewerk.accounts.decorators import require_recent_authentication
from waardewerk.accounts.models import LoginAttempt
from waardewerk.accounts.tests.helpers import clock, code_for, confirmed_device

pytestmark = pytest.mark.django_db


@require_recent_authentication()
def sensitive(request):
    return HttpResponse("export")


@require_recent_authentication(max_age_seconds=60)
def very_sensitive(request):
    return HttpResponse("very")


urlpatterns = [
    path("sensitive/", sensitive),
    path("very-sensitive/", very_sensitive),
    path("", include("waardewerk.urls")),
]


@pytest.fixture
def urls(settings):
    settings.ROOT_URLCONF = __name__


CONFIRM = "/accounts/confirm/"


def test_sends_to_confirm_then_back(urls, client, professional, password):
    client.force_login(professional)
    response = client.get("/sensitive/?format=csv")
    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM}?next=%2Fsensitive%2F%3Fformat%3Dcsv"
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    assert 'name="code"' not in page.content.decode()

    wrong = client.post(CONFIRM, {"password": "wrong", "next": "/sensitive/?format=csv"})
    assert wrong.status_code == 422
    assert LoginAttempt.objects.filter(username="prof", succeeded=False).count() == 1

    response = client.post(CONFIRM, {"password": password, "next": "/sensitive/?format=csv"})
    assert response["Location"] == "/sensitive/?format=csv"
    assert client.get("/sensitive/?format=csv").content == b"export"
    assert "reauth_at" in client.session

    with clock(timezone.now() + dt.timedelta(seconds=301)):
        assert client.get("/sensitive/")["Location"].startswith(CONFIRM)
    with clock(timezone.now() + dt.timedelta(seconds=61)):
        assert client.get("/very-sensitive/")["Location"].startswith(CONFIRM)
        assert client.get("/sensitive/").status_code == 200


def test_with_two_factor_the_code_is_needed_too(urls, settings, client, professional, password):
    settings.WAARDEWERK_REQUIRE_2FA = True
    confirmed_device(professional)
    client.force_login(professional)
    session = client.session
    session["2fa_verified_at"] = int(timezone.now().timestamp())
    session.save()
    page = client.get(f"{CONFIRM}?next=/sensitive/")
    assert 'name="code"' in page.content.decode()
    assert client.post(CONFIRM, {"password": password, "code": "000000"}).status_code == 422
    assert client.get("/sensitive/")["Location"].startswith(CONFIRM)
    response = client.post(
        CONFIRM, {"password": password, "code": code_for(professional), "next": "/sensitive/"}
    )
    assert response["Location"] == "/sensitive/"
    assert client.get("/sensitive/").status_code == 200


def test_five_failures_log_out(urls, client, professional, password):
    client.force_login(professional)
    for _ in range(4):
        assert client.post(CONFIRM, {"password": "wrong"}).status_code == 422
    response = client.post(CONFIRM, {"password": "wrong"})
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_next_to_another_site_is_ignored(urls, client, professional, password):
    client.force_login(professional)
    response = client.post(CONFIRM, {"password": password, "next": "https://evil.example/steal"})
    assert response["Location"] == "/"


def test_decorator_with_request_factory(professional):
    request = RequestFactory().get("/sensitive/", HTTP_HX_REQUEST="true")
    request.user = professional
    request.session = {}
    response = sensitive(request)
    assert response["HX-Redirect"] == f"{CONFIRM}?next=%2Fsensitive%2F"
    request.session["reauth_at"] = int(timezone.now().timestamp()) - 10
    assert sensitive(request).content == b"export"
