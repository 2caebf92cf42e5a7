"""``waardewerk intervision methods load FILE [--check]``, ``methods list`` and ``methods show KEY``."""

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from waardewerk.audit.services import audit_record
from waardewerk.intervision import selectors, services
from waardewerk.intervision.method import MethodError, parse_method


class Command(BaseCommand):
    help = "Intervision methods: load one from a file (docs/intervision.md), list them, or show one."

    def add_arguments(self, parser):
        area = parser.add_subparsers(dest="area", required=True)
        methods = area.add_parser("methods", help="Intervision methods (versioned content).")
        sub = methods.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Check and load a method file; it becomes a new version.")
        load.add_argument("file", metavar="FILE")
        load.add_argument("--check", action="store_true", help="Only check the file; store nothing.")
        sub.add_parser("list", help="The methods with their current version.")
        show = sub.add_parser("show", help="Print the current version of a method as YAML.")
        show.add_argument("key", metavar="KEY")

    def handle(self, *args, area, subcommand, **options):
        if subcommand == "load":
            return self._load(options["file"], options["check"])
        if subcommand == "list":
            for method in selectors.methods():
                self.stdout.write(
                    f"{method.key}\tversion {method.version}\t{len(method.phases)} phases, "
                    f"{method.minutes} min\t{method.title}"
                )
            return
        found = selectors.method(options["key"])
        if found is None:
            raise CommandError(f"No intervision method '{options['key']}' is loaded.")
        self.stdout.write(yaml.safe_dump(found[0].definition, allow_unicode=True, sort_keys=False), ending="")

    def _load(self, name, check_only):
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{name}: cannot read the file ({error})") from None
        try:
            if check_only:
                definition = parse_method(text, str(path))
                self.stdout.write(f"{name}: {definition['key']} version {definition['version']} is valid")
                return
            result = services.method_load(text, filename=str(path), loaded_by="command line")
        except MethodError as error:
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
            object_type="intervision.methodversion",
            on_behalf_of="command line",
            detail={"method": stored.method.key, "version": stored.version, "file": stored.source_file},
        )
        current = stored.method.current_id == stored.pk
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}: loaded version {stored.version} of {stored.method.key}"
                + ("" if current else " (a higher version stays current)")
            )
        )
