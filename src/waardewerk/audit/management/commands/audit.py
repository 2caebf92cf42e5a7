"""``waardewerk audit verify [--checkpoint FILE]``, ``waardewerk audit checkpoint`` and
``waardewerk audit export --since DATE --format jsonl``."""

import csv
import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from waardewerk.audit import selectors, services
from waardewerk.audit.models import AccessEvent


class Command(BaseCommand):
    help = "Verify the access log's hash chain, sign its head (a checkpoint), or export it (e.g. for a SIEM)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify",
            help="Recompute the hash chain and check it against the checkpoints; exit code 1 when a row was "
            "altered or removed (also from the end).",
        )
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="Also check against checkpoints kept outside the database (JSON lines as printed by "
            "`audit checkpoint`).",
        )
        sub.add_parser(
            "checkpoint",
            help="Sign the chain's head with the audit key and print the checkpoint (run it from cron or a "
            "systemd timer; keep the output). Exit code 1 when rows were removed since the last one.",
        )
        export = sub.add_parser("export", help="Write the log from a date on to standard output.")
        export.add_argument("--since", required=True, help="First day (YYYY-MM-DD, UTC).")
        export.add_argument("--until", help="Last day (YYYY-MM-DD, UTC), default: today.")
        export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            return self.verify(options["checkpoint"])
        if subcommand == "checkpoint":
            self.stdout.write(json.dumps(services.checkpoint_as_dict(self.checkpoint("schedule"))))
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
        # The signed head goes to standard error, beside the export: keep it with the exported copy.
        self.stderr.write(json.dumps(services.checkpoint_as_dict(self.checkpoint("export"))))
        rows = selectors.export_rows(AccessEvent.objects.all(), since=since, until=until)  # the whole log
        out = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
        if options["format"] == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=selectors.EXPORT_FIELDS)
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "detail": json.dumps(row["detail"], ensure_ascii=False)})

    @staticmethod
    def checkpoint(reason):
        try:
            return services.checkpoint_write(reason=reason)
        except services.CheckpointRefused as exc:
            raise CommandError(str(exc)) from exc

    def verify(self, files):
        external = []
        for name in files:
            try:
                with open(name, encoding="utf-8") as handle:
                    external += [json.loads(line) for line in handle if line.strip()]
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read checkpoints from {name}: {exc}") from exc
        try:
            problems = services.verify(external=external)
        except (KeyError, TypeError) as exc:
            raise CommandError(f"A checkpoint given with --checkpoint is incomplete: {exc}") from exc
        count = selectors.event_count()
        latest = selectors.latest_checkpoint()
        if latest is None:
            self.stdout.write(
                "No checkpoint yet: rows removed from the end of the log cannot be detected. "
                "Schedule `waardewerk audit checkpoint` (docs/operations.md)."
            )
        else:
            after = selectors.event_count(after_id=latest.last_id)
            reason = latest.get_reason_display().lower()
            self.stdout.write(
                f"Latest checkpoint: {latest.at:%Y-%m-%d %H:%M:%S} UTC ({reason}), "
                f"{latest.row_count} rows up to row {latest.last_id}; {after} rows written since."
            )
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The access log is NOT intact: {len(problems)} problem(s) in {count} rows.")
        self.stdout.write(self.style.SUCCESS(f"The access log is intact: {count} rows verified."))
