"""The functional administrator imports clients (a file with a problem: the preview names it, the import
with the partial tick box stores the rest, without uploading again) and makes an export of the whole
organisation: every page axe-checked."""

import time

import pytest
from playwright.sync_api import expect

from waardewerk.accounts import totp
from waardewerk.accounts.tests.helpers import confirmed_device
from waardewerk.clients.models import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = "voornaam;achternaam;geboortedatum;bsn\nJan;Dijk;01-02-1980;111222333\nPiet;Puk;31-02-1980;\n"


def test_import_with_preview_and_an_export(
    page, log_in, axe_check, functional_admin, password, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    secret = confirmed_device(functional_admin).secret
    heading = page.get_by_role("heading", level=1)
    log_in("admin", password)
    page.get_by_label("Code", exact=True).fill(totp.totp(secret, time.time()))
    page.get_by_role("button", name="Controleren").click()
    page.get_by_role("link", name="Import en export").click()
    expect(heading).to_have_text("Import en export")
    axe_check(page, "import and export")

    # A file that is not a table: the message at once, nothing kept.
    page.get_by_label("Wat er in het bestand staat").select_option("clients")
    page.get_by_label("Bestand (CSV of Excel .xlsx)").set_input_files(
        files=[{"name": "foto.csv", "mimeType": "text/csv", "buffer": b"\x00\x01binary"}]
    )
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("alert")).to_contain_text("geen CSV-bestand")
    axe_check(page, "a file that cannot be read")

    page.get_by_label("Wat er in het bestand staat").select_option("clients")
    page.get_by_label("Bestand (CSV of Excel .xlsx)").set_input_files(
        files=[{"name": "clienten.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Bestand controleren").click()
    expect(heading).to_have_text("Import controleren")
    expect(page.get_by_role("cell", name="Geen datum: schrijf hem als 31-12-1980.")).to_be_visible()
    axe_check(page, "import preview")
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_role("alert")).to_contain_text("Er is niets opgeslagen")
    assert not Client.objects.exists()
    page.get_by_label("Importeer de rijen zonder problemen en sla de andere over").check()
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_role("status")).to_contain_text("1 van de 2 rijen opgeslagen")
    assert list(Client.objects.values_list("last_name", flat=True)) == ["Dijk"]

    page.get_by_role("button", name="Export maken").click()
    expect(page.get_by_role("status")).to_contain_text("op de achtergrond")
    axe_check(page, "an export asked for")
