"""``waardewerk restore IN``: a backup into an empty database, checked against its manifest
(waardewerk.core.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waardewerk.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `waardewerk backup` into the configured database, which must be empty "
        "(no tables), and check every table's row count and checksum against the backup's manifest. "
        "Exit code 1 when they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="IN", help="The backup's directory (with manifest.json).")
        parser.add_argument("--database", default="default", help="Database alias (default).")

    def handle(self, *args, directory, database, **options):
        try:
            result = backup.restore(Path(directory), alias=database)
            manifest = backup.read_manifest(Path(directory))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for line in result.differences:
                self.stderr.write(line)
            raise CommandError(
                "The restored database does not match the backup's manifest (above). Do not use it: "
                "restore again from an undamaged copy."
            )
        rows = sum(table["rows"] for table in result.found.values())
        self.stdout.write(
            f"Restored {len(result.found)} tables, {rows:,} rows, from a backup of {manifest['created_at']} "
            f"(version {manifest['app_version']}); every count and checksum matches the manifest."
        )
        pending, unknown = backup.migration_state(manifest, alias=database)
        if unknown:
            self.stdout.write(
                f"The backup has {len(unknown)} migrations this version of Waardewerk does not know (e.g. "
                f"{unknown[0]}): it was made by a newer version. Install that version before using it."
            )
        elif pending:
            self.stdout.write(
                f"This version has {pending} migrations the backup had not applied: run `waardewerk migrate`."
            )
        self.stdout.write(
            "Next: start the app with the field keys and the audit key that were in use when the backup was "
            "made, and run `waardewerk audit verify`."
        )
