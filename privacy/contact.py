"""Questions to the service desk from the privacy statement's contact form.

A question is stored, and its e-mail queued, on commit; the e-mail going out deletes it. A mail
server or broker that is down neither fails the request nor loses the question: the periodic
sweep finds the questions still stored and tries again. Each sending is claimed with a
conditional UPDATE, so the queued task and the sweep never both send one question.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from officebooking.celery import enqueue_on_commit
from privacy.models import ContactQuestion

logger = logging.getLogger(__name__)

# A claim this old belongs to a sending that failed or died: the sweep may try again.
RETRY_AFTER = timedelta(minutes=10)
# A question that could not be delivered in this time is deleted (and the loss logged): the
# asker's address and words must not stay for ever.
QUESTION_RETENTION = timedelta(days=30)
SWEEP_BATCH_SIZE = 100


@transaction.atomic
def submit_question(*, name: str, email: str, message: str, language: str) -> ContactQuestion:
    """Store the question and queue its e-mail to the service desk once this commits."""
    question = ContactQuestion.objects.create(
        name=name, email=email, message=message, language=language
    )
    enqueue_on_commit("privacy.tasks.send_contact_question_task", question_id=question.pk)
    return question


def _email(question: ContactQuestion) -> EmailMessage:
    with translation.override(question.language or settings.LANGUAGE_CODE):
        body = _(
            "Question sent through the privacy statement.\n\n"
            "Name: %(name)s\nE-mail: %(email)s\n\n%(message)s"
        ) % {"name": question.name or "-", "email": question.email, "message": question.message}
        subject = _("[Officebooking] Privacy question")
    return EmailMessage(
        subject=subject,
        body=body,
        to=[settings.OFFICEBOOKING_SERVICE_DESK_EMAIL],
        reply_to=[question.email],
    )


def _claimable(now: datetime) -> Q:
    return Q(attempted_at__isnull=True) | Q(attempted_at__lt=now - RETRY_AFTER)


def send_question(*, question_id: int, now: datetime | None = None) -> bool:
    """Send the question to the service desk and delete it; return whether it went.

    On failure the question stays, claimed; the sweep tries again after RETRY_AFTER. A crash
    between sending and deleting sends it twice, never not at all.
    """
    now = now or timezone.now()
    claimed = ContactQuestion.objects.filter(_claimable(now), pk=question_id).update(
        attempted_at=now
    )
    question = ContactQuestion.objects.filter(pk=question_id).first()
    if not claimed or question is None:
        return False
    try:
        _email(question).send()
    except Exception:
        # Any backend's failure (SMTP down, refused, timed out): the question is still stored.
        logger.exception("could not send contact question %s; the sweep tries again", question_id)
        return False
    question.delete()
    return True


def send_waiting_questions(*, now: datetime | None = None) -> int:
    """Send the questions still stored whose sending never started or failed; return how many."""
    now = now or timezone.now()
    waiting = ContactQuestion.objects.filter(_claimable(now)).order_by("pk")
    ids = list(waiting.values_list("pk", flat=True)[:SWEEP_BATCH_SIZE])
    return sum(send_question(question_id=question_id, now=now) for question_id in ids)


def purge_undelivered_questions(*, now: datetime) -> int:
    """Delete questions that could not be delivered within QUESTION_RETENTION."""
    deleted = ContactQuestion.objects.filter(created_at__lt=now - QUESTION_RETENTION).delete()[0]
    if deleted:
        logger.error(
            "deleted %s contact questions that could not be delivered in %s days",
            deleted,
            QUESTION_RETENTION.days,
        )
    return deleted
