"""The confirmation step before what cannot be undone (``core/confirm.py``): ending portal access, a
handover, withdrawing consent (by the professional and by the client), cancelling an action and closing a
trajectory.

A POST without ``confirmed=yes`` shows a confirmation page and changes nothing; only the same POST with
the confirmation calls the service. The step adds no address, but it is asked for by every role and for
another organisation's objects: whoever may not do the change gets the same answer as for the change itself
(tests/test_access.py), never a confirmation page.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.access_portal import _consent
from tests.matrix import DOSSIER, ROLES, STAFF_A
from tests.test_access import MATRIX, _answer, _as
from tests.test_access import world as world  # noqa: F401 (a fixture)
from tests.test_access import world_b as world_b  # noqa: F401 (a fixture)
from waardewerk.core.confirm import CONFIRM_FIELD


def _close_data(w):
    return {
        "end_reason": "moved",
        "end_date": timezone.localdate().isoformat(),
        "note": "",
        "version": w["trajectory"].version,
    }


def _without(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != CONFIRM_FIELD}


def _asked(expected: dict) -> dict:
    """Where the change itself redirects (done), its confirmation step answers with a page; an anonymous
    visitor is still sent to log in."""
    return {
        role: 200 if answer == 302 and role != "anonymous" else answer for role, answer in expected.items()
    }


# name -> (url builder, POST data builder without the confirmation, {role: expected answer})
STEPS = {
    name: (MATRIX[name][1], lambda w, name=name: _without(MATRIX[name][2](w)), _asked(MATRIX[name][3]))
    for name in (
        "trajectories:transfer",
        "portal:end_access",
        "portal:staff_withdraw_consent",
        "portal:consent_withdraw",
    )
} | {
    "trajectories:action_status": (
        MATRIX["trajectories:action_status"][1],
        lambda w: {"status": "cancelled"},
        _asked(MATRIX["trajectories:action_status"][3]),
    ),
    "trajectories:close": (MATRIX["trajectories:close"][1], _close_data, DOSSIER),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(STEPS))
def test_confirmation_step_access(world, world_b, name):
    url_for, data_for, expected = STEPS[name]
    url, data = url_for(world), data_for(world)
    answers = {role: _answer(role, world, world_b, "post", url, data, expected[role]) for role in ROLES}
    wrong = {role: (answers[role], expected[role]) for role in ROLES if answers[role] != expected[role]}
    assert not wrong, f"{name}: role -> (answer, expected): {wrong}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(STEPS))
def test_confirmation_step_for_another_organisations_object_is_404(world, world_b, name):
    url_for, data_for, expected = STEPS[name]
    url, data = url_for(world_b), data_for(world_b)
    staff = STAFF_A if expected["org_b_professional"] == 404 else []
    roles = [*staff, *(["client"] if expected["org_b_client"] == 404 else [])]
    answers = {role: _answer(role, world, world_b, "post", url, data, 404) for role in roles}
    assert answers == dict.fromkeys(roles, 404), f"{name}: {answers}"


def _state(name, w):
    """What the change would alter, read fresh from the database."""
    from waardewerk.clients.models import Consent
    from waardewerk.portal.models import PortalAccount
    from waardewerk.trajectories.models import Action, Handover, Trajectory

    trajectory = Trajectory.objects.get(pk=w["trajectory"].pk)
    return {
        "trajectories:transfer": lambda: (trajectory.responsible_id, Handover.objects.count()),
        "portal:end_access": lambda: PortalAccount.objects.get(client=w["client"]).revoked_at,
        "portal:staff_withdraw_consent": lambda: Consent.objects.get(pk=_consent(w).pk).withdrawn_at,
        "portal:consent_withdraw": lambda: Consent.objects.get(pk=_consent(w).pk).withdrawn_at,
        "trajectories:action_status": lambda: Action.objects.get(pk=w["action"].pk).status,
        "trajectories:close": lambda: trajectory.end_date,
    }[name]()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(STEPS))
def test_a_post_without_the_confirmation_does_not_act(world, world_b, name):
    url_for, data_for, _ = STEPS[name]
    role = "client" if name == "portal:consent_withdraw" else "professional"
    if name == "trajectories:transfer":
        role = "team_lead"

    browser = _as(role, world, world_b)
    url, data = url_for(world), data_for(world)
    before = _state(name, world)

    page = browser.post(url, data)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="{CONFIRM_FIELD}" value="yes"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for value in data.values():  # every posted field travels along to the confirmation
        assert f'value="{value}"' in html
    assert _state(name, world) == before, "the service was called without the confirmation"

    with transaction.atomic():
        done = browser.post(url, data | {CONFIRM_FIELD: "yes"})
        assert done.status_code == 302
        assert _state(name, world) != before, "the confirmed POST did not act"
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_marking_an_action_done_needs_no_confirmation(world, world_b):
    from waardewerk.trajectories.models import Action

    response = _as("professional", world, world_b).post(
        reverse("trajectories:action_status", args=[world["action"].uuid]), {"status": "done"}
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=world["action"].pk).status == "done"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(STEPS))
def test_the_confirmation_page_is_a_logged_read(world, world_b, name):
    from waardewerk.audit.models import AccessEvent

    url_for, data_for, _ = STEPS[name]
    role = {"portal:consent_withdraw": "client", "trajectories:transfer": "team_lead"}.get(
        name, "professional"
    )
    browser = _as(role, world, world_b)
    before = AccessEvent.objects.filter(client_uuid=world["client"].uuid, action="view").count()
    assert browser.post(url_for(world), data_for(world)).status_code == 200
    assert AccessEvent.objects.filter(client_uuid=world["client"].uuid, action="view").count() > before
