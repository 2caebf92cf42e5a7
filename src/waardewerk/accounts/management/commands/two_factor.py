"""``waardewerk two_factor link USERNAME --reason TEXT [--base-url URL]``: for the server's operator, e.g.
for the first functional administrator, who has no other administrator to make a set-up link. Removes the
user's authenticator app and recovery codes, like the administrator's reset, and prints the one-time link.
The access log records it (no user, "via": "command")."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from waardewerk.accounts import services
from waardewerk.accounts.models import User


class Command(BaseCommand):
    help = "Make a one-time set-up link for two-step verification (resets the user's second factor)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        link = sub.add_parser("link", help="Reset the user's second factor and print a one-time set-up link.")
        link.add_argument("username")
        link.add_argument("--reason", required=True, help="Why, for the access log.")
        link.add_argument("--base-url", default="", help="e.g. https://waardewerk.example.nl")

    def handle(self, *args, username, reason, base_url, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        try:
            enrolment, token = services.two_factor_reset(
                actor=None, user=user, reason=reason, by_operator=True
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        path = reverse("accounts:two_factor_enrol", args=[token])
        self.stdout.write(f"{base_url.rstrip('/')}{path}")
        self.stderr.write(f"The link works once, until {enrolment.expires_at:%Y-%m-%d %H:%M %Z}.")
