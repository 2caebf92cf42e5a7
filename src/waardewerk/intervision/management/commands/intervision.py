"""``waardewerk intervision methods|checkpoints load FILE [--check]``, ``... list`` and ``... show KEY``."""

import yaml
from django.core.management.base import BaseCommand, CommandError

from waardewerk.audit.services import audit_record
from waardewerk.core.content_command import LOADED_BY, load_file
from waardewerk.intervision import selectors, services
from waardewerk.intervision.method import parse_method
from waardewerk.intervision.review import checkpoints_of, parse_checkpoints

KINDS = {
    # area -> (parse, load, audit object type)
    "methods": (parse_method, services.method_load, "intervision.methodversion"),
    "checkpoints": (parse_checkpoints, services.checkpoints_load, "intervision.checkpointsetversion"),
}


class Command(BaseCommand):
    help = (
        "Intervision methods and review checkpoints: load one from a file (docs/intervision.md), list them, "
        "or show one."
    )

    def add_arguments(self, parser):
        area = parser.add_subparsers(dest="area", required=True)
        for name, what in (("methods", "Intervision methods"), ("checkpoints", "Review checkpoint sets")):
            kind = area.add_parser(name, help=f"{what} (versioned content).")
            sub = kind.add_subparsers(dest="subcommand", required=True)
            load = sub.add_parser("load", help="Check and load a file; it becomes a new version.")
            load.add_argument("file", metavar="FILE")
            load.add_argument("--check", action="store_true", help="Only check the file; store nothing.")
            sub.add_parser("list", help="Each with its current version.")
            show = sub.add_parser("show", help="Print the current version as YAML.")
            show.add_argument("key", metavar="KEY")

    def handle(self, *args, area, subcommand, **options):
        if subcommand == "load":
            parse, load, object_type = KINDS[area]

            def logged(stored) -> None:
                audit_record(
                    actor=None,
                    action="create",
                    object_type=object_type,
                    on_behalf_of=LOADED_BY,
                    detail={"key": stored.item.key, "version": stored.version, "file": stored.source_file},
                )

            load_file(
                self, options["file"], check_only=options["check"], parse=parse, load=load, on_created=logged
            )
            return
        if area == "checkpoints":
            return self._checkpoints(subcommand, options.get("key"))
        if subcommand == "list":
            for method in selectors.methods(None):
                self.stdout.write(
                    f"{method.key}\tversion {method.version}\t{len(method.phases)} phases, "
                    f"{method.minutes} min\t{method.title}"
                )
            return
        found = selectors.method(None, options["key"])
        if found is None:
            raise CommandError(f"No intervision method '{options['key']}' is loaded.")
        self.stdout.write(yaml.safe_dump(found[0].definition, allow_unicode=True, sort_keys=False), ending="")

    def _checkpoints(self, subcommand, key):
        store = services.CHECKPOINTS
        if subcommand == "list":
            for item in store.items().exclude(current=None).select_related("current").order_by("key"):
                definition = item.current.definition
                checks = checkpoints_of(definition)
                self.stdout.write(
                    f"{item.key}\tversion {item.current.version}\t{len(checks)} checkpoints\t"
                    + ", ".join(c.key for c in checks)
                )
            return
        version = store.current(key)
        if version is None:
            raise CommandError(f"No review checkpoint set '{key}' is loaded.")
        self.stdout.write(yaml.safe_dump(version.definition, allow_unicode=True, sort_keys=False), ending="")
