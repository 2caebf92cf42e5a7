"""The functional administrator finds a client by number, sets a legal hold, registers a request for
erasure and sees why the file cannot be erased; a professional prepares a report in the background and
downloads it from its status page. Every page passes axe-core.

Texts are matched in Dutch or English, so the test does not depend on whether the catalogue is compiled."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import TrajectoryFactory
from waardewerk.privacy.models import DestructionItem, DestructionList

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(nl: str, en: str) -> re.Pattern:
    return re.compile(f"{nl}|{en}")


def test_legal_hold_and_a_refused_erasure(page, log_in, axe_check, functional_admin, professional, password):
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        end_date=timezone.localdate() - dt.timedelta(days=3),
        end_reason="work",
    )
    client = trajectory.client
    log_in("admin", password)
    page.goto("/privacy/")
    axe_check(page, "privacy overview")
    page.get_by_label(_text("^Cliëntnummer", "^Client number")).fill(str(client.uuid))
    page.get_by_role("button", name=_text("^Zoeken$", "^Find$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(client.last_name)
    axe_check(page, "client's privacy page")
    page.get_by_label(_text("^Reden voor de bewaarplicht", "^Reason for the legal hold")).fill(
        "Beroep bij de rechtbank loopt"
    )
    page.get_by_role("button", name=_text("Bewaarplicht instellen", "Set a legal hold")).click()
    expect(page.get_by_role("status")).to_contain_text(
        _text("bewaarplicht is ingesteld", "legal hold is set")
    )
    page.get_by_label(_text("^Soort verzoek", "^Kind of request")).select_option("erasure")
    page.get_by_label(_text("^Wat de cliënt vraagt", "^What the client asks")).fill("Verwijder mijn dossier")
    page.get_by_role("button", name=_text("Verzoek registreren", "Register the request")).last.click()
    expect(page.get_by_role("status")).to_contain_text(_text("is geregistreerd", "is registered"))
    expect(page.get_by_text("Beroep bij de rechtbank loopt")).to_be_visible()  # why it cannot be erased
    axe_check(page, "request page")


def test_report_prepared_in_the_background(page, log_in, axe_check, professional, password):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    log_in(professional.username, password)
    page.goto(f"/trajectories/{trajectory.uuid}/report/choose/")
    page.get_by_role(
        "button", name=_text("Op de achtergrond klaarzetten", "Prepare in the background")
    ).first.click()
    expect(page.get_by_role("status")).to_contain_text(_text("is klaar", "is ready"))
    axe_check(page, "prepared report")
    with page.expect_download() as download:
        page.get_by_role("link", name=_text("Downloaden", "Download")).click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_a_long_destruction_list_in_pages(page, log_in, axe_check, functional_admin, password):
    """The list's counts on top, one page of files, a filter and the next page; the approval names the whole
    list. Every page passes axe-core."""

    made = DestructionList.objects.create(organisation=functional_admin.organisation)
    DestructionItem.objects.bulk_create(
        DestructionItem(
            destruction_list=made,
            client_uuid=f"00000000-0000-4000-8000-{n:012d}",
            last_end=timezone.localdate() - dt.timedelta(days=900 - n),
            action="destroy" if n < 5 else "anonymise",
        )
        for n in range(30)
    )
    log_in("admin", password)
    page.goto(f"/privacy/destruction/{made.uuid}/")
    expect(page.get_by_text(_text("alle 30 cliëntdossiers", "all 30 client files"))).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(25)
    axe_check(page, "destruction list")
    page.get_by_role("link", name=_text("^Volgende$", "^Next$")).click()
    expect(page.locator("tbody tr")).to_have_count(5)
    page.get_by_label(_text("^Actie", "^Action")).select_option("destroy")
    page.get_by_role("button", name=_text("^Filteren$", "^Filter$")).click()
    expect(page.locator("tbody tr")).to_have_count(5)
    expect(page.locator("caption")).to_contain_text(_text("5 dossiers", "5 files"))
    axe_check(page, "destruction list, filtered")
