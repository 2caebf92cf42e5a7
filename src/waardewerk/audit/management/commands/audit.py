"""``waardewerk audit verify`` and ``waardewerk audit export --since DATE --format jsonl``."""

import csv
import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from waardewerk.audit import selectors, services


class Command(BaseCommand):
    help = "Verify the hash chain of the access log, or export it (e.g. for a SIEM)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "verify", help="Recompute the hash chain; exit code 1 when a row was altered or removed."
        )
        export = sub.add_parser("export", help="Write the log from a date on to standard output.")
        export.add_argument("--since", required=True, help="First day (YYYY-MM-DD, UTC).")
        export.add_argument("--until", help="Last day (YYYY-MM-DD, UTC), default: today.")
        export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            problems = services.verify()
            count = selectors.event_count()
            if problems:
                for problem in problems:
                    self.stderr.write(problem)
                raise CommandError(
                    f"The access log is NOT intact: {len(problems)} problem(s) in {count} rows."
                )
            self.stdout.write(self.style.SUCCESS(f"The access log is intact: {count} rows verified."))
            return
        since = parse_date(options["since"] or "")
        until = parse_date(options["until"]) if options.get("until") else dt.date.today()
        if since is None or until is None:
            raise CommandError("Give dates as YYYY-MM-DD.")
        services.audit_record(
            actor=None,
            action="export",
            object_type="audit_log",
            detail={"since": str(since), "until": str(until), "via": "command"},
        )
        rows = selectors.export_rows(since=since, until=until)
        out = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
        if options["format"] == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=selectors.EXPORT_FIELDS)
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "detail": json.dumps(row["detail"], ensure_ascii=False)})
