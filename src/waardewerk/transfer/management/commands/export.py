"""``waardewerk export organisation ORGANISATION OUT.zip`` (docs/export.md)."""

import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waardewerk.accounts.models import Organisation
from waardewerk.transfer.services import export_to_file


class Command(BaseCommand):
    help = (
        "Export an organisation's whole data (JSON and CSV per entity, a data dictionary) into a zip file. "
        "The export is recorded in the access log as done from the command line. See docs/export.md."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="what", required=True, metavar="organisation")
        organisation = commands.add_parser("organisation", help="The whole data of one organisation.")
        organisation.add_argument(
            "organisation", metavar="ORGANISATION", help="The organisation's public id (UUID) or exact name."
        )
        organisation.add_argument("output", metavar="OUT.zip", help="The zip file to write (must not exist).")

    def handle(self, *args, what, organisation, output, **options):
        found = _organisation(organisation)
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} exists already; give the name of a new file.")
        if not path.parent.is_dir():
            raise CommandError(f"The directory {path.parent} does not exist.")
        try:
            manifest = export_to_file(organisation=found, path=path)
        except OSError as error:
            path.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from None
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Wrote {path}: {len(manifest['counts'])} entities, {rows} rows. It holds personal data in plain "
            "text: keep it encrypted and delete it when it is no longer needed."
        )


def _organisation(value: str) -> Organisation:
    try:
        key = uuid.UUID(value)
    except ValueError:
        matches = list(Organisation.objects.filter(name=value)[:2])
    else:
        matches = list(Organisation.objects.filter(uuid=key)[:2])
    if len(matches) != 1:
        names = ", ".join(f"{item.name} ({item.uuid})" for item in Organisation.objects.order_by("name")[:20])
        reason = "More than one organisation has that name" if matches else "No such organisation"
        raise CommandError(f"{reason}. Organisations: {names or 'none'}.")
    return matches[0]
