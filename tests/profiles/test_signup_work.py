"""Sign-up does the same work on the request path whatever the address, so timing tells nothing.

A new address on a client's domain, an address that has an account and an address on an unknown
domain each hash the password once, run the same queries and queue exactly one task on commit;
the task decides what to create and which e-mail to send. Speed itself is measured by
`manage.py bench signup-timing` (docs/benchmarks.md), never here.
"""

from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles import tasks
from profiles.models import PendingSignup, User

pytestmark = pytest.mark.django_db

PASSWORD = "Sup3r-secret-pw!"
BRANCHES = {
    "new address on a client domain": "newcomer@acme.example",
    "address with an account": "erin@acme.example",
    "unknown domain": "someone@initech.example",
}


@pytest.fixture(autouse=True)
def _cast(organization, employee):
    pass


def _post(email):
    return Client().post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


@pytest.mark.parametrize("email", BRANCHES.values(), ids=BRANCHES.keys())
def test_every_branch_hashes_the_password_exactly_once(email, django_capture_on_commit_callbacks):
    real_encode = MD5PasswordHasher.encode
    with (
        mock.patch.object(
            MD5PasswordHasher, "encode", autospec=True, side_effect=real_encode
        ) as encode,
        django_capture_on_commit_callbacks(execute=False),
    ):
        _post(email)

    assert encode.call_count == 1


@pytest.mark.parametrize("email", BRANCHES.values(), ids=BRANCHES.keys())
def test_every_branch_queues_exactly_one_sign_up_task_on_commit(
    email, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.complete_signup_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        _post(email)

    assert len(callbacks) == 1
    [call] = queued.call_args_list
    pending = PendingSignup.objects.get()
    assert call.kwargs["kwargs"] == {"pending_id": pending.pk}
    assert pending.email == email


def test_every_branch_runs_the_same_queries(django_capture_on_commit_callbacks):
    counts = {}
    for branch, email in BRANCHES.items():
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=False),
        ):
            _post(email)
        counts[branch] = len(queries)

    assert len(set(counts.values())) == 1, counts


def test_the_request_path_creates_no_account(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = _post("newcomer@acme.example")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert not User.objects.filter(email="newcomer@acme.example").exists()


def test_the_queued_task_carries_neither_the_password_nor_its_hash(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch.object(tasks.complete_signup_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        _post("newcomer@acme.example")

    assert PASSWORD not in repr(queued.call_args)
    assert PendingSignup.objects.get().password_hash not in repr(queued.call_args)


def test_a_sign_up_survives_a_broker_that_is_down(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(
            tasks.complete_signup_task, "apply_async", side_effect=ConnectionError("broker down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _post("newcomer@acme.example")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert PendingSignup.objects.filter(email="newcomer@acme.example").exists()
