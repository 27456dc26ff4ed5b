from django.core.management.base import BaseCommand

from profiles.tasks import complete_pending_signups_task


class Command(BaseCommand):
    help = "Complete sign-ups whose task was lost while the broker was down (for cron)."

    def handle(self, *args, **options):
        completed = complete_pending_signups_task()
        self.stdout.write(f"Completed {completed} sign-up(s).")
