"""``waardewerk demo``: fill the database with the fictional Werkplein Lindendaal and print the log-ins."""

from django.core.management.base import BaseCommand, CommandError

from waardewerk.sampledata.demo import DEMO_ACCOUNTS, ORGANISATION_NAME, DemoError, create_demo, delete_demo
from waardewerk.sampledata.portal import portal_agreements, portal_clients, preference_corrections


class Command(BaseCommand):
    help = (
        f"Create demo data ({ORGANISATION_NAME}: staff, 48 clients with trajectories and history, "
        "earlier closed trajectories for the quality pages) unless it is already present, and print the "
        "demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organisation and all its data first, then create it again.",
        )

    def handle(self, *args, reset=False, **options):
        try:
            if reset and delete_demo():
                self.stdout.write(f"Removed the existing demo data of {ORGANISATION_NAME}.")
            summary = create_demo()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if summary is None:
            self.stdout.write(f"Demo data already present ({ORGANISATION_NAME}); nothing created.")
        else:
            counts = ", ".join(f"{n} {label}" for label, n in summary.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Created demo data for {ORGANISATION_NAME}: {counts}."))
        self.print_accounts()
        self.print_portal_hint()

    def print_accounts(self):
        headers = ("Username", "Role", "Password", "What you see")
        rows = [(a.username, a.role, a.password, a.description) for a in DEMO_ACCOUNTS]
        widths = [max(len(str(row[i])) for row in (headers, *rows)) for i in range(len(headers))]

        def line(cells):
            return "  ".join(
                str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write("")
        self.stdout.write("Demo accounts (log in with the user name and password):")
        self.stdout.write(self.style.MIGRATE_HEADING(line(headers)))
        self.stdout.write(line("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))

    def print_portal_hint(self):
        clients = portal_clients()
        if not clients:
            return
        self.stdout.write("")
        self.stdout.write("Client portal (My Waardewerk, /portal/): clients with a portal account, e.g.")
        for name, trajectory in clients:
            who = trajectory.responsible.username if trajectory else "?"
            self.stdout.write(f"  {name} (professional: {who})")
        self.stdout.write(
            "Log in as that professional, open the client's trajectory, 'Cliëntportaal', and send a link: "
            "with WAARDEWERK_DEBUG=1 the page shows the link (development only) and this console prints the "
            "one-time code after the client presses 'Stuur mij de code'. Open the link in a private window."
        )
        agreed = portal_agreements()
        if agreed:
            self.stdout.write("")
            self.stdout.write("Plans agreed by the client in the portal:")
            for name, who in agreed:
                self.stdout.write(f"  {name} (professional: {who}): see the trajectory's plan and timeline")
        corrected = preference_corrections()
        if corrected:
            self.stdout.write("")
            self.stdout.write(
                "Preferences corrected by the client in the portal (on a choice of the agreed plan):"
            )
            for name, who in corrected:
                self.stdout.write(f"  {name} (professional: {who}): see the trajectory's plan and timeline")
