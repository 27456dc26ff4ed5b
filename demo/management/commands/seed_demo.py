"""`manage.py seed_demo`: fill a database of its own with the demo, and print its logins."""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from demo.organizations import DEMO_ORGANIZATIONS
from demo.people import DEMO_PASSWORD, SUPERUSER_EMAIL
from demo.schedule import BOOKING_DAYS
from demo.seed import other_organizations, seed_demo
from profiles.models import Role


class Command(BaseCommand):
    help = "Create or refresh demo organisations, buildings, people and two weeks of bookings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even a database that holds organisations the demo did not create.",
        )

    def handle(self, *args, force: bool = False, **options):
        # The demo adds a superuser whose password is in the README: never on real tenants'
        # database (a DATABASE_URL left pointing at production) unless someone says so.
        others = list(other_organizations().order_by("name").values_list("name", flat=True))
        if others and not force:
            raise CommandError(
                f"This database holds organisations the demo did not create ({', '.join(others)})."
                " seed_demo adds a superuser and people whose password is published; run it on a"
                " database of its own, or pass --force if you mean it."
            )
        result = seed_demo(now=timezone.now())
        for name, played in result.played.items():
            self.stdout.write(f"{name}: {played} past booking(s) played out.")
        self.stdout.write(f"Counted {result.days_counted} day(s) into the statistics.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result.added} booking(s) added for the next {BOOKING_DAYS}"
                f" days ({result.refused} refused by the booking rules)."
            )
        )
        self.print_logins()

    def print_logins(self) -> None:
        write = self.stdout.write
        write("")
        write(f"Log in at {reverse('account_login')} with any address below and the password:")
        write("")
        write(f"    {DEMO_PASSWORD}")
        for spec in DEMO_ORGANIZATIONS:
            write("")
            write(self.style.MIGRATE_HEADING(f"{spec.name} ({spec.domain})"))
            for person in sorted(spec.people, key=lambda p: (-Role.rank(p.role), p.email)):
                write(f"  {person.email:<26} {Role(person.role).label:<20} {person.home}")
        write("")
        write(self.style.MIGRATE_HEADING("Platform"))
        write(f"  {SUPERUSER_EMAIL:<26} superuser (all organisations)")
        # No TOTP secret is seeded: a secret printed here would be known to everyone with the
        # repository, so the operator sets up their own authenticator app.
        write(
            f"  {'':<26} The admin asks a superuser to set up two-factor authentication"
            " (an authenticator app) first."
        )
