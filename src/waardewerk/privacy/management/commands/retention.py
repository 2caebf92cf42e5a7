"""``waardewerk retention plan|run [--dry-run]|schedule``: the retention rules on the command line
(docs/privacy.md)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from waardewerk.privacy import services, tasks


class Command(BaseCommand):
    help = (
        "Retention: 'plan' lists per organisation and action what would go now; 'run' applies the rules "
        "and proposes or carries out destruction lists ('--dry-run' only lists); "
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
            for organisation, entries in services.installation_plan(list_clients=list):
                self.stdout.write(organisation.name if organisation is not None else "(no organisation)")
                for entry in entries:
                    self._line(entry)
            return
        done = services.run()
        for key, count in done.items():
            self.stdout.write(f"{key:20} {count}")

    def _line(self, entry):
        rule = entry.rule
        line = (
            f"  {rule.key:20} {entry.days:>5} days  {entry.action:10} "
            f"before {timezone.localtime(entry.cutoff):%Y-%m-%d}  "
        )
        if not rule.automatic:
            line += "not automatic (maintenance step)"
        else:
            line += f"would go: {entry.count}"
            if rule.key == "client_file":
                line += f"  kept under legal hold: {entry.held}  (after approval by two people)"
        self.stdout.write(line)
        for client in entry.clients:
            self.stdout.write(f"    {client.uuid}  last end {client.last_end or '-'}  {entry.action}")
