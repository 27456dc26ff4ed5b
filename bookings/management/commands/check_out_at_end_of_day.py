from django.core.management.base import BaseCommand

from bookings.services import check_out_at_end_of_day


class Command(BaseCommand):
    help = "Check out everyone still checked in after their building closed (for cron)."

    def handle(self, *args, **options):
        checked_out = check_out_at_end_of_day()
        self.stdout.write(f"Checked out {checked_out} person(s) at the end of the day.")
