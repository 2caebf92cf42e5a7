"""``waardewerk insights compute [--organisation UUID]``: compute the figures of "what worked here" now
(docs/practice-evidence.md). The pages compute them on demand when they are older than
``INSIGHTS_MAX_AGE_HOURS``; run this from a nightly job so no page has to."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from waardewerk.accounts.models import Organisation
from waardewerk.insights import figures


class Command(BaseCommand):
    help = "Practice-based evidence: compute the figures of 'what worked here' (docs/practice-evidence.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        compute = sub.add_parser("compute", help="Compute the figures of every organisation (or of one) now.")
        compute.add_argument("--organisation", metavar="UUID", help="Only this organisation (its public id).")

    def handle(self, *args, subcommand, organisation=None, **options):
        organisations = Organisation.objects.order_by("name")
        if organisation:
            try:
                organisations = organisations.filter(uuid=organisation)
                found = list(organisations)
            except ValidationError:  # a malformed UUID
                found = []
            if not found:
                raise CommandError(f"No organisation with public id '{organisation}'.")
        for org in organisations:
            snapshot = figures.refresh(org.pk)
            entries = len(snapshot.figures.get("entries", {}))
            self.stdout.write(
                f"{org.name}: {entries} entries chosen, computed in {snapshot.seconds:.1f} s "
                f"(k = {snapshot.min_cell_size})"
            )
