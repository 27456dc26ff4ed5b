"""The task behind sign-up: it creates the account if it may exist and sends the one e-mail."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from profiles.models import User
from profiles.tasks import complete_signup_task

pytestmark = pytest.mark.django_db


def _run(email, *, language="en", notify=True):
    return complete_signup_task(
        email=email, password_hash=make_password("x"), language=language, notify=notify
    )


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
