"""Each policy rule at its boundary: the last allowed value passes, the next one is refused."""

from datetime import date, time, timedelta

import pytest

from bookings.models import ClosedDay
from bookings.policies import effective_policy
from bookings.services import BookingError, cancel_booking, create_booking
from locations.models import ResourceKind
from tests.bookings.conftest import NOW
from tests.clock import at
from tests.factories import (
    BookingPolicyFactory,
    BuildingFactory,
    OpeningHoursFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db

FRIDAY = date(2025, 3, 28)


@pytest.fixture
def policy(organization):
    return BookingPolicyFactory(
        organization=organization,
        resource_kind=ResourceKind.DESK,
        max_days_ahead=7,
        min_duration_minutes=60,
        max_duration_minutes=600,
        slot_minutes=30,
        max_bookings_per_day=2,
    )


def book(user, resource, start, end, day=FRIDAY, now=NOW):
    building = resource.floor.building
    return create_booking(
        user=user,
        resource=resource,
        start=at(building, day, start),
        end=at(building, day, end),
        now=now,
    )


def test_the_minimum_duration_is_allowed(policy, employee, desk):
    assert book(employee, desk, "09:00", "10:00")


def test_below_the_minimum_duration_is_refused(policy, employee, desk):
    with pytest.raises(BookingError, match="at least 60 minutes"):
        book(employee, desk, "09:00", "09:30")


def test_the_maximum_duration_is_allowed(policy, employee, desk):
    assert book(employee, desk, "08:00", "18:00")


def test_above_the_maximum_duration_is_refused(policy, employee, desk):
    with pytest.raises(BookingError, match="at most 10 hours"):
        book(employee, desk, "08:00", "18:30")


def test_times_off_the_slot_grid_are_refused(policy, employee, desk):
    with pytest.raises(BookingError, match="blocks of 30 minutes"):
        book(employee, desk, "09:15", "11:00")


def test_the_last_day_of_the_horizon_is_allowed(policy, employee, desk):
    assert book(employee, desk, "09:00", "17:00", day=date(2025, 4, 3))


def test_a_day_past_the_horizon_is_refused(policy, employee, desk):
    with pytest.raises(BookingError, match="at most 7 days ahead"):
        book(employee, desk, "09:00", "17:00", day=date(2025, 4, 4))


def test_the_current_slot_can_still_be_booked(policy, employee, desk):
    now = at(desk.floor.building, FRIDAY, "09:10")
    assert book(employee, desk, "09:00", "12:00", now=now)


def test_a_slot_that_has_passed_is_refused(policy, employee, desk):
    now = at(desk.floor.building, FRIDAY, "09:30")
    with pytest.raises(BookingError, match="already passed"):
        book(employee, desk, "09:00", "12:00", now=now)


def test_bookings_up_to_the_daily_limit_are_allowed(policy, employee, floor):
    first, second = ResourceFactory.create_batch(2, floor=floor)
    book(employee, first, "08:00", "10:00")
    assert book(employee, second, "10:00", "12:00")


def test_a_booking_over_the_daily_limit_is_refused(policy, employee, floor):
    first, second, third = ResourceFactory.create_batch(3, floor=floor)
    book(employee, first, "08:00", "10:00")
    book(employee, second, "10:00", "12:00")
    with pytest.raises(BookingError, match="that is the maximum"):
        book(employee, third, "13:00", "15:00")


def test_cancelled_bookings_do_not_count_towards_the_daily_limit(policy, employee, floor):
    first, second, third = ResourceFactory.create_batch(3, floor=floor)
    book(employee, first, "08:00", "10:00")
    cancel_booking(booking=book(employee, second, "10:00", "12:00"), actor=employee, now=NOW)
    assert book(employee, third, "13:00", "15:00")


def test_booking_inside_opening_hours_is_allowed(policy, employee, desk):
    OpeningHoursFactory(policy=policy, weekday=FRIDAY.weekday(), opens=time(8), closes=time(18))
    assert book(employee, desk, "08:00", "18:00")


def test_booking_past_closing_time_is_refused(policy, employee, desk):
    OpeningHoursFactory(policy=policy, weekday=FRIDAY.weekday(), opens=time(8), closes=time(18))
    with pytest.raises(BookingError, match="08:00 to 18:00"):
        book(employee, desk, "17:00", "18:30")


def test_booking_before_opening_time_is_refused(policy, employee, desk):
    OpeningHoursFactory(policy=policy, weekday=FRIDAY.weekday(), opens=time(8), closes=time(18))
    with pytest.raises(BookingError, match="opening hours"):
        book(employee, desk, "07:30", "09:00")


def test_a_closed_weekday_is_refused(policy, employee, desk):
    OpeningHoursFactory(policy=policy, weekday=FRIDAY.weekday(), closed=True)
    with pytest.raises(BookingError, match="closed on that day"):
        book(employee, desk, "09:00", "17:00")


def test_a_closed_day_is_refused(policy, employee, desk):
    ClosedDay.objects.create(policy=policy, date=FRIDAY, name="Company day off")
    with pytest.raises(BookingError, match="closed on that day"):
        book(employee, desk, "09:00", "17:00")


def test_without_opening_hours_a_booking_may_run_to_midnight(employee, desk):
    building = desk.floor.building
    booking = create_booking(
        user=employee,
        resource=desk,
        start=at(building, FRIDAY, "16:00"),
        end=at(building, FRIDAY + timedelta(days=1), "00:00"),
        now=NOW,
    )
    assert booking.end - booking.start == timedelta(hours=8)


def test_a_booking_cannot_run_past_midnight(employee, desk):
    building = desk.floor.building
    with pytest.raises(BookingError, match="opening hours"):
        create_booking(
            user=employee,
            resource=desk,
            start=at(building, FRIDAY, "20:00"),
            end=at(building, FRIDAY + timedelta(days=1), "01:00"),
            now=NOW,
        )


def test_a_building_policy_overrides_single_fields(policy, organization, building):
    BookingPolicyFactory(
        organization=organization,
        building=building,
        resource_kind=ResourceKind.DESK,
        max_days_ahead=30,
    )
    rules = effective_policy(organization=organization, building=building, kind=ResourceKind.DESK)
    assert rules.max_days_ahead == 30
    assert rules.max_duration_minutes == 600


def test_another_buildings_override_does_not_apply(policy, organization, building):
    elsewhere = BuildingFactory(organization=organization)
    BookingPolicyFactory(
        organization=organization,
        building=elsewhere,
        resource_kind=ResourceKind.DESK,
        max_days_ahead=30,
    )
    rules = effective_policy(organization=organization, building=building, kind=ResourceKind.DESK)
    assert rules.max_days_ahead == 7


def test_a_building_with_its_own_hours_replaces_the_organisations(policy, organization, building):
    OpeningHoursFactory(policy=policy, weekday=0, opens=time(8), closes=time(18))
    override = BookingPolicyFactory(
        organization=organization, building=building, resource_kind=ResourceKind.DESK
    )
    OpeningHoursFactory(policy=override, weekday=1, opens=time(7), closes=time(22))
    rules = effective_policy(organization=organization, building=building, kind=ResourceKind.DESK)
    assert rules.hours == {1: (time(7), time(22))}


def test_without_any_policy_the_defaults_apply(organization, building):
    rules = effective_policy(organization=organization, building=building, kind=ResourceKind.DESK)
    assert rules.max_bookings_per_day == 1
    assert rules.hours == {}
