"""``waardewerk guide load FILE [--check]``, ``guide show`` and ``guide list``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waardewerk.audit.services import audit_record
from waardewerk.knowledge import selectors, services
from waardewerk.knowledge.guide import GuideError, parse_guide, to_yaml


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
            return self._load(options["file"], options["check"])
        found = selectors.current_guide()
        if found is None:
            raise CommandError("No conversation guide is loaded.")
        version, guide = found
        if subcommand == "show":
            self.stdout.write(to_yaml(version.definition), ending="")
            return
        for v in selectors.guide_versions(guide.key):
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
                definition = parse_guide(text, str(path))
                self.stdout.write(f"{name}: {definition['key']} version {definition['version']} is valid")
                return
            result = services.guide_load(text, filename=str(path), loaded_by="command line")
        except GuideError as error:
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
            object_type=services.AUDIT_TYPE,
            on_behalf_of="command line",
            detail={"guide": stored.guide.key, "version": stored.version, "file": stored.source_file},
        )
        current = stored.guide.current_id == stored.pk
        self.stdout.write(
            self.style.SUCCESS(
                f"{name}: loaded version {stored.version}"
                + ("" if current else " (a higher version stays current)")
            )
        )
