"""``waardewerk research export --since DATE --out DIR [--organisation UUID]``: the pseudonymised research
export (docs/practice-evidence.md, "Research export"), written as files into DIR and logged."""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from waardewerk.accounts.models import Organisation
from waardewerk.insights import research
from waardewerk.insights.forms import check_since


def _day(text: str) -> dt.date:
    try:
        return check_since(dt.date.fromisoformat(text))
    except (ValueError, ValidationError):
        raise CommandError(
            f"--since: '{text}' is not a day between 1900-01-01 and today (YYYY-MM-DD)."
        ) from None


class Command(BaseCommand):
    help = "Research export: pseudonymised data of the clients who consented to research."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser(
            "export", help="Write the export (CSV, JSON, data dictionary) into a directory."
        )
        export.add_argument(
            "--since", required=True, metavar="DATE", help="Trajectories that ran on or after."
        )
        export.add_argument("--out", required=True, metavar="DIR", help="An empty or new directory.")
        export.add_argument(
            "--organisation", metavar="UUID", help="The organisation (needed when there is more than one)."
        )

    def handle(self, *args, subcommand, since, out, organisation=None, **options):
        day = _day(since)
        org = self._organisation(organisation)
        target = Path(out)
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(f"--out: {out} exists and is not an empty directory; nothing was written.")
        export = research.build(organisation_id=org.pk, since=day)
        files = export.files()
        try:
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            for name, content in files.items():
                (target / name).write_bytes(content)
        except OSError as error:
            raise CommandError(f"--out: cannot write to {out} ({error}).") from None
        research.log_export(export, actor=None, on_behalf_of="command line")
        rows = export.about()["rows"]
        self.stdout.write(
            self.style.SUCCESS(
                f"{org.name}: {len(export.client_uuids)} persons, {rows['trajectories']} trajectories, "
                f"{rows['choices']} choices, {rows['measurements']} measurements written to {target}"
            )
        )

    def _organisation(self, public_id):
        organisations = Organisation.objects.order_by("name")
        if public_id:
            try:
                found = organisations.filter(uuid=public_id).first()
            except ValidationError:
                found = None
            if found is None:
                raise CommandError(f"--organisation: no organisation with public id '{public_id}'.")
            return found
        found = list(organisations[:2])
        if not found:
            raise CommandError("There is no organisation yet.")
        if len(found) > 1:
            raise CommandError("There is more than one organisation: name one with --organisation UUID.")
        return found[0]
