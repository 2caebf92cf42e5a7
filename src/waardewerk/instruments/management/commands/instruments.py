"""``waardewerk instruments load FILE [FILE ...]``, ``instruments list`` and ``instruments show KEY``."""

import json

from django.core.management.base import BaseCommand, CommandError

from waardewerk.core.content_command import load_file
from waardewerk.instruments import services
from waardewerk.instruments.definition import parse_definition
from waardewerk.instruments.models import Instrument


class Command(BaseCommand):
    help = "Load instrument definitions (YAML or JSON, see docs/instrument-format.md) or list them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Check and load definition files; each becomes a new version.")
        load.add_argument("files", nargs="+", metavar="FILE")
        load.add_argument("--check", action="store_true", help="Only check the files; store nothing.")
        sub.add_parser("list", help="The instruments and their versions.")
        show = sub.add_parser("show", help="Print the current definition of an instrument as JSON.")
        show.add_argument("key")

    def handle(self, *args, subcommand, **options):
        if subcommand == "load":
            return self._load(options["files"], options["check"])
        if subcommand == "show":
            instrument = Instrument.objects.select_related("current").filter(key=options["key"]).first()
            if instrument is None or instrument.current is None:
                raise CommandError(f"No instrument '{options['key']}' is loaded.")
            self.stdout.write(json.dumps(instrument.current.definition, ensure_ascii=False, indent=2))
            return
        for instrument in Instrument.objects.prefetch_related("versions").order_by("key"):
            versions = ", ".join(str(v.version) for v in instrument.versions.all())
            current = instrument.current.definition if instrument.current_id else {}
            title = current.get("title", {}).get("nl", "")
            status = current.get("validation", {}).get("status", "")
            self.stdout.write(f"{instrument.key}\tversions {versions}\t{status}\t{title}")

    def _load(self, files, check_only):
        failed = 0
        for name in files:
            try:
                load_file(
                    self, name, check_only=check_only, parse=parse_definition, load=services.instrument_load
                )
            except CommandError as error:
                self.stderr.write(str(error))
                failed += 1
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) not loaded.")
