from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.contact import send_waiting_questions


class Command(BaseCommand):
    help = "E-mail contact questions whose sending failed or was never queued (for cron)."

    def handle(self, *args, **options):
        sent = send_waiting_questions(now=timezone.now())
        self.stdout.write(f"Sent {sent} contact question(s).")
