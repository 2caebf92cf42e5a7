"""Acceptance: an organisation's own instrument, loaded from a file, takes part everywhere without code.

The example file in docs/examples/ declares its roles (docs/instrument-format.md): the intake expects the
client's answers, the effect view shows the mean over time, the client reads a plain explanation on the
portal's progress page, and the file and commissioner reports show it while the employer's does not.
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from tests.portal_helpers import log_in_client

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "eigen-instrument-werkplezier.yaml"


def _werkplezier_check(response):
    checks = [c for c in response.context["current_checklist"].checks if "Werkplezier" in c.label]
    assert len(checks) == 1, [c.label for c in response.context["current_checklist"].checks]
    return checks[0]


@pytest.mark.django_db
def test_an_own_instrument_from_a_file_reaches_checklist_effect_view_portal_and_reports(professional):
    from waardewerk.clients.models import Consent
    from waardewerk.instruments.models import Measurement
    from waardewerk.instruments.services import instrument_load
    from waardewerk.portal.models import QuestionnaireRequest
    from waardewerk.reports.services import render_html

    instrument_load(EXAMPLE.read_text(encoding="utf-8"), filename=str(EXAMPLE))
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    staff = Client()
    staff.force_login(professional)
    detail = reverse("trajectories:detail", args=[trajectory.uuid])

    # The intake checklist asks for the client's answers as soon as the instrument is loaded.
    check = _werkplezier_check(staff.get(detail))
    assert check.label == "Werkplezier ingevuld door de cliënt" and not check.done

    # The professional asks the client to fill it in, on the trajectory's portal page.
    response = staff.post(reverse("portal:ask", args=[trajectory.uuid]), {"instrument": "werkplezier"})
    assert response.status_code == 302
    request = QuestionnaireRequest.objects.get(trajectory=trajectory, instrument__key="werkplezier")

    # The client answers in the portal (opzien is scored in reverse: 2 counts as 4; the mean is 4.2).
    portal = Client()
    log_in_client(portal, trajectory.client)
    answers = {"plezier": "4", "energie": "4", "trots": "5", "collegas": "4", "opzien": "2"}
    response = portal.post(
        reverse("portal:questionnaire", args=[request.uuid]),
        {f"item-{k}": v for k, v in answers.items()} | {"action": "submit"},
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get(trajectory=trajectory, instrument__key="werkplezier")
    assert measurement.entered_by_client and measurement.score["mean"] == 4.2

    # The phase checklist: done.
    assert _werkplezier_check(staff.get(detail)).done

    # The effect view: the instrument, the change in words and a chart with its table.
    effect = staff.get(reverse("instruments:effect", args=[trajectory.uuid]))
    effects = {e.key: e for e in effect.context["effects"]}
    assert effects["werkplezier"].changes == ["Werkplezier: 4,2 (nog maar één meting)"]
    assert [c.table.rows[0][-1] for c in effects["werkplezier"].charts] == ["4,2"]
    assert "Werkplezier (eigen vragenlijst)" in effect.content.decode()

    # The portal's progress page: the chart with the plain explanation from the definition (B1, "u").
    progress = portal.get(reverse("portal:progress")).content.decode()
    assert "Werkplezier (eigen vragenlijst)" in progress
    assert "Deze vragenlijst gaat over hoeveel plezier u hebt in uw werk." in progress
    assert "4,2" in progress and "ww-chart__image" in progress

    # The reports: in the file and the commissioner's version, not in the employer's (roles.reports).
    Consent.objects.create(
        client=trajectory.client, kind="employer", given_at=timezone.now(), given_via="professional"
    )
    from waardewerk.reports.selectors import report_queryset

    fetched = report_queryset(professional).get(pk=trajectory.pk)
    for audience in ("file", "commissioner"):
        html = render_html(fetched, audience=audience, language="en")
        assert "Enjoyment of work (own questionnaire)" in html, audience
        assert "Work enjoyment: 4.2 (one measurement so far)" in html, audience
    employer = render_html(fetched, audience="employer", language="en")
    assert "Enjoyment of work" not in employer and "Work enjoyment" not in employer
