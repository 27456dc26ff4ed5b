"""The admin's "Cancel the selected bookings" asks a reason, logs each and tells each person."""

import pytest
from django.core import mail
from django.urls import reverse

from bookings.models import BookingStatus
from profiles.models import AuditAction, AuditEntry, Language
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:bookings_booking_changelist")


@pytest.fixture
def fm_client(client, facility_manager):
    client.force_login(facility_manager)
    return client


def run_action(client, bookings, **extra):
    data = {"action": "cancel_selected", "_selected_action": [b.pk for b in bookings], **extra}
    return client.post(CHANGELIST, data)


def test_the_action_first_asks_for_a_reason_and_cancels_nothing(fm_client, employee, desk):
    booking = BookingFactory(resource=desk, user=employee)

    response = run_action(fm_client, [booking])

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="reason"' in html
    assert 'name="post" value="yes"' in html
    assert "A.01" in html
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not AuditEntry.objects.exists()


def test_confirming_without_a_reason_asks_again(fm_client, employee, desk):
    booking = BookingFactory(resource=desk, user=employee)

    response = run_action(fm_client, [booking], post="yes", reason="  ")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_confirming_cancels_each_booking_with_an_entry_per_booking(
    fm_client, facility_manager, employee, colleague, desk, other_desk
):
    mine = BookingFactory(resource=desk, user=employee)
    theirs = BookingFactory(resource=other_desk, user=colleague)

    response = run_action(fm_client, [mine, theirs], post="yes", reason="Office closed for a leak")

    assert response.status_code == 302
    for booking in (mine, theirs):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
    entries = AuditEntry.objects.order_by("object_id")
    assert [(e.object_id, e.subject, e.actor) for e in entries] == [
        (mine.pk, employee, facility_manager),
        (theirs.pk, colleague, facility_manager),
    ]
    assert {e.action for e in entries} == {AuditAction.BOOKING_CANCELLED}
    assert {e.reason for e in entries} == {"Office closed for a leak"}


def test_confirming_emails_each_person_the_reason(
    fm_client, employee, colleague, desk, other_desk, django_capture_on_commit_callbacks
):
    mine = BookingFactory(resource=desk, user=employee)
    theirs = BookingFactory(resource=other_desk, user=colleague)

    with django_capture_on_commit_callbacks(execute=True):
        run_action(fm_client, [mine, theirs], post="yes", reason="Office closed for a leak")

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [employee.email, colleague.email]
    )
    assert all("Office closed for a leak" in message.body for message in mail.outbox)


def test_a_dutch_person_is_emailed_in_dutch(
    fm_client, employee, desk, django_capture_on_commit_callbacks
):
    employee.language = Language.DUTCH
    employee.save(update_fields=["language"])
    booking = BookingFactory(resource=desk, user=employee)

    with django_capture_on_commit_callbacks(execute=True):
        run_action(fm_client, [booking], post="yes", reason="Lekkage")

    [message] = mail.outbox
    assert message.body.startswith("Hallo Erin,")
    assert "Werkplek A.01" in message.body


def test_the_confirmation_page_hides_names_in_strict_mode(fm_client, organization, employee, desk):
    organization.strict_mode = True
    organization.save(update_fields=["strict_mode"])
    booking = BookingFactory(resource=desk, user=employee)

    response = run_action(fm_client, [booking])

    assert "Erin" not in response.content.decode()


def test_another_organisations_bookings_are_not_cancelled(fm_client, foreign_desk):
    booking = BookingFactory(resource=foreign_desk)

    run_action(fm_client, [booking], post="yes", reason="Nope")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not AuditEntry.objects.exists()
