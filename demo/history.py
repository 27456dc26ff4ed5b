"""The demo's past: the weeks before today played out, for the dashboard and the statistics."""

import random
from datetime import datetime, time, timedelta

from django.test.utils import override_settings
from django.utils import timezone

from bookings.models import Booking, BookingStatus, CheckInMethod
from bookings.services import BookingError, check_in, check_out, release_no_shows
from demo.organizations import OrganizationSpec
from demo.schedule import Ledger, book_building_day, users_of
from locations.models import Building
from profiles.models import Organization

# Past working days played out (booked, checked in or not, checked out) for the dashboard.
HISTORY_DAYS = 28
CHECK_IN_SHARE = 0.85


def seed_history(spec: OrganizationSpec, organization: Organization, *, now: datetime) -> int:
    """Play out the past weeks through the services, as each day would have gone.

    Once only: an organisation with bookings before today already has its history.
    """
    today_start = datetime.combine(timezone.localdate(now), time(0), tzinfo=now.tzinfo)
    if Booking.objects.for_organization(organization).filter(start__lt=today_start).exists():
        return 0
    users = users_of(spec)
    played = 0
    # Nobody is told about no-shows from before the demo existed.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for building in Building.objects.for_organization(organization):
            today = timezone.localdate(now, building.tz)
            for offset in range(HISTORY_DAYS, 0, -1):
                day = today - timedelta(days=offset)
                if day.weekday() >= 5:
                    continue
                # Booked early that morning, in the building's own time zone.
                morning = datetime.combine(day, time(5), tzinfo=building.tz)
                ledger = Ledger(organization, now=morning)
                book_building_day(ledger, spec, building, users, day)
                played += ledger.added
                for booking in Booking.objects.filter(
                    resource__floor__building=building,
                    status=BookingStatus.CONFIRMED,
                    created_at=morning,
                ):
                    play_booking(booking)
                release_no_shows(now=datetime.combine(day, time(23), tzinfo=building.tz))
    return played


def play_booking(booking: Booking) -> None:
    """Check the person in (mostly) and out, at times drawn from the booking itself."""
    rng = random.Random(f"history/{booking.pk}")
    if rng.random() > CHECK_IN_SHARE:
        return
    arrived = booking.start + timedelta(minutes=rng.randrange(0, 10))
    left = booking.end - timedelta(minutes=rng.randrange(0, 60))
    try:
        check_in(booking=booking, method=CheckInMethod.QR, now=arrived)
    except BookingError:
        return  # Outside its check-in window after all: it becomes a no-show.
    check_out(booking=booking, now=max(left, arrived + timedelta(minutes=30)))
