"""``waardewerk principles load FILE [--check]``, ``principles show`` and ``principles list``."""

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from waardewerk.audit.services import audit_record
from waardewerk.knowledge import selectors, services
from waardewerk.knowledge.principles import PrinciplesError, parse_principles


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
            return self._load(options["file"], options["check"])
        found = selectors.current_principles()
        if found is None:
            raise CommandError("No guiding principles are loaded.")
        version, _reader = found
        if subcommand == "show":
            self.stdout.write(
                yaml.safe_dump(version.definition, allow_unicode=True, sort_keys=False, width=110), ending=""
            )
            return
        for v in selectors.principle_versions():
            who = str(v.created_by or "–") if v.is_edit else f"loaded by {v.loaded_by}"
            note = v.note or (f"file {v.source_file}" if v.source_file else "")
            current = " (current)" if v.pk == version.pk else ""
            self.stdout.write(f"{v.version}{current}\t{v.loaded_at:%Y-%m-%d %H:%M}\t{who}\t{note}")

    def _load(self, name, check_only):
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{name}: cannot read the file ({error})") from None
        try:
            if check_only:
                definition = parse_principles(text, str(path))
                self.stdout.write(f"{name}: {definition['key']} version {definition['version']} is valid")
                return
            result = services.principles_load(text, filename=str(path), loaded_by="command line")
        except PrinciplesError as error:
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
            object_type=services.PRINCIPLES_AUDIT_TYPE,
            on_behalf_of="command line",
            detail={"version": stored.version, "file": stored.source_file},
        )
        current = stored.principle_set.current_id == stored.pk
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}: loaded version {stored.version}"
                + ("" if current else " (a higher version stays current)")
            )
        )
