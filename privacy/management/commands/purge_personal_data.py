from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.retention import (
    purge_ended_subscriptions,
    purge_expired_personal_data,
    purge_expired_records,
)


class Command(BaseCommand):
    help = "Delete personal data past its retention, after counting it (for cron)."

    def handle(self, *args, **options):
        now = timezone.now()
        bookings = purge_expired_personal_data(now=now)
        people = purge_ended_subscriptions(now=now)
        records = purge_expired_records(now=now)
        self.stdout.write(
            f"Deleted {bookings} booking(s) past retention; "
            f"erased {people} person(s) of ended subscriptions; "
            f"deleted {records} other record(s) past retention."
        )
