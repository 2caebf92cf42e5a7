"""A failed inline form of the trajectory page comes back as the same page, anchored at the form, with its
error summary at the top of the form and focused (``core/_form_errors.html``, ``error-summary.js``)."""

import pytest
from django.urls import reverse

from tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "section", "data"),
    [
        ("trajectories:change_phase", "phase-form", {"to_phase": "plan", "reason": ""}),
        ("trajectories:add_action", "action-form", {"description": "", "owner": "client"}),
        ("trajectories:add_note", "conversation-form", {"text": ""}),
    ],
)
def test_a_failed_inline_form_comes_back_at_its_error_summary(client, professional, name, section, data):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    client.force_login(professional)
    url = reverse(name, args=[trajectory.uuid])
    page = client.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    assert f'action="{url}#{section}"' in page  # the answer opens at the form, not at the top
    assert "data-error-summary" not in page

    response = client.post(url, data | {"version": trajectory.version})
    assert response.status_code == 422
    html = response.content.decode()
    form_section = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    summary = form_section.split("<form", 1)[0]  # at the top of the form
    assert "data-error-summary" in summary and "autofocus" in summary and 'tabindex="-1"' in summary
    assert 'href="#id_' in summary  # a link to each field with an error
    assert html.count("data-error-summary") == 1
    assert "waardewerk/error-summary.js" in html
    page_url = reverse("trajectories:detail", args=[trajectory.uuid])
    assert f'<meta name="ww-page-url" content="{page_url}">' in html  # the address the script restores
