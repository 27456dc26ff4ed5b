"""No double booking under concurrent load, on PostgreSQL with one connection per thread."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from bookings.models import Booking, BookingStatus
from bookings.services import BookingError, create_booking
from tests.bookings.conftest import NOW
from tests.clock import at
from tests.factories import BookingFactory, ResourceFactory, UserFactory
from tests.threads import run_at_once

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

THREADS = 20
FRIDAY = date(2025, 3, 28)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.fail("The concurrency tests need PostgreSQL: run them with make test.")


def test_twenty_people_booking_one_desk_at_once_get_exactly_one_booking(organization, desk):
    people = UserFactory.create_batch(THREADS, organization=organization)
    building = desk.floor.building

    def attempt(person, offset):
        # Overlapping, not identical, periods: every pair overlaps by at least an hour.
        start = at(building, FRIDAY, "09:00") + timedelta(minutes=30 * (offset % 4))
        return lambda: create_booking(
            user=person, resource=desk, start=start, end=start + timedelta(hours=4), now=NOW
        )

    outcomes = run_at_once(
        [attempt(person, i) for i, person in enumerate(people)], expected=BookingError
    )

    assert sum(isinstance(o, Booking) for o in outcomes) == 1
    assert sum(isinstance(o, BookingError) for o in outcomes) == THREADS - 1
    assert Booking.objects.filter(resource=desk).count() == 1


def test_one_person_booking_twenty_desks_at_once_gets_one_against_a_limit_of_one(employee, floor):
    desks = ResourceFactory.create_batch(THREADS, floor=floor)
    building = floor.building

    def attempt(desk, offset):
        # Different, non-overlapping hours: only the per-day limit can refuse them.
        start = at(building, FRIDAY, "00:00") + timedelta(hours=offset)
        return lambda: create_booking(
            user=employee, resource=desk, start=start, end=start + timedelta(hours=1), now=NOW
        )

    outcomes = run_at_once(
        [attempt(desk, i) for i, desk in enumerate(desks)], expected=BookingError
    )

    assert sum(isinstance(o, Booking) for o in outcomes) == 1
    assert all(isinstance(o, BookingError) for o in outcomes if not isinstance(o, Booking))
    assert Booking.objects.filter(user=employee).count() == 1


def test_a_raw_insert_that_overlaps_on_the_resource_is_rejected(desk, employee, colleague):
    first = BookingFactory(resource=desk, user=employee)
    with pytest.raises(IntegrityError, match="booking_resource_no_overlap"), transaction.atomic():
        Booking.objects.create(
            organization=desk.organization,
            resource=desk,
            resource_kind=desk.kind,
            user=colleague,
            start=first.start + timedelta(hours=1),
            end=first.end,
        )


def test_a_raw_insert_of_a_second_desk_for_one_person_is_rejected(desk, other_desk, employee):
    first = BookingFactory(resource=desk, user=employee)
    with pytest.raises(IntegrityError, match="booking_person_no_overlap"), transaction.atomic():
        Booking.objects.create(
            organization=desk.organization,
            resource=other_desk,
            resource_kind=other_desk.kind,
            user=employee,
            start=first.start,
            end=first.end,
        )


def test_the_constraints_ignore_cancelled_bookings(desk, employee, colleague):
    first = BookingFactory(resource=desk, user=employee, status=BookingStatus.CANCELLED)
    assert BookingFactory(resource=desk, user=colleague, start=first.start, end=first.end).pk


def test_the_constraints_allow_back_to_back_bookings(desk, employee, colleague):
    first = BookingFactory(resource=desk, user=employee)
    assert BookingFactory(resource=desk, user=colleague, start=first.end).pk
