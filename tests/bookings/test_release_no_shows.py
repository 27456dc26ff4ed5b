from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from bookings.services import release_no_shows
from locations.models import ResourceKind
from tests.factories import BookingFactory, BookingPolicyFactory, ResourceFactory
from tests.threads import run_at_once


@pytest.mark.django_db
def test_a_booking_nobody_checked_in_to_is_released_after_the_window(desk, employee):
    booking = BookingFactory(resource=desk, user=employee)
    assert release_no_shows(now=booking.start + timedelta(minutes=29)) == 0
    assert release_no_shows(now=booking.start + timedelta(minutes=30)) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RELEASED


@pytest.mark.django_db
def test_a_checked_in_booking_is_not_released(desk, employee):
    booking = BookingFactory(resource=desk, user=employee, status=BookingStatus.CHECKED_IN)
    assert release_no_shows(now=booking.start + timedelta(hours=1)) == 0


@pytest.mark.django_db
def test_the_policys_release_time_applies(organization, desk, employee):
    BookingPolicyFactory(
        organization=organization, resource_kind=ResourceKind.DESK, release_after_minutes=60
    )
    booking = BookingFactory(resource=desk, user=employee)
    assert release_no_shows(now=booking.start + timedelta(minutes=59)) == 0
    assert release_no_shows(now=booking.start + timedelta(minutes=60)) == 1


@pytest.mark.django_db
def test_a_policy_without_auto_release_keeps_no_shows(organization, desk, employee):
    BookingPolicyFactory(
        organization=organization, resource_kind=ResourceKind.DESK, auto_release=False
    )
    booking = BookingFactory(resource=desk, user=employee)
    assert release_no_shows(now=booking.start + timedelta(hours=2)) == 0


@pytest.mark.django_db
def test_running_twice_releases_once(desk, employee):
    booking = BookingFactory(resource=desk, user=employee)
    later = booking.start + timedelta(hours=1)
    assert release_no_shows(now=later) == 1
    assert release_no_shows(now=later) == 0


@pytest.mark.django_db
def test_the_management_command_releases(desk, employee, capsys):
    two_hours_ago = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
    BookingFactory(resource=desk, user=employee, start=two_hours_ago)
    call_command("release_no_shows")
    assert "Released 1 booking(s)." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_workers_racing_release_each_booking_exactly_once(floor, organization):
    if connection.vendor != "postgresql":
        pytest.fail("This race needs PostgreSQL: run it with make test.")
    desks = ResourceFactory.create_batch(60, floor=floor)
    bookings = [BookingFactory(resource=desk) for desk in desks]
    later = max(b.start for b in bookings) + timedelta(hours=1)
    counts = run_at_once([lambda: release_no_shows(now=later)] * 2)

    assert sum(counts) == 60
    released = Booking.objects.filter(status=BookingStatus.RELEASED)
    assert released.count() == 60
