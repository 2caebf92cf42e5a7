"""``waardewerk principles load FILE [--check]``, ``principles show`` and ``principles list``."""

import yaml
from django.core.management.base import BaseCommand, CommandError

from waardewerk.audit.services import audit_record
from waardewerk.core.content_command import LOADED_BY, load_file, write_versions
from waardewerk.knowledge import selectors, services
from waardewerk.knowledge.principles import parse_principles


class Command(BaseCommand):
    help = (
        "Load the guiding principles from a file (YAML or JSON, see docs/knowledge.md), show them or list "
        "their versions."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Check and load a principles file; it becomes a new version.")
        load.add_argument("file", metavar="FILE")
        load.add_argument("--check", action="store_true", help="Only check the file; store nothing.")
        sub.add_parser("show", help="Print the current version of the principles as YAML.")
        sub.add_parser("list", help="The versions of the principles: date, author and what changed.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "load":
            load_file(
                self,
                options["file"],
                check_only=options["check"],
                parse=parse_principles,
                load=services.principles_load,
                on_created=_logged,
            )
            return
        found = selectors.current_principles()
        if found is None:
            raise CommandError("No guiding principles are loaded.")
        version, _reader = found
        if subcommand == "show":
            self.stdout.write(
                yaml.safe_dump(version.definition, allow_unicode=True, sort_keys=False, width=110), ending=""
            )
            return
        write_versions(self, selectors.principle_versions(), version.pk)


def _logged(stored) -> None:
    audit_record(
        actor=None,
        action="create",
        object_type=services.PRINCIPLES_AUDIT_TYPE,
        on_behalf_of=LOADED_BY,
        detail={"version": stored.version, "file": stored.source_file},
    )
