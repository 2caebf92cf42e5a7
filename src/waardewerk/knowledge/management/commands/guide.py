"""``waardewerk guide load FILE [--check]``, ``guide show`` and ``guide list``."""

from django.core.management.base import BaseCommand, CommandError

from waardewerk.audit.services import audit_record
from waardewerk.core.content_command import LOADED_BY, load_file, write_versions
from waardewerk.knowledge import selectors, services
from waardewerk.knowledge.guide import parse_guide, to_yaml


class Command(BaseCommand):
    help = (
        "Load the conversation guide from a file (YAML or JSON, see docs/conversation-guide.md), "
        "show it or list its versions."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Check and load a guide file; it becomes a new version.")
        load.add_argument("file", metavar="FILE")
        load.add_argument("--check", action="store_true", help="Only check the file; store nothing.")
        sub.add_parser("show", help="Print the current version of the guide as YAML.")
        sub.add_parser("list", help="The versions of the guide: date, author and what changed.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "load":
            load_file(
                self,
                options["file"],
                check_only=options["check"],
                parse=parse_guide,
                load=services.guide_load,
                on_created=_logged,
            )
            return
        found = selectors.current_guide()
        if found is None:
            raise CommandError("No conversation guide is loaded.")
        version, guide = found
        if subcommand == "show":
            self.stdout.write(to_yaml(version.definition), ending="")
            return
        write_versions(self, selectors.guide_versions(guide.key), version.pk)


def _logged(stored) -> None:
    audit_record(
        actor=None,
        action="create",
        object_type=services.AUDIT_TYPE,
        on_behalf_of=LOADED_BY,
        detail={"guide": stored.guide.key, "version": stored.version, "file": stored.source_file},
    )
