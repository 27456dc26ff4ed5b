import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from officebooking.celery import app

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process. For the embedded "
        "default (no broker); production runs celery beat and a worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run every job once now, then exit."
        )

    def handle(self, *args, once: bool = False, **options):
        schedule = settings.CELERY_BEAT_SCHEDULE
        if once:
            for name, entry in schedule.items():
                self._run(name, entry["task"])
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        last_run = dict.fromkeys(schedule, timezone.now())
        self.stdout.write(f"Periodic jobs: {', '.join(schedule)}")
        try:
            while not stop.is_set():
                wait = 60.0
                for name, entry in schedule.items():
                    is_due, next_in = entry["schedule"].is_due(last_run[name])
                    if is_due:
                        last_run[name] = timezone.now()
                        self._run(name, entry["task"])
                    wait = min(wait, max(next_in, 1.0))
                stop.wait(wait)
        except KeyboardInterrupt:
            pass

    def _run(self, name: str, task_name: str) -> None:
        try:
            result = app.tasks[task_name].apply().get()
            logger.info("periodic job %s: %s", name, result)
        except Exception:
            # One failing job must not stop the others.
            logger.exception("periodic job %s failed", name)
