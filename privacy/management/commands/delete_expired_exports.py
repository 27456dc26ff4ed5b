from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.export import delete_expired_exports


class Command(BaseCommand):
    help = "Delete data exports (ZIP and row) whose 7 days are over."

    def handle(self, *args, **options) -> None:
        deleted = delete_expired_exports(now=timezone.now())
        self.stdout.write(f"Deleted {deleted} expired data export(s).")
