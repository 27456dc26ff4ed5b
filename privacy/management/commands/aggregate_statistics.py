from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.tasks import aggregate_statistics


class Command(BaseCommand):
    help = "Count the days that are over into the anonymous statistics (for cron)."

    def handle(self, *args, **options):
        days = aggregate_statistics(now=timezone.now())
        self.stdout.write(f"Counted {days} day(s) into the statistics.")
