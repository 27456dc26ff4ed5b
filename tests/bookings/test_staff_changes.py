"""Staff cancelling or moving someone else's booking: a reason, an audit entry, an e-mail."""

from datetime import date

import pytest
from django.core import mail

from bookings.models import Booking, BookingStatus
from bookings.services import BookingError, cancel_booking, change_booking, create_booking
from profiles.models import AuditAction, AuditEntry, Language
from tests.clock import at

pytestmark = pytest.mark.django_db

FRIDAY = date(2025, 3, 28)


def book(user, resource, start="09:00", end="17:00", *, now):
    building = resource.floor.building
    return create_booking(
        user=user,
        resource=resource,
        start=at(building, FRIDAY, start),
        end=at(building, FRIDAY, end),
        notify=False,
        now=now,
    )


def move(booking, *, actor, resource, start, end, now, reason=""):
    building = resource.floor.building
    return change_booking(
        booking=booking,
        actor=actor,
        resource=resource,
        start=at(building, FRIDAY, start),
        end=at(building, FRIDAY, end),
        reason=reason,
        now=now,
    )


def test_staff_cancelling_someone_elses_booking_without_a_reason_is_refused(
    employee, facility_manager, desk, now
):
    booking = book(employee, desk, now=now)

    with pytest.raises(BookingError, match="reason"):
        cancel_booking(booking=booking, actor=facility_manager, reason="  ", now=now)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not AuditEntry.objects.exists()


def test_staff_cancelling_someone_elses_booking_is_logged_with_the_reason(
    employee, facility_manager, desk, now
):
    booking = book(employee, desk, now=now)

    cancel_booking(booking=booking, actor=facility_manager, reason="Desk is broken", now=now)

    [entry] = AuditEntry.objects.all()
    assert entry.action == AuditAction.BOOKING_CANCELLED
    assert (entry.actor, entry.actor_role) == (facility_manager, "facility_manager")
    assert entry.subject == employee
    assert entry.organization == desk.organization
    assert entry.object_id == booking.pk
    assert entry.content_type.model_class() is Booking
    assert entry.reason == "Desk is broken"
    assert entry.time_zone == "Europe/Amsterdam"
    assert entry.description == "A.01 · Ground floor · Amsterdam HQ · 2025-03-28 09:00–17:00"


def test_the_description_names_no_person(employee, facility_manager, desk, now):
    booking = book(employee, desk, now=now)

    cancel_booking(booking=booking, actor=facility_manager, reason="Broken", now=now)

    entry = AuditEntry.objects.get()
    assert employee.email not in entry.description
    assert employee.full_name not in entry.description


def test_my_own_cancellation_needs_no_reason_and_is_not_logged(employee, desk, now):
    booking = book(employee, desk, now=now)

    cancel_booking(booking=booking, actor=employee, now=now)

    assert not AuditEntry.objects.exists()


def test_a_booking_staff_made_for_someone_is_still_theirs_to_be_told_about(
    employee, facility_manager, desk, now
):
    building = desk.floor.building
    booking = create_booking(
        user=employee,
        resource=desk,
        start=at(building, FRIDAY, "09:00"),
        end=at(building, FRIDAY, "17:00"),
        booked_by=facility_manager,
        notify=False,
        now=now,
    )

    with pytest.raises(BookingError, match="reason"):
        cancel_booking(booking=booking, actor=facility_manager, now=now)


def test_staff_moving_someone_elses_booking_without_a_reason_is_refused(
    employee, facility_manager, desk, other_desk, now
):
    booking = book(employee, desk, now=now)

    with pytest.raises(BookingError, match="reason"):
        move(
            booking,
            actor=facility_manager,
            resource=other_desk,
            start="10:00",
            end="15:00",
            now=now,
        )

    booking.refresh_from_db()
    assert booking.resource == desk


def test_staff_moving_someone_elses_booking_logs_before_and_after(
    employee, facility_manager, desk, other_desk, now
):
    booking = book(employee, desk, now=now)

    move(
        booking,
        actor=facility_manager,
        resource=other_desk,
        start="10:00",
        end="15:00",
        reason="A.01 is needed for a visitor",
        now=now,
    )

    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.BOOKING_CHANGED
    assert entry.changes == {
        "before": "A.01 · Ground floor · Amsterdam HQ · 2025-03-28 09:00–17:00",
        "after": "A.02 · Ground floor · Amsterdam HQ · 2025-03-28 10:00–15:00",
    }
    assert entry.reason == "A.01 is needed for a visitor"


def test_my_own_change_is_not_logged(employee, desk, other_desk, now):
    booking = book(employee, desk, now=now)

    move(booking, actor=employee, resource=other_desk, start="10:00", end="15:00", now=now)

    assert not AuditEntry.objects.exists()


def test_the_person_is_emailed_the_booking_the_change_and_the_reason_on_commit(
    employee, facility_manager, desk, now, django_capture_on_commit_callbacks
):
    booking = book(employee, desk, now=now)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, actor=facility_manager, reason="Desk is broken", now=now)

    [message] = mail.outbox
    assert message.to == [employee.email]
    assert "cancelled" in message.subject
    assert "A.01" in message.body
    assert "Amsterdam HQ" in message.body
    # 09:00 in Amsterdam (08:00 UTC): the building's time, not the server's.
    assert "09:00–17:00" in message.body
    assert "Europe/Amsterdam" in message.body
    assert "Desk is broken" in message.body
    assert "Fiona" in message.body


def test_a_moved_booking_email_says_before_and_now(
    employee, facility_manager, desk, other_desk, now, django_capture_on_commit_callbacks
):
    booking = book(employee, desk, now=now)

    with django_capture_on_commit_callbacks(execute=True):
        move(
            booking,
            actor=facility_manager,
            resource=other_desk,
            start="10:00",
            end="15:00",
            reason="Visitor",
            now=now,
        )

    [message] = mail.outbox
    assert "changed" in message.subject
    assert "2025-03-28 09:00–17:00" in message.body
    assert "10:00–15:00" in message.body
    assert "Visitor" in message.body


def test_the_email_is_in_the_persons_language(
    employee, facility_manager, desk, now, django_capture_on_commit_callbacks
):
    employee.language = Language.DUTCH
    employee.save(update_fields=["language"])
    booking = book(employee, desk, now=now)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=booking, actor=facility_manager, reason="Kapot", now=now)

    [message] = mail.outbox
    assert "Hallo Erin," in message.body
    assert "Je boekingen:" in message.body
    # The day and month in Dutch: vrijdag 28 maart.
    assert "vr 28 Mrt 2025, 09:00–17:00" in message.body
    assert "Werkplek A.01" in message.body


def test_no_email_is_sent_when_the_change_rolls_back(
    employee, facility_manager, desk, now, django_capture_on_commit_callbacks
):
    booking = book(employee, desk, now=now)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(BookingError),
    ):
        cancel_booking(booking=booking, actor=facility_manager, now=now)

    assert callbacks == []
    assert mail.outbox == []
