from celery import shared_task
from django.utils import timezone

from privacy.contact import send_question, send_waiting_questions
from privacy.retention import (
    purge_ended_subscriptions,
    purge_expired_personal_data,
    purge_expired_records,
)
from privacy.sessions import delete_expired_sessions
from privacy.statistics import aggregate_pending, compute_mobility
from profiles.models import Organization


def aggregate_statistics(*, now) -> int:
    """Count every day that is over, and draw this month's mobility snapshot; return days."""
    days = aggregate_pending(now=now)
    for organization_id in Organization.objects.order_by("pk").values_list("pk", flat=True):
        compute_mobility(organization_id=organization_id, on=now.date())
    return days


def purge_personal_data(*, now) -> int:
    """Run the retention jobs; return how many bookings, people and other records went."""
    return (
        purge_expired_personal_data(now=now)
        + purge_ended_subscriptions(now=now)
        + purge_expired_records(now=now)
    )


@shared_task
def aggregate_statistics_task() -> int:
    return aggregate_statistics(now=timezone.now())


@shared_task
def retention_task() -> int:
    # Retention counts what it deletes first, so it does not depend on the statistics run.
    return purge_personal_data(now=timezone.now())


@shared_task
def clear_expired_sessions_task() -> int:
    return delete_expired_sessions(now=timezone.now())


@shared_task
def send_contact_question_task(*, question_id: int) -> bool:
    return send_question(question_id=question_id)


@shared_task
def send_waiting_contact_questions_task() -> int:
    return send_waiting_questions(now=timezone.now())
