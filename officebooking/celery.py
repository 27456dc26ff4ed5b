import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officebooking.settings")

logger = logging.getLogger(__name__)

app = Celery("officebooking")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task_name: str, **kwargs) -> None:
    """Queue a task once the current transaction commits, never failing the caller.

    The work is already in the database; if the broker is down the failure is logged and the
    task's periodic sweep picks the work up from database state.
    """
    from django.db import transaction

    def send() -> None:
        try:
            app.tasks[task_name].apply_async(kwargs=kwargs)
        except Exception:
            logger.exception("could not queue %s %s", task_name, kwargs)

    transaction.on_commit(send)
