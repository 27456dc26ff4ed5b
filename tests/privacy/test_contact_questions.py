"""A question through the privacy statement is stored, e-mailed after the commit, and never lost.

A mail server or broker that is down fails neither the request nor the question: it stays
stored until the periodic sweep gets it out.
"""

import io
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from privacy.contact import (
    QUESTION_RETENTION,
    RETRY_AFTER,
    purge_undelivered_questions,
    send_waiting_questions,
)
from privacy.models import ContactQuestion
from privacy.retention import purge_expired_records

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Erin", "email": "erin@acme.example", "message": "What do you keep?"}
LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def smtp_down():
    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("down")) as send:
        yield send


def _ask(client, capture, **extra):
    with capture(execute=True):
        return client.post(reverse("privacy_contact"), {**CONTACT, **extra})


def test_a_question_is_emailed_only_after_the_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("privacy_contact"), CONTACT)

    assert not mail.outbox
    assert len(callbacks) == 1


def test_a_sent_question_is_not_kept(client, django_capture_on_commit_callbacks):
    _ask(client, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert not ContactQuestion.objects.exists()


def test_a_mail_server_that_is_down_is_no_error_for_the_asker(
    client, smtp_down, django_capture_on_commit_callbacks
):
    response = _ask(client, django_capture_on_commit_callbacks)

    assert smtp_down.called
    assert response.status_code == 302


def test_a_question_the_mail_server_refused_is_kept(
    client, smtp_down, django_capture_on_commit_callbacks
):
    _ask(client, django_capture_on_commit_callbacks)

    question = ContactQuestion.objects.get()
    assert (question.email, question.message) == ("erin@acme.example", "What do you keep?")
    assert question.attempted_at is not None


def test_the_sweep_sends_a_refused_question_once_the_mail_server_is_back(
    client, django_capture_on_commit_callbacks
):
    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("down")):
        _ask(client, django_capture_on_commit_callbacks)

    assert send_waiting_questions(now=timezone.now() + RETRY_AFTER + timedelta(seconds=1)) == 1

    [message] = mail.outbox
    assert message.reply_to == ["erin@acme.example"]
    assert "What do you keep?" in message.body
    assert not ContactQuestion.objects.exists()


def test_the_sweep_leaves_a_sending_that_may_still_be_under_way(
    client, smtp_down, django_capture_on_commit_callbacks
):
    _ask(client, django_capture_on_commit_callbacks)
    smtp_down.side_effect = None

    assert send_waiting_questions(now=timezone.now()) == 0
    assert ContactQuestion.objects.exists()


def test_a_broker_that_is_down_is_no_error_and_the_sweep_sends_the_question(
    client, django_capture_on_commit_callbacks
):
    from privacy.tasks import send_contact_question_task

    with mock.patch.object(
        send_contact_question_task, "apply_async", side_effect=ConnectionError("no broker")
    ):
        response = _ask(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert not mail.outbox
    assert send_waiting_questions(now=timezone.now()) == 1
    assert len(mail.outbox) == 1


def test_a_question_the_sweep_sent_is_not_sent_again_by_its_queued_task(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("privacy_contact"), CONTACT)

    send_waiting_questions(now=timezone.now())
    [queued_task] = callbacks
    queued_task()

    assert len(mail.outbox) == 1


def test_a_question_is_emailed_in_the_askers_language(client, django_capture_on_commit_callbacks):
    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("down")):
        _ask(client, django_capture_on_commit_callbacks)
    question = ContactQuestion.objects.get()
    question.language = "nl"
    question.save(update_fields=["language"])

    send_waiting_questions(now=timezone.now() + RETRY_AFTER + timedelta(seconds=1))

    [message] = mail.outbox
    assert message.subject == "[Officebooking] Privacyvraag"


def test_the_sweep_is_a_periodic_job(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "privacy.tasks.send_waiting_contact_questions_task" in tasks


def test_an_undeliverable_question_ends_with_its_retention(caplog):
    ContactQuestion.objects.create(**CONTACT, created_at=timezone.now() - QUESTION_RETENTION)
    recent = ContactQuestion.objects.create(**CONTACT)

    assert purge_undelivered_questions(now=timezone.now() + timedelta(seconds=1)) == 1

    assert list(ContactQuestion.objects.all()) == [recent]
    assert "could not be delivered" in caplog.text


def test_retention_purges_undeliverable_questions():
    ContactQuestion.objects.create(**CONTACT, created_at=timezone.now() - QUESTION_RETENTION)

    assert purge_expired_records(now=timezone.now() + timedelta(seconds=1)) == 1

    assert not ContactQuestion.objects.exists()


def test_the_cron_command_sends_a_question_that_was_never_queued(client):
    # No on-commit callbacks run: as if the broker had lost the task.
    client.post(reverse("privacy_contact"), CONTACT)
    out = io.StringIO()

    call_command("send_waiting_contact_questions", stdout=out)

    assert out.getvalue() == "Sent 1 contact question(s).\n"
    assert len(mail.outbox) == 1
    assert not ContactQuestion.objects.exists()
