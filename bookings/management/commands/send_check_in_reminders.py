from django.core.management.base import BaseCommand

from bookings.services import send_check_in_reminders


class Command(BaseCommand):
    help = "Remind people whose check-in window closes soon (for cron, every 5 minutes)."

    def handle(self, *args, **options):
        reminded = send_check_in_reminders()
        self.stdout.write(f"Sent {reminded} check-in reminder(s).")
