"""``waardewerk retention plan|run [--dry-run]|schedule``: the retention rules on the command line
(docs/privacy.md)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from waardewerk.privacy import services, tasks


class Command(BaseCommand):
    help = (
        "Retention: 'plan' lists what would go now; 'run' erases it ('--dry-run' only counts); "
        "'schedule' queues the daily run."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["plan", "run", "schedule"])
        parser.add_argument("--dry-run", action="store_true", help="With 'run': count, change nothing.")
        parser.add_argument(
            "--list",
            action="store_true",
            help="With 'plan': list the clients' public ids whose file would go.",
        )

    def handle(self, *args, what, dry_run, list, **options):
        if what == "schedule":
            queued = tasks.schedule()
            self.stdout.write("queued" if queued else "already waiting (or the queue cannot defer)")
            return
        if what == "plan" or dry_run:
            for entry in services.plan(list_clients=list):
                rule = entry.rule
                line = (
                    f"{rule.key:20} {rule.days:>5} days  before {timezone.localtime(entry.cutoff):%Y-%m-%d}  "
                )
                if not rule.automatic:
                    line += "not automatic (maintenance step)"
                else:
                    line += f"would go: {entry.count}"
                    if rule.key == "client_file":
                        line += f"  kept under legal hold: {entry.held}"
                self.stdout.write(line)
                for client in entry.clients:
                    self.stdout.write(f"  {client.uuid}  last end {client.last_end or '-'}")
            return
        done = services.run()
        for key, count in done.items():
            self.stdout.write(f"{key:20} {count}")
