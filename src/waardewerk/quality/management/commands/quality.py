"""``waardewerk quality compute [--organisation UUID]``: compute the team quality figures now
(docs/quality.md). The pages compute them on demand when they are older than ``QUALITY_MAX_AGE_HOURS``;
run this from a nightly job so no page has to."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from waardewerk.accounts.models import Organisation
from waardewerk.quality import figures


class Command(BaseCommand):
    help = "Team quality: compute the figures per team and quarter (docs/quality.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        compute = sub.add_parser("compute", help="Compute the figures of every organisation (or of one) now.")
        compute.add_argument("--organisation", metavar="UUID", help="Only this organisation (its public id).")

    def handle(self, *args, subcommand, organisation=None, **options):
        organisations = Organisation.objects.order_by("name")
        if organisation:
            try:
                found = list(organisations.filter(uuid=organisation))
            except ValidationError:  # a malformed UUID
                found = []
            if not found:
                raise CommandError(f"No organisation with public id '{organisation}'.")
            organisations = found
        for org in organisations:
            snapshot = figures.refresh(org.pk)
            self.stdout.write(
                f"{org.name}: {snapshot.scopes.count()} scopes, computed in "
                f"{snapshot.seconds:.1f} s (k = {snapshot.min_cell_size})"
            )
