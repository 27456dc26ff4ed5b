"""The writers erasure and retention call: bookings keep one writer."""

from datetime import UTC, datetime, timedelta

import pytest

from bookings.models import Booking, BookingStatus, CheckIn
from bookings.services import (
    cancel_future_bookings_of,
    delete_bookings_of,
    delete_check_ins_of,
    purge_bookings,
)
from tests.factories import BookingFactory, CheckInFactory, ResourceFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 27, 12, 0, tzinfo=UTC)


def test_future_bookings_are_cancelled_and_counted(employee, floor):
    tomorrow = BookingFactory(
        user=employee, resource=ResourceFactory(floor=floor), start=NOW + timedelta(days=1)
    )

    assert cancel_future_bookings_of(user=employee, now=NOW) == 1

    tomorrow.refresh_from_db()
    assert tomorrow.status == BookingStatus.CANCELLED


def test_a_booking_checked_in_to_now_is_checked_out_not_cancelled(employee, floor):
    check_in = CheckInFactory(
        booking__user=employee,
        booking__resource=ResourceFactory(floor=floor),
        booking__start=NOW - timedelta(hours=1),
    )

    assert cancel_future_bookings_of(user=employee, now=NOW) == 0

    check_in.refresh_from_db()
    check_in.booking.refresh_from_db()
    assert check_in.checked_out_at == NOW
    assert check_in.booking.status == BookingStatus.COMPLETED
    assert check_in.booking.end == NOW


def test_past_and_other_peoples_bookings_are_not_cancelled(employee, colleague, floor):
    past = BookingFactory(
        user=employee, resource=ResourceFactory(floor=floor), start=NOW - timedelta(days=1)
    )
    theirs = BookingFactory(
        user=colleague, resource=ResourceFactory(floor=floor), start=NOW + timedelta(days=1)
    )

    cancel_future_bookings_of(user=employee, now=NOW)

    assert Booking.objects.get(pk=past.pk).status == BookingStatus.CONFIRMED
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.CONFIRMED


def test_a_persons_bookings_and_check_ins_are_deleted(employee, colleague, floor):
    CheckInFactory(booking__user=employee, booking__resource=ResourceFactory(floor=floor))
    BookingFactory(
        user=employee, resource=ResourceFactory(floor=floor), start=NOW + timedelta(days=2)
    )
    theirs = BookingFactory(user=colleague, resource=ResourceFactory(floor=floor))

    assert delete_bookings_of(user=employee) == 2

    assert not Booking.objects.filter(user=employee).exists()
    assert not CheckIn.objects.filter(user=employee).exists()
    assert Booking.objects.filter(pk=theirs.pk).exists()


def test_bookings_made_for_others_stay_without_who_made_them(employee, colleague, floor):
    for_colleague = BookingFactory(
        user=colleague, booked_by=employee, resource=ResourceFactory(floor=floor)
    )

    delete_bookings_of(user=employee)

    for_colleague.refresh_from_db()
    assert for_colleague.booked_by is None


def test_only_the_persons_check_ins_are_deleted(employee, colleague, floor):
    CheckInFactory(booking__user=employee, booking__resource=ResourceFactory(floor=floor))
    theirs = CheckInFactory(booking__user=colleague, booking__resource=ResourceFactory(floor=floor))

    assert delete_check_ins_of(user=employee) == 1

    assert list(CheckIn.objects.all()) == [theirs]


def test_purged_bookings_go_with_their_check_ins(employee, floor):
    check_in = CheckInFactory(
        booking__user=employee, booking__resource=ResourceFactory(floor=floor)
    )
    plain = BookingFactory(
        user=employee, resource=ResourceFactory(floor=floor), start=NOW + timedelta(days=2)
    )

    assert purge_bookings(booking_ids=[check_in.booking_id, plain.pk]) == 2

    assert not Booking.objects.exists()
    assert not CheckIn.objects.exists()


def test_purge_leaves_bookings_it_was_not_given(employee, floor):
    purged = BookingFactory(user=employee, resource=ResourceFactory(floor=floor))
    kept = BookingFactory(
        user=employee, resource=ResourceFactory(floor=floor), start=NOW + timedelta(days=2)
    )

    purge_bookings(booking_ids=[purged.pk])

    assert list(Booking.objects.all()) == [kept]


def test_purge_of_ids_already_gone_deletes_nothing(employee, floor):
    gone = BookingFactory(user=employee, resource=ResourceFactory(floor=floor))
    purge_bookings(booking_ids=[gone.pk])

    assert purge_bookings(booking_ids=[gone.pk]) == 0
