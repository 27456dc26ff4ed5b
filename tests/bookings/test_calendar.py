"""Calendars: the confirmation e-mail's .ics, the personal feed and the single-booking download."""

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings.models import BookingStatus, CalendarFeed
from bookings.services import create_booking, create_calendar_feed, revoke_calendar_feed
from tests.clock import at
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

BEFORE_SPRING = datetime(2025, 3, 27, 8, 0, tzinfo=UTC)
BEFORE_AUTUMN = datetime(2025, 10, 23, 8, 0, tzinfo=UTC)
HOST = "book.example.com"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = f"https://{HOST}"


def book_day(user, desk, day: date, now: datetime):
    building = desk.floor.building
    return create_booking(
        user=user,
        resource=desk,
        start=at(building, day, "09:00"),
        end=at(building, day, "17:00"),
        now=now,
    )


def attached_calendar(message) -> Calendar:
    [(filename, content, _mimetype)] = message.attachments
    assert filename == "booking.ics"
    return Calendar.from_ical(content)


def fetch_feed(client, token: str) -> Calendar:
    response = client.get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def wall_clock(event) -> tuple[datetime, datetime]:
    return event.start.replace(tzinfo=None), event.end.replace(tzinfo=None)


def in_utc(event, calendar: Calendar) -> tuple[datetime, datetime]:
    # Read the times through the file's own VTIMEZONE, as Outlook does, not the system's
    # copy of the zone database.
    [vtimezone] = calendar.timezones
    tz = vtimezone.to_tz(lookup_tzid=False)
    start, end = wall_clock(event)
    return start.replace(tzinfo=tz).astimezone(UTC), end.replace(tzinfo=tz).astimezone(UTC)


def dst_change_days(tz, after: date) -> list[date]:
    """Return the days within a year after `after` on which the clocks change."""
    days = (after + timedelta(days=n) for n in range(1, 367))
    return [
        day
        for day in days
        if datetime.combine(day, time(0), tz).utcoffset()
        != datetime.combine(day, time(23), tz).utcoffset()
    ]


# The confirmation e-mail


def test_the_confirmation_email_has_a_calendar_file_with_one_event(
    employee, desk, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_day(employee, desk, date(2025, 3, 30), BEFORE_SPRING)

    [message] = mailoutbox
    assert message.to == [employee.email]
    [event] = attached_calendar(message).events
    assert str(event["UID"]) == f"booking-{booking.pk}@{HOST}"
    assert str(event["SUMMARY"]) == "Desk A.01 · Amsterdam HQ"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_calendar_attachment_is_sent_as_text_calendar_with_method_publish(
    employee, desk, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        book_day(employee, desk, date(2025, 3, 30), BEFORE_SPRING)

    [part] = [p for p in mailoutbox[0].message().walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "PUBLISH"
    assert part.get_content_charset() == "utf-8"
    assert part.get_filename() == "booking.ics"
    Calendar.from_ical(part.get_payload(decode=True))


def test_the_attachment_holds_local_times_on_the_spring_dst_day(
    employee, desk, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        book_day(employee, desk, date(2025, 3, 30), BEFORE_SPRING)

    calendar = attached_calendar(mailoutbox[0])
    [event] = calendar.events
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event["DTEND"].params["TZID"] == "Europe/Amsterdam"
    assert wall_clock(event) == (datetime(2025, 3, 30, 9, 0), datetime(2025, 3, 30, 17, 0))
    assert in_utc(event, calendar) == (
        datetime(2025, 3, 30, 7, 0, tzinfo=UTC),
        datetime(2025, 3, 30, 15, 0, tzinfo=UTC),
    )


def test_the_attachment_holds_local_times_on_the_autumn_dst_day(
    employee, desk, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        book_day(employee, desk, date(2025, 10, 26), BEFORE_AUTUMN)

    calendar = attached_calendar(mailoutbox[0])
    [event] = calendar.events
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert wall_clock(event) == (datetime(2025, 10, 26, 9, 0), datetime(2025, 10, 26, 17, 0))
    assert in_utc(event, calendar) == (
        datetime(2025, 10, 26, 8, 0, tzinfo=UTC),
        datetime(2025, 10, 26, 16, 0, tzinfo=UTC),
    )


def test_the_attachment_includes_the_vtimezone_of_the_building(
    employee, desk, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        book_day(employee, desk, date(2025, 3, 30), BEFORE_SPRING)

    calendar = attached_calendar(mailoutbox[0])
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]
    assert calendar.get_missing_tzids() == set()
    assert str(calendar["PRODID"]) == "-//Officebooking//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"


def test_the_vtimezone_switches_to_summer_time_at_two_in_the_night(
    employee, desk, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        book_day(employee, desk, date(2025, 3, 30), BEFORE_SPRING)

    [vtimezone] = attached_calendar(mailoutbox[0]).timezones
    [summer] = vtimezone.daylight
    # RFC 5545 reads the onset in the offset before the change: 02:00 CET, 01:00 UTC.
    onset = summer.DTSTART
    assert onset == datetime(2025, 3, 30, 2, 0)
    tz = vtimezone.to_tz(lookup_tzid=False)
    assert datetime(2025, 3, 30, 1, 30, tzinfo=UTC).astimezone(tz).utcoffset() == timedelta(hours=2)


def test_the_confirmation_email_is_in_the_persons_language(
    employee, desk, django_capture_on_commit_callbacks, mailoutbox
):
    employee.language = "nl"
    employee.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        book_day(employee, desk, date(2025, 3, 30), BEFORE_SPRING)

    [message] = mailoutbox
    assert "bevestigd" in message.subject
    assert "Werkplek A.01" in message.subject
    [event] = attached_calendar(message).events
    assert str(event["SUMMARY"]) == "Werkplek A.01 · Amsterdam HQ"


def test_the_confirmation_email_lists_the_local_period(
    employee, desk, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        book_day(employee, desk, date(2025, 3, 30), BEFORE_SPRING)

    assert "Sun 30 Mar 2025, 09:00–17:00" in mailoutbox[0].body
    assert f"https://{HOST}{reverse('my_bookings')}" in mailoutbox[0].body


def test_no_confirmation_is_sent_for_a_booking_cancelled_before_the_email_went_out(
    employee, desk, mailoutbox
):
    from bookings.tasks import send_booking_confirmation

    booking = BookingFactory(resource=desk, user=employee, status=BookingStatus.CANCELLED)
    assert send_booking_confirmation(booking_ids=[booking.pk]) == 0
    assert mailoutbox == []


# The feed


def test_the_feed_lists_only_my_upcoming_bookings(
    client, employee, colleague, desk, other_desk, foreign_desk, stranger
):
    tomorrow = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    mine = [
        BookingFactory(resource=desk, user=employee, start=tomorrow),
        BookingFactory(resource=desk, user=employee, start=tomorrow + timedelta(days=1)),
    ]
    BookingFactory(resource=other_desk, user=colleague, start=tomorrow)
    BookingFactory(
        resource=other_desk,
        user=employee,
        start=tomorrow + timedelta(days=2),
        status=BookingStatus.CANCELLED,
    )
    BookingFactory(resource=desk, user=employee, start=tomorrow - timedelta(days=3))
    BookingFactory(resource=foreign_desk, user=stranger, start=tomorrow)
    _feed, token = create_calendar_feed(user=employee)

    calendar = fetch_feed(client, token)

    assert [str(event["UID"]) for event in calendar.events] == [
        f"booking-{booking.pk}@{HOST}" for booking in mine
    ]


def test_the_feed_is_a_private_text_calendar(client, employee, desk):
    BookingFactory(resource=desk, user=employee)
    _feed, token = create_calendar_feed(user=employee)

    response = client.get(reverse("calendar_feed", args=[token]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert str(Calendar.from_ical(response.content)["X-WR-CALNAME"]) == "Officebooking"


def test_the_feed_keeps_its_uids_across_fetches(client, employee, desk):
    BookingFactory(resource=desk, user=employee)
    BookingFactory(resource=desk, user=employee, start=timezone.now() + timedelta(days=2, hours=1))
    _feed, token = create_calendar_feed(user=employee)

    first = [str(event["UID"]) for event in fetch_feed(client, token).events]
    second = [str(event["UID"]) for event in fetch_feed(client, token).events]

    assert len(first) == 2
    assert first == second


def test_the_feed_holds_local_times_across_the_next_dst_changes(client, employee, desk):
    building = desk.floor.building
    days = dst_change_days(building.tz, timezone.localdate())
    for day in days:
        BookingFactory(
            resource=desk,
            user=employee,
            start=at(building, day, "09:00"),
            end=at(building, day, "17:00"),
        )
    _feed, token = create_calendar_feed(user=employee)

    calendar = fetch_feed(client, token)

    assert len(days) == 2
    assert {tz.tz_name for tz in calendar.timezones} == {"Europe/Amsterdam"}
    for day, event in zip(days, calendar.events, strict=True):
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert wall_clock(event) == (
            datetime.combine(day, time(9)),
            datetime.combine(day, time(17)),
        )
        assert in_utc(event, calendar) == (
            at(building, day, "09:00").astimezone(UTC),
            at(building, day, "17:00").astimezone(UTC),
        )


def test_the_feed_takes_a_fixed_number_of_queries(
    client, employee, desk, django_assert_max_num_queries
):
    for days in range(1, 6):
        BookingFactory(resource=desk, user=employee, start=timezone.now() + timedelta(days=days))
    _feed, token = create_calendar_feed(user=employee)

    with django_assert_max_num_queries(2):
        assert len(fetch_feed(client, token).events) == 5


def test_a_revoked_feed_gives_404(client, employee, desk):
    BookingFactory(resource=desk, user=employee)
    _feed, token = create_calendar_feed(user=employee)
    revoke_calendar_feed(user=employee)

    response = client.get(reverse("calendar_feed", args=[token]))

    assert response.status_code == 404


def test_an_unknown_feed_token_gives_404(client, employee):
    create_calendar_feed(user=employee)

    response = client.get(reverse("calendar_feed", args=["not-a-token"]))

    assert response.status_code == 404


def test_making_a_new_feed_switches_the_old_link_off(client, employee, desk):
    BookingFactory(resource=desk, user=employee)
    _old, old_token = create_calendar_feed(user=employee)
    _new, new_token = create_calendar_feed(user=employee)

    assert client.get(reverse("calendar_feed", args=[old_token])).status_code == 404
    assert len(fetch_feed(client, new_token).events) == 1


# The settings page


def _links(html: str) -> list[str]:
    return re.findall(r"(?:https|webcal)://[^\s\"<]*/calendar/[^\s\"<]*\.ics", html)


def test_creating_a_feed_shows_its_links_once(client, employee):
    client.force_login(employee)

    response = client.post(reverse("calendar_settings"), {"action": "create"})

    html = response.content.decode()
    [https, webcal] = sorted(set(_links(html)))
    assert https.startswith(f"https://{HOST}/calendar/")
    assert webcal == "webcal://" + https.removeprefix("https://")
    assert "no-store" in response["Cache-Control"]


def test_the_link_shown_opens_the_feed(client, employee, desk):
    BookingFactory(resource=desk, user=employee)
    client.force_login(employee)
    response = client.post(reverse("calendar_settings"), {"action": "create"})
    [https, _webcal] = sorted(set(_links(response.content.decode())))
    client.logout()

    response = client.get(https.removeprefix(f"https://{HOST}"))

    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).events) == 1


def test_the_settings_page_does_not_show_the_link_again(client, employee):
    feed, token = create_calendar_feed(user=employee)
    client.force_login(employee)

    response = client.get(reverse("calendar_settings"))

    html = response.content.decode()
    assert token not in html
    assert _links(html) == []
    assert f"/calendar/{feed.prefix}…" in html
    assert "Make a new link" in html and "Revoke the feed" in html


def test_renewing_shows_the_new_link_and_switches_the_old_one_off(client, employee):
    _old, old_token = create_calendar_feed(user=employee)
    client.force_login(employee)

    response = client.post(reverse("calendar_settings"), {"action": "renew"})

    [https, _webcal] = sorted(set(_links(response.content.decode())))
    assert old_token not in https
    assert client.get(reverse("calendar_feed", args=[old_token])).status_code == 404
    assert client.get(https.removeprefix(f"https://{HOST}")).status_code == 200


def test_only_a_hash_of_the_token_is_stored(employee):
    feed, token = create_calendar_feed(user=employee)

    row = CalendarFeed.objects.values().get(pk=feed.pk)
    assert token not in [str(value) for value in row.values()]
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["prefix"] == token[:8]


def test_the_feed_is_found_by_the_hash_of_its_token(client, employee, desk):
    BookingFactory(resource=desk, user=employee)
    token = "a-token-from-before"
    CalendarFeed.objects.create(
        user=employee, token_hash=hashlib.sha256(token.encode()).hexdigest()
    )

    assert len(fetch_feed(client, token).events) == 1
    assert client.get(reverse("calendar_feed", args=["a-token-from-befor"])).status_code == 404


def test_a_feed_made_without_the_service_opens_with_no_token(employee):
    first = CalendarFeed.objects.create(user=employee)
    second = CalendarFeed.objects.create(user=employee, revoked_at=timezone.now())

    assert len(first.token_hash) == 64
    assert first.token_hash != second.token_hash


def test_the_settings_page_revokes_the_feed(client, employee):
    feed, token = create_calendar_feed(user=employee)
    client.force_login(employee)

    client.post(reverse("calendar_settings"), {"action": "revoke"})

    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_the_settings_page_is_in_dutch(client, employee):
    employee.language = "nl"
    employee.save(update_fields=["language"])
    client.force_login(employee)

    response = client.get(reverse("calendar_settings"), headers={"accept-language": "nl"})

    assert "agendafeed" in response.content.decode().lower()


def test_the_settings_page_needs_a_login(client):
    response = client.get(reverse("calendar_settings"))

    assert response.status_code == 302


# One booking as a download


def test_i_can_download_my_booking_as_ics(client, employee, desk):
    booking = BookingFactory(resource=desk, user=employee)
    client.force_login(employee)

    response = client.get(reverse("booking_ics", args=[booking.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = Calendar.from_ical(response.content).events
    assert str(event["UID"]) == f"booking-{booking.pk}@{HOST}"


def test_a_colleagues_booking_gives_404_as_ics(client, employee, colleague, desk):
    booking = BookingFactory(resource=desk, user=colleague)
    client.force_login(employee)

    response = client.get(reverse("booking_ics", args=[booking.pk]))

    assert response.status_code == 404


def test_another_organisations_booking_gives_404_as_ics(client, employee, stranger, foreign_desk):
    booking = BookingFactory(resource=foreign_desk, user=stranger)
    client.force_login(employee)

    response = client.get(reverse("booking_ics", args=[booking.pk]))

    assert response.status_code == 404
