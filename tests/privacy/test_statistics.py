from datetime import UTC, date, datetime, timedelta

import pytest

from bookings.models import BookingStatus
from privacy.models import AggregationWatermark, UsageStatistic
from privacy.statistics import aggregate_day, aggregate_pending, postal_area
from tests.clock import at
from tests.factories import BookingFactory, BuildingFactory, CheckInFactory

DAY = date(2025, 3, 10)


def day_row(resource) -> UsageStatistic:
    return UsageStatistic.objects.get(resource_id=resource.pk, date=DAY, hour__isnull=True)


@pytest.fixture
def day_of_bookings(building, desk, other_desk):
    used = BookingFactory(
        resource=desk,
        start=at(building, DAY, "08:00"),
        end=at(building, DAY, "12:00"),
        status=BookingStatus.COMPLETED,
    )
    CheckInFactory(
        booking=used,
        checked_in_at=at(building, DAY, "08:05"),
        checked_out_at=at(building, DAY, "11:35"),
    )
    BookingFactory(
        resource=desk,
        start=at(building, DAY, "13:00"),
        end=at(building, DAY, "17:00"),
        status=BookingStatus.RELEASED,
    )
    BookingFactory(
        resource=desk,
        start=at(building, DAY, "13:00"),
        end=at(building, DAY, "17:00"),
        status=BookingStatus.CANCELLED,
    )
    BookingFactory(
        resource=other_desk,
        start=at(building, DAY, "09:30"),
        end=at(building, DAY, "10:30"),
        status=BookingStatus.CONFIRMED,
    )


def test_a_day_is_counted_per_resource(organization, desk, other_desk, day_of_bookings):
    assert aggregate_day(organization_id=organization.pk, day=DAY) == 4

    row = day_row(desk)
    assert (row.bookings, row.check_ins, row.no_shows, row.cancellations) == (3, 1, 1, 1)
    assert (row.booked_minutes, row.checked_in_minutes) == (240, 210)
    assert (row.building_id, row.floor_id, row.resource_kind) == (
        desk.floor.building_id,
        desk.floor_id,
        "desk",
    )
    assert day_row(other_desk).booked_minutes == 60


def test_hours_are_local_hours_of_the_building(organization, desk, other_desk, day_of_bookings):
    aggregate_day(organization_id=organization.pk, day=DAY)

    eight = UsageStatistic.objects.get(resource_id=desk.pk, date=DAY, hour=8)
    assert (eight.bookings, eight.booked_minutes, eight.checked_in_minutes) == (1, 60, 55)
    thirteen = UsageStatistic.objects.get(resource_id=desk.pk, date=DAY, hour=13)
    assert (thirteen.bookings, thirteen.no_shows, thirteen.cancellations) == (2, 1, 1)
    assert thirteen.booked_minutes == 0
    nine = UsageStatistic.objects.get(resource_id=other_desk.pk, date=DAY, hour=9)
    ten = UsageStatistic.objects.get(resource_id=other_desk.pk, date=DAY, hour=10)
    assert (nine.booked_minutes, ten.booked_minutes) == (30, 30)


def test_a_booking_counts_on_its_local_day(organization, building, desk):
    # 00:30 in Amsterdam is still the day before in UTC.
    BookingFactory(resource=desk, start=at(building, DAY, "00:30"), end=at(building, DAY, "01:30"))
    assert aggregate_day(organization_id=organization.pk, day=DAY - timedelta(days=1)) == 0
    assert aggregate_day(organization_id=organization.pk, day=DAY) == 1
    assert UsageStatistic.objects.get(resource_id=desk.pk, date=DAY, hour=0).bookings == 1


def test_a_day_is_counted_once(organization, desk, day_of_bookings):
    aggregate_day(organization_id=organization.pk, day=DAY)

    assert aggregate_day(organization_id=organization.pk, day=DAY) == 0
    assert day_row(desk).bookings == 3
    assert AggregationWatermark.objects.filter(organization_id=organization.pk).count() == 1


def test_statistics_hold_no_column_that_points_to_a_person():
    names = {field.name for field in UsageStatistic._meta.get_fields()}
    assert not names & {"user", "user_id", "booked_by", "booking", "booking_id", "person"}
    assert not any(field.is_relation for field in UsageStatistic._meta.get_fields())


def test_pending_days_are_counted_up_to_yesterday(organization, building, desk):
    now = at(building, DAY, "02:15")
    yesterday = DAY - timedelta(days=1)
    BookingFactory(resource=desk, start=at(building, yesterday, "09:00"))
    BookingFactory(resource=desk, start=at(building, yesterday - timedelta(days=3), "09:00"))
    BookingFactory(resource=desk, start=at(building, DAY, "09:00"))

    assert aggregate_pending(now=now) == 2
    assert aggregate_pending(now=now) == 0
    counted = set(AggregationWatermark.objects.values_list("date", flat=True))
    assert counted == {yesterday, yesterday - timedelta(days=3)}


def test_a_day_is_pending_until_it_is_over_in_every_building(organization, desk):
    tokyo = BuildingFactory(organization=organization, time_zone="Asia/Tokyo")
    new_york = BuildingFactory(organization=organization, time_zone="America/New_York")
    BookingFactory(resource=desk, start=datetime(2025, 3, 10, 9, tzinfo=UTC))
    assert tokyo and new_york
    # 2025-03-11 02:00 UTC: over in Amsterdam and Tokyo, still the 10th in New York.
    assert aggregate_pending(now=datetime(2025, 3, 11, 2, tzinfo=UTC)) == 0
    assert aggregate_pending(now=datetime(2025, 3, 11, 5, tzinfo=UTC)) == 1


# Mobility


@pytest.mark.parametrize(
    ("code", "country", "area"),
    [
        ("1012 AB", "NL", "1012"),
        ("1012AB", "NL", "1012"),
        ("AB12", "NL", None),
        ("1000", "BE", "1000"),
        ("10115", "DE", "10"),
        ("SW1A 1AA", "GB", "SW1A"),
        ("M11AE", "GB", "M1"),
        ("94107", "US", "941"),
        ("75001", "FR", "75"),
        ("", "NL", None),
    ],
)
def test_postal_area_is_the_leading_part_per_country(code, country, area):
    assert postal_area(code, country) == area
