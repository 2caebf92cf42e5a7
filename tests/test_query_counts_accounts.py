"""Query budgets of the second-factor pages: they do not grow with the number of users, codes or links."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import UserFactory
from waardewerk.accounts import services
from waardewerk.accounts.middleware import REAUTH_AT, TWO_FACTOR_VERIFIED_AT, now_seconds
from waardewerk.accounts.tests.helpers import confirmed_device

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _verified(client, user, *, reauthenticated=False):
    client.force_login(user)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = now_seconds()
    if reauthenticated:
        session[REAUTH_AT] = now_seconds()
    session.save()
    return client


def test_organisation_page_with_the_second_factor_column(client, functional_admin, organisation):
    confirmed_device(functional_admin)
    c = _verified(client, functional_admin)
    url = reverse("accounts:organisation")
    small = _queries(c, url)
    for _ in range(10):
        confirmed_device(UserFactory(organisation=organisation))
    assert _queries(c, url) == small


def test_own_second_factor_pages(client, professional):
    confirmed_device(professional)
    c = _verified(client, professional, reauthenticated=True)
    services.recovery_codes_generate(user=professional)
    budgets = {
        reverse("accounts:two_factor"): 0,
        reverse("accounts:recovery_codes"): 0,
    }
    for url in budgets:
        budgets[url] = _queries(c, url)
    services.recovery_codes_generate(user=professional)
    for url, small in budgets.items():
        assert _queries(c, url) == small <= 8, url


def test_recovery_step_and_admin_reset_page(client, functional_admin, professional):
    confirmed_device(professional)
    services.recovery_codes_generate(user=professional)
    c = _verified(client, functional_admin, reauthenticated=True)
    url = reverse("accounts:user_two_factor", args=[professional.uuid])
    small = _queries(c, url)
    for _ in range(3):
        services.two_factor_reset(actor=functional_admin, user=professional, reason="test")
    confirmed_device(professional)
    services.recovery_codes_generate(user=professional)
    assert _queries(c, url) == small <= 8

    client.force_login(professional)  # before the second factor
    assert _queries(client, reverse("accounts:two_factor_recovery")) <= 6


def test_background_tasks_page_does_not_grow_with_the_failures(client, functional_admin):
    def fail(count):
        for _ in range(count):
            DBTaskResult.objects.create(
                task_path="waardewerk.instruments.tasks.draw_effect_charts",
                args_kwargs={"args": [1], "kwargs": {}},
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path="builtins.ValueError",
                backend_name="default",
                run_after=timezone.now(),
            )

    confirmed_device(functional_admin)
    c = _verified(client, functional_admin)
    url = reverse("accounts:background_tasks")
    fail(1)
    small = _queries(c, url)
    fail(10)
    assert _queries(c, url) == small <= 8
