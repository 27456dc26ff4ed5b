from datetime import date, timedelta

import pytest

from bookings.models import Booking, BookingStatus, CheckIn
from bookings.services import (
    BookingError,
    cancel_booking,
    change_booking,
    check_in,
    check_out,
    create_booking,
)
from locations.models import ResourceKind
from tests.clock import at
from tests.factories import BookingFactory, ResourceFactory

pytestmark = pytest.mark.django_db

FRIDAY = date(2025, 3, 28)


def book(user, resource, start="09:00", end="17:00", day=FRIDAY, **kwargs):
    building = resource.floor.building
    return create_booking(
        user=user,
        resource=resource,
        start=at(building, day, start),
        end=at(building, day, end),
        **kwargs,
    )


def test_a_free_desk_is_booked(employee, desk, now):
    booking = book(employee, desk, now=now)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.organization == employee.organization
    assert booking.resource_kind == ResourceKind.DESK


def test_overlapping_booking_is_refused(employee, colleague, desk, now):
    book(employee, desk, now=now)
    with pytest.raises(BookingError, match="already booked"):
        book(colleague, desk, "16:30", "18:00", now=now)


def test_back_to_back_bookings_do_not_overlap(employee, colleague, desk, now):
    book(employee, desk, "09:00", "12:00", now=now)
    booking = book(colleague, desk, "12:00", "17:00", now=now)
    assert booking.pk


def test_a_cancelled_booking_frees_its_time(employee, colleague, desk, now):
    first = book(employee, desk, now=now)
    cancel_booking(booking=first, actor=employee, now=now)
    assert book(colleague, desk, now=now).pk


def test_a_person_cannot_hold_two_desks_at_once(employee, desk, other_desk, now, settings):
    book(employee, desk, "09:00", "12:00", now=now)
    with pytest.raises(BookingError):
        book(employee, other_desk, "11:00", "13:00", now=now)


def test_a_person_may_book_two_meeting_rooms_at_once(employee, floor, now):
    rooms = ResourceFactory.create_batch(2, floor=floor, kind=ResourceKind.MEETING_ROOM, capacity=6)
    book(employee, rooms[0], "10:00", "11:00", now=now)
    assert book(employee, rooms[1], "10:00", "11:00", now=now).pk


def test_another_organisations_desk_answers_like_a_missing_one(employee, foreign_desk, now):
    with pytest.raises(BookingError, match="does not exist"):
        book(employee, foreign_desk, now=now)


def test_an_inactive_desk_cannot_be_booked(employee, desk, now):
    desk.is_active = False
    desk.save()
    with pytest.raises(BookingError, match="can't be booked"):
        book(employee, desk, now=now)


def test_only_staff_book_for_someone_else(employee, colleague, facility_manager, desk, now):
    with pytest.raises(BookingError, match="Only facility managers"):
        book(colleague, desk, booked_by=employee, now=now)
    booking = book(colleague, desk, booked_by=facility_manager, now=now)
    assert booking.booked_by == facility_manager


def test_a_failed_booking_leaves_no_rows(employee, colleague, desk, now):
    book(employee, desk, now=now)
    with pytest.raises(BookingError):
        book(colleague, desk, now=now)
    assert Booking.objects.count() == 1


def test_a_booking_moves_to_another_desk_and_time(employee, desk, other_desk, now):
    booking = book(employee, desk, now=now)
    building = desk.floor.building
    change_booking(
        booking=booking,
        actor=employee,
        resource=other_desk,
        start=at(building, FRIDAY, "10:00"),
        end=at(building, FRIDAY, "15:00"),
        now=now,
    )
    booking.refresh_from_db()
    assert booking.resource == other_desk
    assert booking.start == at(building, FRIDAY, "10:00")


def test_a_change_may_overlap_the_bookings_own_old_period(employee, desk, now):
    booking = book(employee, desk, "09:00", "12:00", now=now)
    building = desk.floor.building
    change_booking(
        booking=booking,
        actor=employee,
        start=at(building, FRIDAY, "10:00"),
        end=at(building, FRIDAY, "14:00"),
        now=now,
    )
    booking.refresh_from_db()
    assert booking.end == at(building, FRIDAY, "14:00")


def test_a_change_onto_a_booked_desk_is_refused(employee, colleague, desk, other_desk, now):
    book(colleague, other_desk, now=now)
    booking = book(employee, desk, now=now)
    with pytest.raises(BookingError, match="already booked"):
        change_booking(
            booking=booking,
            actor=employee,
            resource=other_desk,
            start=booking.start,
            end=booking.end,
            now=now,
        )


def test_a_stranger_cannot_cancel_my_booking(employee, colleague, desk, now):
    booking = book(employee, desk, now=now)
    with pytest.raises(BookingError, match="does not exist"):
        cancel_booking(booking=booking, actor=colleague, now=now)


def test_a_facility_manager_can_cancel_any_booking_of_their_organisation(
    employee, facility_manager, desk, now
):
    booking = book(employee, desk, now=now)
    cancel_booking(booking=booking, actor=facility_manager, reason="Desk is broken", now=now)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_another_organisations_facility_manager_cannot_cancel(employee, stranger, desk, now):
    booking = book(employee, desk, now=now)
    with pytest.raises(BookingError):
        cancel_booking(booking=booking, actor=stranger, now=now)


def test_a_past_booking_cannot_be_cancelled(employee, desk, now):
    booking = book(employee, desk, now=now)
    with pytest.raises(BookingError, match="no longer"):
        cancel_booking(booking=booking, actor=employee, now=booking.end + timedelta(minutes=1))


def test_check_in_inside_the_window(employee, desk, now):
    booking = book(employee, desk, now=now)
    record = check_in(booking=booking, now=booking.start - timedelta(minutes=15))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert record.checked_in_at == booking.start - timedelta(minutes=15)


def test_check_in_before_the_window_is_refused(employee, desk, now):
    booking = book(employee, desk, now=now)
    with pytest.raises(BookingError, match="Check-in opens at 08:45"):
        check_in(booking=booking, now=booking.start - timedelta(minutes=16))


def test_check_in_after_the_release_deadline_is_refused(employee, desk, now):
    booking = book(employee, desk, now=now)
    with pytest.raises(BookingError, match="closed"):
        check_in(booking=booking, now=booking.start + timedelta(minutes=30))
    check_in(booking=booking, now=booking.start + timedelta(minutes=29))


def test_checking_out_ends_the_booking_and_frees_the_rest(employee, colleague, desk, now):
    booking = book(employee, desk, now=now)
    check_in(booking=booking, now=booking.start)
    leaving = at(desk.floor.building, FRIDAY, "12:00")
    record = check_out(booking=booking, now=leaving)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert booking.end == leaving
    assert record.duration == timedelta(hours=3)
    assert book(colleague, desk, "12:00", "17:00", now=now).pk


def test_checking_in_elsewhere_checks_out_the_first(employee, floor, now):
    first_room, second_room = ResourceFactory.create_batch(
        2, floor=floor, kind=ResourceKind.MEETING_ROOM, capacity=4
    )
    first = book(employee, first_room, "09:00", "10:00", now=now)
    second = book(employee, second_room, "09:00", "10:00", now=now)
    check_in(booking=first, now=first.start)
    check_in(booking=second, now=first.start + timedelta(minutes=10))
    first.refresh_from_db()
    assert first.status == BookingStatus.COMPLETED
    assert CheckIn.objects.filter(user=employee, checked_out_at__isnull=True).count() == 1


def test_a_checked_in_booking_is_not_cancelled_but_checked_out(employee, desk, now):
    booking = book(employee, desk, now=now)
    check_in(booking=booking, now=booking.start)
    with pytest.raises(BookingError, match="check out"):
        cancel_booking(booking=booking, actor=employee, now=booking.start)


def test_check_out_without_check_in_is_refused(employee, desk, now):
    booking = BookingFactory(resource=desk, user=employee)
    with pytest.raises(BookingError, match="not checked in"):
        check_out(booking=booking, now=now)


def test_a_walk_in_books_until_the_next_booking_and_checks_in(employee, colleague, desk):
    from bookings.services import walk_in

    building = desk.floor.building
    arrival = at(building, FRIDAY, "09:07")
    book(colleague, desk, "13:00", "17:00", now=arrival - timedelta(days=1))
    record = walk_in(user=employee, resource=desk, now=arrival)
    assert record.method == "walk_in"
    assert record.booking.start == at(building, FRIDAY, "09:00")
    assert record.booking.end == at(building, FRIDAY, "13:00")
    assert record.booking.status == BookingStatus.CHECKED_IN


def test_a_walk_in_on_a_booked_desk_is_refused(employee, colleague, desk):
    from bookings.services import walk_in

    arrival = at(desk.floor.building, FRIDAY, "10:00")
    book(colleague, desk, "09:00", "17:00", now=arrival - timedelta(days=1))
    with pytest.raises(BookingError, match="already booked"):
        walk_in(user=employee, resource=desk, now=arrival)


def test_a_walk_in_starts_when_the_last_person_checked_out(employee, colleague, desk):
    from bookings.services import walk_in

    building = desk.floor.building
    first = book(colleague, desk, "09:00", "17:00", now=at(building, FRIDAY, "08:00"))
    check_in(booking=first, now=at(building, FRIDAY, "09:00"))
    check_out(booking=first, now=at(building, FRIDAY, "09:07"))
    record = walk_in(user=employee, resource=desk, now=at(building, FRIDAY, "09:10"))
    assert record.booking.start == at(building, FRIDAY, "09:07")


def test_a_walk_in_checks_out_of_the_place_before(employee, desk, floor):
    from bookings.services import walk_in

    building = desk.floor.building
    room = ResourceFactory(floor=floor, kind=ResourceKind.MEETING_ROOM, capacity=4)
    meeting = book(employee, room, "09:00", "10:00", now=at(building, FRIDAY, "08:00"))
    check_in(booking=meeting, now=at(building, FRIDAY, "09:00"))
    walk_in(user=employee, resource=desk, now=at(building, FRIDAY, "09:40"))
    meeting.refresh_from_db()
    assert meeting.status == BookingStatus.COMPLETED
    assert CheckIn.objects.filter(user=employee, checked_out_at__isnull=True).count() == 1
