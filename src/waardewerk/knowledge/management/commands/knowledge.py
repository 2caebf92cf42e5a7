"""``waardewerk knowledge entries load FILE... [--check]``, ``knowledge entries export [--out FILE]`` and
``knowledge entries list``: the knowledge base's entries as files (docs/knowledge.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from waardewerk.audit.services import audit_record
from waardewerk.knowledge import services
from waardewerk.knowledge.entry import EntryError
from waardewerk.knowledge.models import KnowledgeEntry


class Command(BaseCommand):
    help = "Load knowledge-base entries from files (YAML or JSON), export them, or list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="part", required=True)
        entries = sub.add_parser("entries", help="The entries of the knowledge base.")
        action = entries.add_subparsers(dest="action", required=True)
        load = action.add_parser("load", help="Check and load entry files; each becomes a published version.")
        load.add_argument("files", metavar="FILE", nargs="+")
        load.add_argument("--check", action="store_true", help="Only check the files; store nothing.")
        export = action.add_parser(
            "export", help="Write the current version of every entry as one YAML file."
        )
        export.add_argument("--out", metavar="FILE", help="The file to write (default: standard output).")
        export.add_argument(
            "--all", action="store_true", help="Also the organisations' own entries (not loadable elsewhere)."
        )
        action.add_parser("list", help="Key, version, status, kind and recognition of every entry.")

    def handle(self, *args, part, action, **options):
        if action == "load":
            return self._load(options["files"], options["check"])
        entries = KnowledgeEntry.objects.exclude(current=None).select_related("current").order_by("key")
        if action == "list":
            for entry in entries:
                own = f"\torganisation {entry.organisation_id}" if entry.organisation_id else ""
                self.stdout.write(
                    f"{entry.key}\tv{entry.current.version}\t{entry.status}\t{entry.kind}\t{entry.recognition}{own}"
                )
            return
        if not options["all"]:
            entries = entries.filter(organisation=None)
        entries = list(entries)
        text = services.entries_export(entries)
        if options["out"]:
            try:
                Path(options["out"]).write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"{options['out']}: cannot write ({error})") from None
            self.stdout.write(self.style.SUCCESS(f"{len(entries)} entries written to {options['out']}"))
        else:
            self.stdout.write(text, ending="")
        audit_record(
            actor=None,
            action="export",
            object_type=services.ENTRY_AUDIT_TYPE,
            on_behalf_of="command line",
            detail={"entries": len(entries)},
        )

    def _load(self, names, check_only):
        failed = False
        for name in names:
            path = Path(name)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                self.stderr.write(f"{name}: cannot read the file ({error})")
                failed = True
                continue
            try:
                if check_only:
                    raw = services.load_text(text, str(path), EntryError)
                    for item in raw if isinstance(raw, list) else [raw]:
                        services.ENTRIES.check(item)
                    self.stdout.write(f"{name}: valid")
                    continue
                results = services.entries_load(text, filename=str(path), loaded_by="command line")
            except EntryError as error:
                self.stderr.write(f"{name}: not loaded, {len(error.problems)} problem(s):")
                for problem in error.problems:
                    self.stderr.write(f"  - {problem}")
                failed = True
                continue
            for result in results:
                stored = result.version
                if not result.created:
                    self.stdout.write(
                        f"{name}: {stored.entry.key} version {stored.version} was already loaded"
                    )
                    continue
                audit_record(
                    actor=None,
                    action="create",
                    object_type=services.ENTRY_AUDIT_TYPE,
                    on_behalf_of="command line",
                    detail={"entry": stored.entry.key, "version": stored.version, "file": stored.source_file},
                )
                self.stdout.write(
                    self.style.SUCCESS(f"{name}: loaded {stored.entry.key} version {stored.version}")
                )
        if failed:
            raise CommandError("Not every file was loaded.")
