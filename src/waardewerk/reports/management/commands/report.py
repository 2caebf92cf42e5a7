"""``waardewerk report TRAJECTORY_UUID OUT.pdf [--audience file|commissioner|employer] [--language nl|en]``
(docs/reports.md)."""

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waardewerk.reports import selectors, services
from waardewerk.reports.rules import Audience


class Command(BaseCommand):
    help = (
        "Write the PDF report of a trajectory. The print is recorded in the access log as done from the "
        "command line. See docs/reports.md for what each version contains."
    )

    def add_arguments(self, parser):
        parser.add_argument("trajectory", metavar="TRAJECTORY_UUID", help="The trajectory's public id.")
        parser.add_argument("output", metavar="OUT.pdf", help="Where to write the PDF ('-' is not allowed).")
        parser.add_argument(
            "--audience",
            choices=Audience.values,
            default=Audience.FILE.value,
            help="Who the report is for (default: file, the client's file).",
        )
        parser.add_argument(
            "--language", choices=services.LANGUAGES, default="nl", help="Language (default: nl)."
        )

    def handle(self, *args, trajectory, output, audience, language, **options):
        try:
            key = uuid.UUID(trajectory)
        except ValueError:
            raise CommandError(f"'{trajectory}' is not a trajectory id (a UUID).") from None
        found = selectors.report_queryset(unscoped=True).filter(uuid=key).first()
        if found is None:
            raise CommandError(f"No trajectory with id {key}.")
        try:
            services.check_consent(found, audience)
        except services.ConsentMissing as error:
            raise CommandError(str(error)) from None
        path = Path(output)
        if path.is_dir():
            raise CommandError(f"{path} is a directory; give the name of the PDF file to write.")
        created = not path.exists()
        try:
            # Opened before the report is made: an unwritable path fails at once, and an existing file is
            # only replaced once the report is there.
            handle = path.open("xb" if created else "r+b")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from None
        with handle:
            try:
                pdf = services.report_print(
                    actor=None,
                    trajectory=found,
                    audience=audience,
                    language=language,
                    on_behalf_of="command line",
                )
            except BaseException:
                handle.close()
                if created:
                    path.unlink(missing_ok=True)
                raise
            handle.seek(0)
            handle.write(pdf)
            handle.truncate()
        # No client name here: terminal output ends up in logs.
        self.stdout.write(
            f"Wrote {path} ({len(pdf) // 1024} KiB): the {audience} version of the report of trajectory "
            f"{key} ({language})."
        )
