"""Importing clients and trajectories from another system (docs/import.md).

A file (CSV or XLSX) is read into a table (``read_table``), its header row is mapped onto the columns of the
kind (``COLUMNS``, Dutch or English names), and every row goes through the same services as the forms
(``clients.services.client_import``, ``trajectories.services.trajectory_import``: the same checks, the
duplicate rule, timeline and access log), each row in its own savepoint, all of it in one transaction.
A dry run, or an import with a problem in any row (unless ``partial``), is rolled back at the end, and the
access-log events of what was rolled back are dropped with it (``audit.services.held``). Every problem names
its row (as numbered in the file: the header is row 1), its column (as named in the file) and a message in
the user's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.exceptions import InvalidFileException

from waardewerk.accounts.models import Team, User
from waardewerk.audit.services import held
from waardewerk.clients.duplicates import find_duplicates
from waardewerk.clients.services import DuplicateBSNError, PossibleDuplicatesError, client_import
from waardewerk.clients.validators import bsn_is_valid, normalise_bsn
from waardewerk.trajectories.models import Context
from waardewerk.trajectories.services import trajectory_import

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Column:
    field: str
    names: tuple[
        str, ...
    ]  # accepted header names, lower case; the first is the Dutch one, the second English
    required: bool = False

    @property
    def label(self) -> str:
        return self.names[0]


CLIENT_COLUMNS = (
    Column("first_name", ("voornaam", "first_name", "first name"), required=True),
    Column("infix", ("tussenvoegsel", "infix")),
    Column("last_name", ("achternaam", "last_name", "last name", "surname"), required=True),
    Column("date_of_birth", ("geboortedatum", "date_of_birth", "date of birth"), required=True),
    Column("bsn", ("bsn", "burgerservicenummer", "citizen service number")),
    Column("email", ("e-mailadres", "email", "e-mail", "emailadres")),
    Column("phone", ("telefoonnummer", "phone", "telefoon")),
    Column("street", ("straat en huisnummer", "street", "adres", "straat")),
    Column("postal_code", ("postcode", "postal_code", "postal code")),
    Column("city", ("woonplaats", "city", "plaats")),
)
TRAJECTORY_COLUMNS = (
    Column("bsn", ("bsn", "burgerservicenummer", "citizen service number")),
    Column("first_name", ("voornaam", "first_name", "first name")),
    Column("last_name", ("achternaam", "last_name", "last name", "surname")),
    Column("date_of_birth", ("geboortedatum", "date_of_birth", "date of birth")),
    Column("context", ("context", "kader"), required=True),
    Column("start_date", ("startdatum", "start_date", "start date"), required=True),
    Column("question", ("hulpvraag", "question", "question for help"), required=True),
    Column(
        "responsible", ("verantwoordelijke", "responsible", "gebruikersnaam verantwoordelijke"), required=True
    ),
    Column("team", ("team",)),
)
COLUMNS = {"clients": CLIENT_COLUMNS, "trajectories": TRAJECTORY_COLUMNS}
KIND_LABELS = {"clients": gettext_lazy("clients"), "trajectories": gettext_lazy("trajectories")}


@dataclass
class Problem:
    row: int | None  # None: the file as a whole
    column: str
    message: str


@dataclass
class Report:
    kind: str
    rows: int = 0  # data rows read (empty rows not counted)
    valid: int = 0  # rows without a problem (what a dry run would store)
    stored: int = 0
    dry_run: bool = True
    partial: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed_rows(self) -> int:
        return len({problem.row for problem in self.problems if problem.row is not None})

    @property
    def file_problem(self) -> bool:
        return any(problem.row is None for problem in self.problems)

    @property
    def ok(self) -> bool:
        return not self.problems


class FileProblem(Exception):
    """The file cannot be read as a table: the message says why, in the user's language."""


# --- Reading the file -----------------------------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> list[list[str]]:
    """The file's rows as lists of text (the header row first). CSV in UTF-8 (with or without BOM),
    Windows-1252 (what Excel in Dutch writes) or UTF-16 (Excel's "Unicode text"), separated by semicolons,
    commas or tabs; or XLSX (the first sheet)."""
    if not data:
        raise FileProblem(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise FileProblem(
            _("The file is too large (%(size)s MB); the most is %(max)s MB. Split it into smaller files.")
            % {"size": round(len(data) / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024}
        )
    name = filename.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("This is an old Excel file (.xls). Save it as .xlsx or as CSV and try again."))
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(_decode(data))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise FileProblem(_("The file is empty."))
    if len(rows) == 1:
        raise FileProblem(_("The file has a header row but no rows below it."))
    if len(rows) - 1 > MAX_ROWS:
        raise FileProblem(
            _("The file has %(rows)s rows; the most is %(max)s. Split it into smaller files.")
            % {"rows": len(rows) - 1, "max": MAX_ROWS}
        )
    return rows


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileProblem(_("The file cannot be read as text. Save it as CSV (UTF-8).")) from None
    if b"\x00" in data:
        raise FileProblem(
            _("This is not a CSV file or an Excel file (.xlsx). Save it as CSV (UTF-8) or .xlsx.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem(
            _("The file's character encoding is not recognised. Save it as CSV (UTF-8) and try again.")
        ) from None


def _read_csv(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s.") % {"error": error}) from None


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileProblem(
            _("This is not a valid Excel file (.xlsx). Save it again as .xlsx or as CSV.")
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(value) for value in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Mapping the columns --------------------------------------------------------------------------------


def map_columns(kind: str, header: list[str]) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """(field -> index, field -> the column's name in the file, problems with the header row)."""
    columns = COLUMNS[kind]
    by_name = {name: column for column in columns for name in column.names}
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    problems: list[Problem] = []
    for position, raw in enumerate(header):
        name = " ".join(raw.replace("\ufeff", "").split()).lower()
        if not name:
            continue
        column = by_name.get(name)
        if column is None:
            problems.append(
                Problem(
                    1,
                    raw,
                    _("Unknown column “%(name)s”. Known columns: %(known)s.")
                    % {"name": raw, "known": ", ".join(c.label for c in columns)},
                )
            )
        elif column.field in index:
            problems.append(Problem(1, raw, _("The column “%(name)s” appears twice.") % {"name": raw}))
        else:
            index[column.field] = position
            shown[column.field] = raw.strip()
    for column in columns:
        if column.required and column.field not in index:
            problems.append(
                Problem(1, column.label, _("The column “%(name)s” is missing.") % {"name": column.label})
            )
    if (
        kind == "trajectories"
        and "bsn" not in index
        and not {"first_name", "last_name", "date_of_birth"} <= set(index)
    ):
        problems.append(
            Problem(
                1,
                "bsn",
                _("Name the client with a column “bsn”, or “voornaam”, “achternaam” and “geboortedatum”."),
            )
        )
    for column in columns:
        shown.setdefault(column.field, column.label)
    return index, shown, problems


# --- Values -------------------------------------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S")


def parse_date(value: str) -> dt.date:
    value = value.strip()
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _context(value: str) -> str:
    wanted = " ".join(value.split()).lower()
    for key, label in Context.choices:
        if wanted in (key, str(label).lower()):
            return key
    return value.strip()


# --- Running ------------------------------------------------------------------------------------------------


class _RollBack(Exception):
    pass


def run(
    *, actor, kind: str, rows: list[list[str]], source: str, dry_run: bool = True, partial: bool = False
) -> Report:
    """Check (``dry_run``) or import the rows of a file read by ``read_table``; see the module."""
    report = Report(kind=kind, dry_run=dry_run, partial=partial)
    index, shown, header_problems = map_columns(kind, rows[0])
    if header_problems:
        report.problems = header_problems
        report.rows = len(rows) - 1
        return report
    handler = _client_row if kind == "clients" else _trajectory_row
    context = _RowContext(actor=actor, index=index, shown=shown, source=source)
    try:
        with held(), transaction.atomic():
            for number, row in enumerate(rows[1:], start=2):
                report.rows += 1
                try:
                    with transaction.atomic():
                        problems = handler(context, number, row)
                        if problems:
                            raise _RowFailed(problems)
                except _RowFailed as failed:
                    report.problems.extend(failed.problems)
                else:
                    report.valid += 1
            if dry_run or (report.problems and not partial):
                raise _RollBack
            report.stored = report.valid
    except _RollBack:
        pass
    return report


class _RowFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("row failed")
        self.problems = problems


@dataclass
class _RowContext:
    actor: object
    index: dict[str, int]
    shown: dict[str, str]
    source: str
    users: dict[str, User | None] = field(default_factory=dict)
    teams: dict[str, Team | None] = field(default_factory=dict)

    def value(self, row: list[str], name: str) -> str:
        position = self.index.get(name)
        if position is None or position >= len(row):
            return ""
        return row[position].strip()


def _errors(context: _RowContext, number: int, error: ValidationError) -> list[Problem]:
    found = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            column = context.shown.get(name, "") if name != "__all__" else ""
            for item in errors:
                found.extend(Problem(number, column, message) for message in item.messages)
    else:
        found.extend(Problem(number, "", message) for message in error.messages)
    return found


def _client_row(context: _RowContext, number: int, row: list[str]):
    problems: list[Problem] = []
    data = {name: context.value(row, name) for name in context.index}
    date_text = data.pop("date_of_birth", "")
    try:
        data["date_of_birth"] = parse_date(date_text)
    except ValueError:
        message = _("This field is required.") if not date_text else _("Not a date: write it as 31-12-1980.")
        problems.append(Problem(number, context.shown["date_of_birth"], message))
        return problems
    try:
        client_import(
            actor=context.actor,
            data=data,
            source=f"row {number}",
            accept_possible_duplicates=False,
        )
    except DuplicateBSNError:
        problems.append(
            Problem(
                number,
                context.shown["bsn"],
                _("A client with this BSN is already registered in your organisation."),
            )
        )
    except PossibleDuplicatesError:
        problems.append(
            Problem(
                number,
                context.shown["last_name"],
                _(
                    "A client with the same name and date of birth is already registered: possibly the same "
                    "person. Check it, and register this one by hand if it is someone else."
                ),
            )
        )
    except ValidationError as error:
        problems.extend(_errors(context, number, error))
    return problems


def _trajectory_row(context: _RowContext, number: int, row: list[str]):
    problems: list[Problem] = []
    actor = context.actor
    client = None
    bsn = context.value(row, "bsn")
    first, last = context.value(row, "first_name"), context.value(row, "last_name")
    born_text = context.value(row, "date_of_birth")
    born = None
    if born_text:
        try:
            born = parse_date(born_text)
        except ValueError:
            problems.append(
                Problem(number, context.shown["date_of_birth"], _("Not a date: write it as 31-12-1980."))
            )
    if bsn and not bsn_is_valid(normalise_bsn(bsn)):
        problems.append(
            Problem(
                number,
                context.shown["bsn"],
                _("This is not a valid BSN: the check digit is wrong (elfproef). Check the number."),
            )
        )
    elif bsn:
        found = find_duplicates(actor.organisation_id, bsn=normalise_bsn(bsn))
        client = found.same_bsn
        if client is None:
            problems.append(
                Problem(number, context.shown["bsn"], _("No client of your organisation has this BSN."))
            )
    elif first and last and born:
        matches = find_duplicates(actor.organisation_id, first_name=first, last_name=last, date_of_birth=born)
        if len(matches.same_person) == 1:
            client = matches.same_person[0]
        elif not matches.same_person:
            problems.append(
                Problem(
                    number,
                    context.shown["last_name"],
                    _("No client of your organisation has this name and date of birth."),
                )
            )
        else:
            problems.append(
                Problem(
                    number,
                    context.shown["last_name"],
                    _("More than one client has this name and date of birth: name the client by BSN."),
                )
            )
    elif not problems:
        problems.append(
            Problem(
                number,
                context.shown["bsn"],
                _("Name the client: a BSN, or first name, last name and date of birth."),
            )
        )
    start_text = context.value(row, "start_date")
    start = None
    try:
        start = parse_date(start_text)
    except ValueError:
        message = _("This field is required.") if not start_text else _("Not a date: write it as 31-12-1980.")
        problems.append(Problem(number, context.shown["start_date"], message))
    username = context.value(row, "responsible")
    if username not in context.users:
        context.users[username] = (
            User.objects.filter(organisation_id=actor.organisation_id, username__iexact=username).first()
            if username
            else None
        )
    responsible = context.users[username]
    if responsible is None:
        problems.append(
            Problem(
                number,
                context.shown["responsible"],
                _("No user of your organisation has the user name “%(name)s”.") % {"name": username}
                if username
                else _("This field is required."),
            )
        )
    team_name = context.value(row, "team")
    team = None
    if team_name:
        if team_name not in context.teams:
            context.teams[team_name] = Team.objects.filter(
                organisation_id=actor.organisation_id, name__iexact=team_name
            ).first()
        team = context.teams[team_name]
        if team is None:
            problems.append(
                Problem(
                    number,
                    context.shown["team"],
                    _("Your organisation has no team “%(name)s”.") % {"name": team_name},
                )
            )
    if problems:
        return problems
    try:
        trajectory_import(
            actor=actor,
            client=client,
            context=_context(context.value(row, "context")),
            responsible=responsible,
            start_date=start,
            question=context.value(row, "question"),
            team=team,
            source=f"row {number}",
        )
    except ValidationError as error:
        problems.extend(_errors(context, number, error))
    return problems
