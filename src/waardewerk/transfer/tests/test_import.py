"""Importing clients and trajectories (docs/import.md): CSV and XLSX, the column mapping, a dry run naming
every row's problems, all or nothing unless partial, BSNs and the duplicate rule, the same services as the
forms (timeline and access log), bad files with a clear message, the command."""

import datetime as dt
import io
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.factories import ClientFactory, OrganisationFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.models import Client
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories.models import PhaseChange, Trajectory
from waardewerk.transfer import importing
from waardewerk.transfer.services import import_file

VALID = ["111222333", "123456782", "999999990"]  # elfproef holds for each
HEADER = "voornaam;tussenvoegsel;achternaam;geboortedatum;bsn;postcode;woonplaats\n"


def _rows(text: str, name="clients.csv", encoding="utf-8"):
    return importing.read_table(text.encode(encoding), name)


def _import(actor, kind, text, *, dry_run=False, partial=False, encoding="utf-8"):
    return import_file(
        actor=actor,
        kind=kind,
        rows=_rows(text, encoding=encoding),
        source="test.csv",
        dry_run=dry_run,
        partial=partial,
    )


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def test_clients_from_a_semicolon_csv_as_excel_nl_writes_it(functional_admin):
    text = HEADER + "Jan;van;Dijk;01-02-1980;111222333;1234ab;Utrecht\r\nÖzlem;;Çelik;1975-12-31;;;Zeist\r\n"
    report = _import(functional_admin, "clients", text, encoding="cp1252")
    assert report.ok and report.stored == 2
    jan = Client.objects.get(last_name="Dijk")
    assert (jan.infix, jan.bsn, jan.postal_code, jan.date_of_birth) == (
        "van",
        "111222333",
        "1234 AB",
        dt.date(1980, 2, 1),
    )
    assert Client.objects.get(last_name="Çelik").first_name == "Özlem"
    created = AccessEvent.objects.filter(action="create", object_type="clients.client")
    assert created.count() == 2 and all(event.reason.startswith("import: row ") for event in created)


def test_dry_run_reports_every_rows_problems_and_stores_nothing(functional_admin):
    text = (
        HEADER
        + "Jan;;Dijk;01-02-1980;111222334;;\n"  # elfproef fails
        + ";;Jansen;01-02-1980;;;\n"  # no first name
        + "Piet;;Puk;31-02-1980;;;\n"  # no such date
        + "Kees;;Goed;01-01-1990;;;\n"
    )
    report = _import(functional_admin, "clients", text, dry_run=True)
    assert report.rows == 4 and report.stored == 0
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(2, "bsn"), (3, "voornaam"), (4, "geboortedatum")}
    assert "elfproef" in next(p.message for p in report.problems if p.row == 2)
    assert "Dit veld is verplicht." in {p.message for p in report.problems}
    assert Client.objects.count() == 0
    assert not AccessEvent.objects.filter(object_type="clients.client").exists()


def test_nothing_is_stored_when_a_row_fails_unless_partial(functional_admin):
    text = HEADER + "Kees;;Goed;01-01-1990;;;\nJan;;Dijk;01-02-1980;111222334;;\n"
    report = _import(functional_admin, "clients", text)
    assert report.stored == 0 and report.failed_rows == 1
    assert Client.objects.count() == 0
    assert not AccessEvent.objects.filter(object_type="clients.client").exists()
    report = _import(functional_admin, "clients", text, partial=True)
    assert report.stored == 1
    assert list(Client.objects.values_list("last_name", flat=True)) == ["Goed"]


def test_duplicates_as_on_registration_in_the_organisation_and_in_the_file(functional_admin):
    ClientFactory(organisation=functional_admin.organisation, bsn=VALID[0], first_name="A", last_name="B")
    ClientFactory(
        organisation=functional_admin.organisation,
        first_name="Ilse",
        last_name="Meijer",
        date_of_birth=dt.date(1970, 5, 5),
    )
    ClientFactory(organisation=OrganisationFactory(), bsn=VALID[1])  # another organisation's: no duplicate
    text = (
        HEADER
        + f"Jan;;Dijk;01-02-1980;{VALID[0]};;\n"
        + "ilse;;MEIJER;05-05-1970;;;\n"
        + f"Kees;;Goed;01-01-1990;{VALID[1]};;\n"
        + f"Karel;;Anders;01-01-1991;{VALID[1]};;\n"  # the same BSN as the row above
    )
    report = _import(functional_admin, "clients", text, dry_run=True)
    assert {(p.row, p.column) for p in report.problems} == {(2, "bsn"), (3, "achternaam"), (5, "bsn")}


def test_xlsx_with_english_headers_and_date_cells(functional_admin):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["First name", "Last name", "Date of birth", "BSN"])
    sheet.append(["Jan", "Dijk", dt.datetime(1980, 2, 1), 111222333])
    sheet.append([None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    rows = importing.read_table(out.getvalue(), "clients.xlsx")
    report = import_file(
        actor=functional_admin, kind="clients", rows=rows, source="clients.xlsx", dry_run=False
    )
    assert report.ok and report.stored == 1
    assert Client.objects.get().bsn == "111222333"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "leeg"),
        (b"\n\n;;\n", "a.csv", "leeg"),
        (b"voornaam;achternaam\n;\n", "a.csv", "geen rijen"),
        (b"\xd0\xcf\x11\xe0rest", "a.xls", ".xls"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "geen geldig Excel-bestand"),
        (b"\x00\x01\x02binary", "a.csv", "geen CSV-bestand"),
        (b"x" * (importing.MAX_BYTES + 1), "a.csv", "te groot"),
        (b"a\n" + b"1\n" * (importing.MAX_ROWS + 1), "a.csv", "rijen"),
        (b"\x81\x8d\x8f\x90\x9d", "a.csv", "tekencodering"),
    ],
)
def test_bad_files_get_a_clear_message(data, name, message):
    with pytest.raises(importing.FileProblem, match=message):
        importing.read_table(data, name)


def test_wrong_and_missing_columns_are_named(functional_admin):
    report = _import(
        functional_admin, "clients", "voornaam,achternaam,schoenmaat\nJan,Dijk,44\n", dry_run=True
    )
    messages = [p.message for p in report.problems]
    assert any("Onbekende kolom “schoenmaat”" in m for m in messages)
    assert any("“geboortedatum” ontbreekt" in m for m in messages)
    assert all(p.row == 1 for p in report.problems)


def test_trajectories_through_the_same_service_with_timeline_and_access_log(
    functional_admin, professional, team
):
    jan = ClientFactory(organisation=functional_admin.organisation, bsn=VALID[0])
    ilse = ClientFactory(
        organisation=functional_admin.organisation,
        first_name="Ilse",
        last_name="Meijer",
        date_of_birth=dt.date(1970, 5, 5),
    )
    text = (
        "bsn;voornaam;achternaam;geboortedatum;context;startdatum;hulpvraag;verantwoordelijke;team\n"
        + f"{VALID[0]};;;;Participatiewet;01-10-2026;Weer aan het werk;{professional.username};{team.name}\n"
        + f";Ilse;Meijer;05-05-1970;ww;2026-10-02;Werk vinden;{professional.username};\n"
    )
    with translation.override("nl"):
        report = _import(functional_admin, "trajectories", text)
    assert report.ok, report.problems
    assert report.stored == 2
    trajectory = Trajectory.objects.get(client=jan)
    assert (trajectory.context, trajectory.responsible, trajectory.team, trajectory.question) == (
        "participation_act",
        professional,
        team,
        "Weer aan het werk",
    )
    assert Trajectory.objects.get(client=ilse).context == "ww"
    assert PhaseChange.objects.filter(trajectory=trajectory).count() == 1
    assert TimelineEntry.objects.filter(trajectory=trajectory).exists()
    event = AccessEvent.objects.get(
        action="create", object_type="trajectories.trajectory", client_uuid=jan.uuid
    )
    assert event.actor_id == functional_admin.pk


def test_trajectory_rows_with_problems(functional_admin, professional):
    ClientFactory(organisation=functional_admin.organisation, bsn=VALID[0])
    other = UserFactory(organisation=OrganisationFactory(), role=Role.PROFESSIONAL)
    text = (
        "bsn;context;startdatum;hulpvraag;verantwoordelijke;team\n"
        + f"{VALID[1]};ww;01-10-2026;Vraag;{professional.username};\n"  # no such client
        + f"{VALID[0]};maan;01-10-2026;Vraag;{professional.username};\n"  # no such context
        + f"{VALID[0]};ww;01-10-2026;Vraag;{other.username};\n"  # another organisation's user
        + f"{VALID[0]};ww;gisteren;;{professional.username};Geen team\n"
    )
    report = _import(functional_admin, "trajectories", text, dry_run=True)
    found = {(p.row, p.column) for p in report.problems}
    assert found == {
        (2, "bsn"),
        (3, "context"),
        (4, "verantwoordelijke"),
        (5, "startdatum"),
        (5, "team"),
    }
    assert Trajectory.objects.count() == 0


def test_the_second_open_trajectory_of_a_client_in_one_file_is_refused(functional_admin, professional):
    ClientFactory(organisation=functional_admin.organisation, bsn=VALID[0])
    line = f"{VALID[0]};ww;01-10-2026;Vraag;{professional.username}\n"
    report = _import(
        functional_admin, "trajectories", "bsn;context;startdatum;hulpvraag;verantwoordelijke\n" + line + line
    )
    assert [p.row for p in report.problems] == [3]
    assert Trajectory.objects.count() == 0


def test_the_command_checks_imports_and_reports_rows(tmp_path, functional_admin, professional):
    path = tmp_path / "clients.csv"
    path.write_text(HEADER + "Jan;;Dijk;01-02-1980;111222334;;\nKees;;Goed;01-01-1990;;;\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command(
            "import", "clients", str(path), "--as", functional_admin.username, "--dry-run", stdout=out
        )
    assert stopped.value.code == 1
    assert "rij 2, bsn: " in out.getvalue()
    assert "Niets is opgeslagen" in out.getvalue()
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import", "clients", str(path), "--as", functional_admin.username, "--partial", stdout=out
        )
    assert Client.objects.count() == 1
    with pytest.raises(CommandError, match="not a functional administrator"):
        call_command("import", "clients", str(path), "--as", professional.username)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="leeg"):
        call_command("import", "clients", str(empty), "--as", functional_admin.username)


def test_the_example_files_import_into_the_demo_organisation(db):
    from pathlib import Path

    from waardewerk.sampledata.demo import ORGANISATION_NAME

    call_command("demo", stdout=StringIO())
    examples = Path(__file__).resolve().parents[4] / "docs" / "examples"
    clients_before = Client.objects.filter(organisation__name=ORGANISATION_NAME).count()
    for kind, name in (("clients", "import-clienten.csv"), ("trajectories", "import-trajecten.csv")):
        out = StringIO()
        call_command("import", kind, str(examples / name), "--as", "beheer", stdout=out)
        assert "3 opgeslagen, 0 met problemen" in out.getvalue(), out.getvalue()
    assert Client.objects.filter(organisation__name=ORGANISATION_NAME).count() == clients_before + 3
    imported = Trajectory.objects.filter(client__last_name__in=["Voorbeeld", "Proef", "Testman"])
    assert imported.count() == 3
