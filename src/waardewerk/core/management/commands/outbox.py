"""``waardewerk outbox status|retry [--all]``: the outgoing e-mail and text messages (docs/operations.md)."""

from django.core.management.base import BaseCommand

from waardewerk.core import outbox


class Command(BaseCommand):
    help = (
        "Outgoing messages: 'status' counts them; 'retry' sends what waits ('--all': failed and unknown too)."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["status", "retry"])
        parser.add_argument("--all", action="store_true", help="Also failed messages and unknown ones.")

    def handle(self, *args, what, all, **options):
        if what == "retry":
            self.stdout.write(f"queued {outbox.retry(include_unknown=all)}")
            return
        for status, count in outbox.summary()["counts"].items():
            self.stdout.write(f"{status:10} {count}")
