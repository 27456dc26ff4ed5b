"""Bookings are made in the building's local time and stored in UTC, DST days included."""

from datetime import UTC, date, datetime, time

import pytest

from bookings.services import BookingError, create_booking
from locations.models import ResourceKind
from tests.clock import at
from tests.factories import (
    BookingPolicyFactory,
    BuildingFactory,
    FloorFactory,
    OpeningHoursFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

BEFORE_SPRING = datetime(2025, 3, 27, 8, 0, tzinfo=UTC)
BEFORE_AUTUMN = datetime(2025, 10, 23, 8, 0, tzinfo=UTC)


def test_a_day_booking_on_the_spring_dst_day_is_stored_in_utc(employee, desk):
    building = desk.floor.building
    day = date(2025, 3, 30)
    booking = create_booking(
        user=employee,
        resource=desk,
        start=at(building, day, "09:00"),
        end=at(building, day, "17:00"),
        now=BEFORE_SPRING,
    )
    booking.refresh_from_db()
    assert booking.start == datetime(2025, 3, 30, 7, 0, tzinfo=UTC)
    assert booking.end == datetime(2025, 3, 30, 15, 0, tzinfo=UTC)


def test_a_day_booking_on_the_autumn_dst_day_is_stored_in_utc(employee, desk):
    building = desk.floor.building
    day = date(2025, 10, 26)
    booking = create_booking(
        user=employee,
        resource=desk,
        start=at(building, day, "09:00"),
        end=at(building, day, "17:00"),
        now=BEFORE_AUTUMN,
    )
    booking.refresh_from_db()
    assert booking.start == datetime(2025, 10, 26, 8, 0, tzinfo=UTC)
    assert booking.end == datetime(2025, 10, 26, 16, 0, tzinfo=UTC)


def test_opening_hours_are_local_on_the_spring_dst_day(organization, employee, desk):
    policy = BookingPolicyFactory(organization=organization, resource_kind=ResourceKind.DESK)
    OpeningHoursFactory(policy=policy, weekday=6, opens=time(9), closes=time(17))
    building = desk.floor.building
    day = date(2025, 3, 30)
    # 09:00 Amsterdam summer time is 07:00 UTC; 08:00 UTC is 10:00 local and inside the hours.
    with pytest.raises(BookingError, match="09:00 to 17:00"):
        create_booking(
            user=employee,
            resource=desk,
            start=datetime(2025, 3, 30, 6, 0, tzinfo=UTC),
            end=datetime(2025, 3, 30, 8, 0, tzinfo=UTC),
            now=BEFORE_SPRING,
        )
    assert create_booking(
        user=employee,
        resource=desk,
        start=at(building, day, "09:00"),
        end=at(building, day, "17:00"),
        now=BEFORE_SPRING,
    )


def test_the_browsers_time_zone_does_not_matter(employee, organization):
    new_york = BuildingFactory(organization=organization, time_zone="America/New_York")
    desk = ResourceFactory(floor=FloorFactory(building=new_york))
    day = date(2025, 3, 28)
    booking = create_booking(
        user=employee,
        resource=desk,
        start=at(new_york, day, "09:00"),
        end=at(new_york, day, "17:00"),
        now=BEFORE_SPRING,
    )
    assert booking.start == datetime(2025, 3, 28, 13, 0, tzinfo=UTC)


def test_the_slot_grid_follows_local_time_in_a_half_hour_offset_zone(employee, organization):
    mumbai = BuildingFactory(organization=organization, time_zone="Asia/Kolkata")
    desk = ResourceFactory(floor=FloorFactory(building=mumbai))
    day = date(2025, 3, 28)
    booking = create_booking(
        user=employee,
        resource=desk,
        start=at(mumbai, day, "09:00"),
        end=at(mumbai, day, "17:00"),
        now=BEFORE_SPRING,
    )
    assert booking.start == datetime(2025, 3, 28, 3, 30, tzinfo=UTC)
