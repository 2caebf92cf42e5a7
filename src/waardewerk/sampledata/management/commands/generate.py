"""``waardewerk generate --clients N --seed S``: realistic synthetic data at scale (docs/performance.md)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from waardewerk.sampledata.generate import GenerateError, Generator


class Command(BaseCommand):
    help = (
        "Fill the database with deterministic synthetic data: organisations, teams, professionals, clients, "
        "trajectories with their history, and the access log. Refuses a database that already holds "
        "clients, unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True, help="Number of clients, e.g. 100000.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (default 1): same seed, same data."
        )
        parser.add_argument(
            "--today",
            help="Base date (YYYY-MM-DD) the history is placed before; default: today. Pin it for the same "
            "data on another day.",
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add a separate set of organisations to a database that already holds clients.",
        )
        parser.add_argument(
            "--password",
            help="Password for every generated staff user (default: none, they cannot log in with one). "
            "Never on a production database.",
        )

    def handle(self, *args, clients, seed, today=None, append=False, password=None, **options):
        base = None
        if today:
            try:
                base = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("Give --today as YYYY-MM-DD.") from exc
        generator = Generator(
            clients=clients,
            seed=seed,
            today=base,
            password=password,
            append=append,
            progress=self.stdout.write,
        )
        self.stdout.write(f"Generating {clients:,} clients (seed {seed}, base date {generator.today}) ...")
        try:
            result = generator.run()
        except GenerateError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(f"{'table':<32} {'rows':>12} {'seconds':>9} {'rows/s':>10}")
        for table, count in result.counts.items():
            seconds = result.seconds.get(table, 0.0)
            rate = f"{count / seconds:,.0f}" if seconds else "-"
            self.stdout.write(f"{table:<32} {count:>12,} {seconds:>9.1f} {rate:>10}")
        for label in ("audit_accessevent (indexes)", "analyze"):
            if label in result.seconds:
                self.stdout.write(f"{label:<32} {'':>12} {result.seconds[label]:>9.1f}")
        for table, (values, seconds) in result.encryption.items():
            self.stdout.write(
                f"  encryption in {table}: {values:,} values, {seconds:.1f} s "
                f"({seconds / values * 1e6 if values else 0:.1f} µs each)"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.clients:,} clients in {len(result.organisations)} organisation(s) "
                f"({', '.join(result.organisations)}) in {result.total_seconds:.1f} s."
            )
        )
