"""iCalendar (RFC 5545) files of bookings: the e-mail attachment, the download and the feed."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from bookings.models import Booking

PRODID = "-//Officebooking//EN"


def bookings_calendar(
    bookings: Iterable[Booking], *, name: str, refresh_interval: timedelta | None = None
) -> bytes:
    """Return a VCALENDAR with one VEVENT per booking, in the active language.

    Pass bookings with `resource__floor__building` selected, or each one costs three queries.
    `refresh_interval` tells subscribed calendar apps how often to fetch a feed again.
    """
    now = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if refresh_interval is not None:
        # RFC 7986's property, and the older one that Outlook reads.
        calendar.add("refresh-interval", refresh_interval, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh_interval))

    days: list[date] = []
    for booking in bookings:
        calendar.add_component(_booking_event(booking, stamp=now))
        days += [booking.start.date(), booking.end.date()]
    if days:
        # A VTIMEZONE covering only the years in use stays a few lines long; one covering the
        # default 1970-2038 would list every transition and weigh more than the events.
        calendar.add_missing_timezones(
            first_date=date(min(days).year, 1, 1), last_date=date(max(days).year + 1, 1, 1)
        )
        for vtimezone in calendar.timezones:
            _fix_spring_forward_onsets(vtimezone)
    return calendar.to_ical()


def _fix_spring_forward_onsets(vtimezone: Timezone) -> None:
    # icalendar 7 writes the onset of a spring-forward as the first wall time after the gap
    # (Amsterdam: 03:00), but RFC 5545 reads DTSTART in the TZOFFSETFROM offset, so clients
    # that use the VTIMEZONE (Outlook) would switch an hour late. Fall-backs come out right.
    for observance in vtimezone.subcomponents:
        gap = observance["TZOFFSETTO"].td - observance["TZOFFSETFROM"].td
        if gap > timedelta(0):
            observance.DTSTART = observance.DTSTART - gap


def booking_uid(booking: Booking) -> str:
    # Stable across changes of time and desk, so calendar apps update the event in place.
    return f"booking-{booking.pk}@{urlsplit(settings.BASE_URL).hostname}"


def _booking_event(booking: Booking, *, stamp: datetime) -> Event:
    resource = booking.resource
    floor = resource.floor
    building = floor.building
    tz = building.tz
    bookings_url = settings.BASE_URL + reverse("my_bookings")
    description = "\n".join(
        [
            _("Floor: %(floor)s") % {"floor": floor.name},
            _("Your bookings: %(url)s") % {"url": bookings_url},
        ]
    )
    event = Event.new(
        uid=booking_uid(booking),
        stamp=stamp,
        # Local times with the building's TZID: "09:00 Amsterdam" stays 09:00 in the
        # calendar on the days the clocks change, wherever the reader is.
        start=timezone.localtime(booking.start, tz),
        end=timezone.localtime(booking.end, tz),
        sequence=_sequence(booking),
        last_modified=booking.updated_at.astimezone(UTC),
        summary=f"{resource} · {building.name}",
        location=_address(building),
        description=description,
        url=bookings_url,
        status="CONFIRMED" if booking.is_holding else "CANCELLED",
        transparency="OPAQUE",
    )
    if building.latitude is not None and building.longitude is not None:
        event.add("geo", (float(building.latitude), float(building.longitude)))
    return event


def _sequence(booking: Booking) -> int:
    # Calendar apps apply an update only when SEQUENCE grows. Seconds since creation grow with
    # every save and stay far inside the 32-bit integer RFC 5545 allows.
    return max(0, int((booking.updated_at - booking.created_at).total_seconds()))


def _address(building) -> str:
    town = " ".join(part for part in (building.postal_code, building.city) if part)
    return ", ".join(part for part in (building.name, building.street, town) if part)
