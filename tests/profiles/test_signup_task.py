"""The task behind sign-up: it creates the account if it may exist and sends the one e-mail."""

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.utils import timezone

from profiles.models import PendingSignup, User
from profiles.tasks import complete_pending_signups_task, complete_signup_task

pytestmark = pytest.mark.django_db


def _run(email, *, language="en", notify=True):
    pending = PendingSignup.objects.create(
        email=email, password_hash=make_password("x"), language=language, notify=notify
    )
    return complete_signup_task(pending_id=pending.pk)


def test_an_address_that_got_an_account_meanwhile_gets_the_account_exists_mail(
    organization, employee, mailoutbox
):
    assert _run(employee.email) == "account_exists"

    [message] = mailoutbox
    assert "already exists" in message.body
    assert User.objects.filter(email__iexact=employee.email).count() == 1


def test_an_address_known_only_as_another_persons_second_address_gets_no_account(
    organization, employee, mailoutbox
):
    EmailAddress.objects.create(user=employee, email="erin.private@acme.example", verified=True)

    assert _run("erin.private@acme.example") == "account_exists"
    assert not User.objects.filter(email="erin.private@acme.example").exists()


def test_over_the_mail_limit_the_account_is_made_and_no_mail_sent(organization, mailoutbox):
    assert _run("newcomer@acme.example", notify=False) == "created"

    assert not mailoutbox
    assert not EmailAddress.objects.get(email="newcomer@acme.example").verified


def test_the_mail_is_in_the_language_the_visitor_used(organization, mailoutbox):
    _run("someone@initech.example", language="nl")

    assert mailoutbox[0].subject == "[Officebooking] Over je aanmelding"


def test_a_completed_sign_up_is_no_longer_stored(organization):
    _run("newcomer@acme.example")

    assert not PendingSignup.objects.exists()


def test_a_sign_up_task_delivered_twice_signs_up_once_and_mails_once(organization, mailoutbox):
    pending = PendingSignup.objects.create(
        email="newcomer@acme.example", password_hash=make_password("x"), language="en", notify=True
    )

    first = complete_signup_task(pending_id=pending.pk)
    second = complete_signup_task(pending_id=pending.pk)

    assert (first, second) == ("created", "done already")
    assert len(mailoutbox) == 1


def test_the_sweep_completes_a_sign_up_whose_task_was_lost(organization, mailoutbox):
    pending = PendingSignup.objects.create(
        email="newcomer@acme.example", password_hash=make_password("x"), language="en", notify=True
    )
    PendingSignup.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )

    assert complete_pending_signups_task() == 1
    assert User.objects.filter(email="newcomer@acme.example").exists()
    assert len(mailoutbox) == 1


def test_the_sweep_leaves_a_fresh_sign_up_to_its_own_task(organization):
    PendingSignup.objects.create(
        email="newcomer@acme.example", password_hash=make_password("x"), language="en", notify=True
    )

    assert complete_pending_signups_task() == 0


def test_the_cron_command_completes_lost_sign_ups(organization):
    pending = PendingSignup.objects.create(
        email="newcomer@acme.example", password_hash=make_password("x"), language="en", notify=False
    )
    PendingSignup.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    out = io.StringIO()

    call_command("complete_pending_signups", stdout=out)

    assert out.getvalue() == "Completed 1 sign-up(s).\n"
    assert User.objects.filter(email="newcomer@acme.example").exists()
