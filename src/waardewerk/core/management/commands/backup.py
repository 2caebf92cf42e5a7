"""``waardewerk backup OUT``: a consistent copy of the database with a manifest (waardewerk.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waardewerk.core import backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database (SQLite's online backup, or pg_dump's custom format) "
        "with a manifest of row counts and checksums per table into the new directory OUT, while the app "
        "runs. Field keys and the audit key are not included: keep them apart."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="A directory that does not exist yet (or is empty).")
        parser.add_argument("--database", default="default", help="Database alias (default).")

    def handle(self, *args, out, database, **options):
        try:
            manifest = backup.backup(Path(out), alias=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Backup of the {manifest['database']['kind']} database written to {out}: "
            f"{manifest['file']['name']} ({manifest['file']['bytes']:,} bytes), {len(manifest['tables'])} "
            f"tables, {rows:,} rows; manifest.json has their counts and checksums."
        )
        self.stdout.write(backup.KEYS_NOTE)
