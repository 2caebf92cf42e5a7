"""``waardewerk intervision methods|checkpoints load FILE [--check]``, ``... list`` and ``... show KEY``."""

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from waardewerk.audit.services import audit_record
from waardewerk.intervision import selectors, services
from waardewerk.intervision.method import MethodError, parse_method
from waardewerk.intervision.review import CheckpointError, checkpoints_of, parse_checkpoints

KINDS = {
    # area -> (parse, error, load, store, audit object type)
    "methods": (
        parse_method,
        MethodError,
        services.method_load,
        services.METHODS,
        "intervision.methodversion",
    ),
    "checkpoints": (
        parse_checkpoints,
        CheckpointError,
        services.checkpoints_load,
        services.CHECKPOINTS,
        "intervision.checkpointsetversion",
    ),
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
            return self._load(area, options["file"], options["check"])
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

    def _load(self, area, name, check_only):
        parse, error_class, load, _store, object_type = KINDS[area]
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{name}: cannot read the file ({error})") from None
        try:
            if check_only:
                definition = parse(text, str(path))
                self.stdout.write(f"{name}: {definition['key']} version {definition['version']} is valid")
                return
            result = load(text, filename=str(path), loaded_by="command line")
        except error_class as error:
            self.stderr.write(f"{name}: not loaded, {len(error.problems)} problem(s):")
            for problem in error.problems:
                self.stderr.write(f"  - {problem}")
            raise CommandError(f"{name}: not loaded.") from None
        stored = result.version
        if not result.created:
            self.stdout.write(f"{name}: version {stored.version} was already loaded")
            return
        audit_record(
            actor=None,
            action="create",
            object_type=object_type,
            on_behalf_of="command line",
            detail={"key": stored.item.key, "version": stored.version, "file": stored.source_file},
        )
        current = stored.item.current_id == stored.pk
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}: loaded version {stored.version} of {stored.item.key}"
                + ("" if current else " (a higher version stays current)")
            )
        )
