"""``waardewerk notifications send``: attempt every notification whose time has come (docs/api.md). The
worker queues each retry for its time; this is for a server that runs tasks in the request
(``WAARDEWERK_TASKS=immediate``), which cannot defer them: run it every few minutes from cron."""

from django.core.management.base import BaseCommand

from waardewerk.api.tasks import send_due


class Command(BaseCommand):
    help = "Send the API's notifications that are due (retries)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send"])

    def handle(self, *args, **options):
        count = send_due.call()
        self.stdout.write(f"{count} notification(s) attempted.")
