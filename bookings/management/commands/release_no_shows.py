from django.core.management.base import BaseCommand

from bookings.services import release_no_shows


class Command(BaseCommand):
    help = "Release bookings nobody checked in to within their policy's window (for cron)."

    def handle(self, *args, **options):
        released = release_no_shows()
        self.stdout.write(f"Released {released} booking(s).")
