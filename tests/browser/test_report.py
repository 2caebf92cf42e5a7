"""The report page for a demo client in a real browser: the three versions explained (axe-checked), and a
download that is a PDF and is recorded in the access log."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from waardewerk.audit.models import AccessEvent
from waardewerk.sampledata.demo import DEMO_PASSWORD, create_demo
from waardewerk.trajectories.models import Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choose_a_version_and_download_the_pdf(page, log_in, axe_check):
    create_demo()
    trajectory = (
        Trajectory.objects.filter(responsible__username="marieke", evaluation__isnull=False)
        .select_related("client")
        .order_by("client__last_name")
        .first()
    )
    from django.utils import timezone

    from waardewerk.clients.models import Consent

    # The employer version needs the client's consent (docs/portal.md).
    Consent.objects.get_or_create(
        client=trajectory.client,
        kind="employer",
        withdrawn_at=None,
        defaults={"given_at": timezone.now(), "given_via": "professional"},
    )
    log_in("marieke", DEMO_PASSWORD)
    page.goto(f"/trajectories/{trajectory.uuid}/report/choose/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(trajectory.client.full_name)
    expect(page.locator("section.ww-card")).to_have_count(3)
    axe_check(page, "report versions")

    link = page.locator(f'a[href="/trajectories/{trajectory.uuid}/report/?audience=employer&lang=nl"]')
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("rapportage-werkgever-")
    assert download.suggested_filename.endswith(".pdf")
    assert trajectory.client.last_name.lower() not in download.suggested_filename
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    event = AccessEvent.objects.get(action="print")
    assert event.actor_username == "marieke" and event.detail["audience"] == "employer"

    # A wrong version in the address gets the same page with a message, not an error page.
    page.goto(f"/trajectories/{trajectory.uuid}/report/?audience=boss")
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page, "report versions with a message")
