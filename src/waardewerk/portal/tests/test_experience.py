"""The client-experience questionnaire (issue 15): the professional asks for it, the client fills it in in
the portal (never required: nothing is due without a request), and the effect view shows it over time."""

import pytest
from django.urls import reverse

from tests.portal_helpers import log_in_client
from waardewerk.instruments.schedules import schedules_for
from waardewerk.portal import services
from waardewerk.portal.services import portal_instruments

pytestmark = pytest.mark.django_db
STATEMENTS = ("serious", "decide", "listen", "explain", "reliable", "trust")


def _experience_key() -> str:
    from waardewerk.instruments.selectors import current_instruments

    return next(i.key for i, d in current_instruments() if d.roles.quality == "experience")


def test_asked_filled_in_and_shown_in_the_effect_view(client, trajectory, professional):
    key = _experience_key()
    assert key in portal_instruments()
    # Never required: it has no schedule, so it is never due and never late.
    assert all(s.key != key for s in schedules_for(professional.organisation_id))
    request = services.questionnaire_request(actor=professional, trajectory=trajectory, key=key)
    portal = client
    log_in_client(portal, trajectory.client)
    url = reverse("portal:questionnaire", args=[request.uuid])
    page = portal.get(url).content.decode()
    assert "Mijn begeleider neemt mij serieus." in page
    # Bad input: an answer off the scale is refused with a message, nothing is stored.
    bad = {f"item-{s}": "4" for s in STATEMENTS} | {"item-trust": "9", "action": "submit"}
    assert portal.post(url, bad).status_code == 422
    request.refresh_from_db()
    assert request.completed_at is None
    answers = {f"item-{s}": "4" for s in STATEMENTS} | {"item-trust": "5", "action": "submit"}
    assert portal.post(url, answers).status_code == 302
    request.refresh_from_db()
    assert request.completed_at and request.measurement.score["mean"] == pytest.approx(4.17, abs=0.01)
    staff = client.__class__()
    staff.force_login(professional)
    effect = staff.get(reverse("instruments:effect", args=[trajectory.uuid]))
    assert effect.status_code == 200
    assert "Ervaring" in effect.content.decode() or "Experience" in effect.content.decode()


def test_self_direction_over_time_in_the_effect_view(client, trajectory, professional):
    """Self-direction (the project's own instrument, not validated): the client rates goal setting,
    planning, acting and evaluating; the effect view shows each part first -> latest."""
    import datetime as dt

    from tests.factories import make_measurement

    key = "zelfsturing"
    assert key in portal_instruments()
    make_measurement(
        trajectory,
        key,
        {"goals": 2, "planning": 2, "acting": 3, "evaluating": 1},
        taken_on=trajectory.start_date + dt.timedelta(days=5),
        respondent="client",
    )
    make_measurement(
        trajectory,
        key,
        {"goals": 4, "planning": 3, "acting": 4, "evaluating": 3},
        taken_on=trajectory.start_date + dt.timedelta(days=50),
        respondent="client",
    )
    client.force_login(professional)
    html = client.get(reverse("instruments:effect", args=[trajectory.uuid])).content.decode()
    assert "Zelfsturing" in html or "Self-direction" in html
    assert "Doelen stellen" in html or "Setting goals" in html
