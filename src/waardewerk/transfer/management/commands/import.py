"""``waardewerk import clients|trajectories FILE --as USERNAME [--dry-run] [--partial]`` (docs/import.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from waardewerk.accounts.models import User
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.transfer import importing
from waardewerk.transfer.services import import_file


class Command(BaseCommand):
    help = (
        "Import clients or trajectories from CSV or XLSX (column mapping: docs/import.md). Every row's "
        "problems are listed with row number and column; nothing is stored when a row has a problem, unless "
        "--partial is given. Exit code 1 when a row has a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(importing.COLUMNS), help="What the file holds.")
        parser.add_argument("file", metavar="FILE", help="A .csv or .xlsx file.")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="The functional administrator the import acts as (their organisation; the access log).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every row; store nothing.")
        parser.add_argument(
            "--partial", action="store_true", help="Store the rows without problems, even when others have."
        )
        parser.add_argument(
            "--language", choices=["nl", "en"], default="nl", help="Language of the messages."
        )

    def handle(self, *args, kind, file, username, dry_run, partial, language, **options):
        translation.activate(language)
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {username!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            rows = importing.read_table(path.read_bytes(), path.name)
            report = import_file(
                actor=actor, kind=kind, rows=rows, source=path.name, dry_run=dry_run, partial=partial
            )
        except importing.FileProblem as problem:
            raise CommandError(str(problem)) from None
        except PermissionDeniedError:
            raise CommandError(f"{username} is not a functional administrator.") from None
        for problem in report.problems:
            where = f"rij {problem.row}" if language == "nl" else f"row {problem.row}"
            column = f", {problem.column}" if problem.column else ""
            self.stdout.write(f"{where}{column}: {problem.message}")
        self.stdout.write(_summary(report, language))
        if report.problems:
            raise SystemExit(1)


def _summary(report: importing.Report, language: str) -> str:
    with translation.override(language):
        if report.dry_run:
            return translation.gettext(
                "Checked %(rows)s rows: %(failed)s with problems. Nothing was stored (dry run)."
            ) % {"rows": report.rows, "failed": report.failed_rows}
        return translation.gettext("Read %(rows)s rows: %(stored)s stored, %(failed)s with problems.") % {
            "rows": report.rows,
            "stored": report.stored,
            "failed": report.failed_rows,
        }
