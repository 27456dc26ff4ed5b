from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, BookingStatus, FavoriteResource
from tests.clock import at, stop_clock
from tests.factories import BookingFactory, BookingPolicyFactory, CheckInFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(building):
    return timezone.localdate(timezone=building.tz) + timedelta(days=3)


def post_booking(client, desk, days, start="09:00", end="17:00", **extra):
    return client.post(
        reverse("book", args=[desk.pk]),
        {"start": start, "end": end, "days": [d.isoformat() for d in days], "note": "", **extra},
        HTTP_HX_REQUEST="true",
    )


def test_the_dialog_offers_the_searched_times(client, employee, desk, day):
    client.force_login(employee)
    response = client.get(
        reverse("book", args=[desk.pk]) + f"?date={day}&start=09:00&end=17:00",
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'value="09:00"' in html and 'value="17:00"' in html
    assert f'value="{day.isoformat()}" checked' in html or f'value="{day.isoformat()}"' in html
    assert "<html" not in html


def test_booking_from_the_dialog_books_and_tells_the_page_to_refresh(client, employee, desk, day):
    client.force_login(employee)
    response = post_booking(client, desk, [day])
    booking = Booking.objects.get()
    assert booking.user == employee
    assert booking.start == at(desk.floor.building, day, "09:00")
    assert "bookingChanged" in response["HX-Trigger"]
    assert reverse("booking_ics", args=[booking.pk]) in response.content.decode()


def test_several_days_are_booked_each_on_its_own(client, employee, colleague, desk, day):
    BookingFactory(
        resource=desk,
        user=colleague,
        start=at(desk.floor.building, day + timedelta(days=1), "08:00"),
        end=at(desk.floor.building, day + timedelta(days=1), "12:00"),
    )
    client.force_login(employee)
    days = [day, day + timedelta(days=1), day + timedelta(days=2)]
    response = post_booking(client, desk, days)
    results = response.context["results"]
    assert [bool(result["booking"]) for result in results] == [True, False, True]
    assert "already booked" in results[1]["error"]
    assert Booking.objects.filter(user=employee).count() == 2


def test_several_days_send_one_confirmation(
    client, employee, desk, day, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(employee)
    with django_capture_on_commit_callbacks(execute=True):
        post_booking(client, desk, [day, day + timedelta(days=1)])
    assert len(mailoutbox) == 1


def test_a_policy_violation_shows_the_services_message(client, organization, employee, desk, day):
    BookingPolicyFactory(organization=organization, min_duration_minutes=120)
    client.force_login(employee)
    response = post_booking(client, desk, [day], start="09:00", end="10:00")
    assert "at least 120 minutes" in response.content.decode()
    assert not Booking.objects.exists()
    assert "HX-Trigger" not in response


def test_an_end_before_the_start_is_a_field_error(client, employee, desk, day):
    client.force_login(employee)
    response = post_booking(client, desk, [day], start="17:00", end="09:00")
    assert response.context["form"].errors["end"]
    assert not Booking.objects.exists()


def test_no_day_chosen_is_a_field_error(client, employee, desk):
    client.force_login(employee)
    response = client.post(reverse("book", args=[desk.pk]), {"start": "09:00", "end": "17:00"})
    assert "Choose at least one day." in response.content.decode()


def test_a_facility_manager_books_for_a_colleague(client, facility_manager, employee, desk, day):
    client.force_login(facility_manager)
    post_booking(client, desk, [day], for_user=employee.pk)
    booking = Booking.objects.get()
    assert booking.user == employee
    assert booking.booked_by == facility_manager


def test_an_employee_cannot_book_for_someone_else(client, employee, colleague, desk, day):
    client.force_login(employee)
    post_booking(client, desk, [day], for_user=colleague.pk)
    assert Booking.objects.get().user == employee


def test_a_facility_manager_cannot_book_for_another_organisations_person(
    client, facility_manager, stranger, desk, day
):
    client.force_login(facility_manager)
    response = post_booking(client, desk, [day], for_user=stranger.pk)
    assert response.context["form"].errors["for_user"]
    assert not Booking.objects.exists()


def test_another_organisations_resource_is_a_404(client, employee, foreign_desk, day):
    client.force_login(employee)
    assert client.get(reverse("book", args=[foreign_desk.pk])).status_code == 404
    assert post_booking(client, foreign_desk, [day]).status_code == 404


def test_without_javascript_the_dialog_is_a_page(client, employee, desk):
    client.force_login(employee)
    response = client.get(reverse("book", args=[desk.pk]))
    assert b"<html" in response.content


def test_my_bookings_lists_upcoming_and_past_with_the_time_present(client, employee, desk):
    now = timezone.now().replace(second=0, microsecond=0)
    BookingFactory(resource=desk, user=employee, start=now + timedelta(days=1))
    past = CheckInFactory(
        booking__resource=desk,
        booking__user=employee,
        booking__start=now - timedelta(days=2),
        booking__end=now - timedelta(days=2, hours=-8),
        booking__status=BookingStatus.COMPLETED,
    )
    past.checked_out_at = past.checked_in_at + timedelta(hours=3, minutes=5)
    past.save()
    client.force_login(employee)
    response = client.get(reverse("my_bookings"))
    assert len(response.context["upcoming"]) == 1
    assert "present 3 h 05 min" in response.content.decode()


def test_cancelling_from_my_bookings(client, employee, desk):
    booking = BookingFactory(resource=desk, user=employee)
    client.force_login(employee)
    response = client.post(reverse("cancel_booking", args=[booking.pk]), HTTP_HX_REQUEST="true")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert response.status_code == 204
    assert "bookingChanged" in response["HX-Trigger"]


def test_a_colleagues_booking_cannot_be_cancelled_and_answers_404(
    client, employee, colleague, desk
):
    booking = BookingFactory(resource=desk, user=colleague)
    client.force_login(employee)
    assert client.post(reverse("cancel_booking", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_another_organisations_booking_answers_404(client, stranger, desk, employee):
    booking = BookingFactory(resource=desk, user=employee)
    client.force_login(stranger)
    assert client.post(reverse("cancel_booking", args=[booking.pk])).status_code == 404


def test_starring_and_unstarring_a_desk(client, employee, desk):
    client.force_login(employee)
    client.post(reverse("favourite", args=[desk.pk]), HTTP_HX_REQUEST="true")
    assert FavoriteResource.objects.filter(user=employee, resource=desk).exists()
    response = client.post(reverse("favourite", args=[desk.pk]), HTTP_HX_REQUEST="true")
    assert not FavoriteResource.objects.exists()
    assert 'aria-pressed="false"' in response.content.decode()


def test_another_organisations_desk_cannot_be_starred(client, employee, foreign_desk):
    client.force_login(employee)
    assert client.post(reverse("favourite", args=[foreign_desk.pk])).status_code == 404


# A Thursday in Amsterdam; no opening hours, so a desk's day is the working day 08:00-18:00,
# booked in 30-minute slots.
THURSDAY = date(2025, 3, 27)


@pytest.mark.parametrize(
    ("clock", "booked"),
    [
        ("07:10", (THURSDAY, "08:00", "18:00")),
        ("10:20", (THURSDAY, "10:00", "18:00")),
        ("18:30", (THURSDAY + timedelta(days=1), "08:00", "18:00")),
    ],
    ids=["before-the-working-day", "during-it-from-the-current-slot", "after-it-the-next-day"],
)
def test_book_my_favourite_in_one_click(
    client, monkeypatch, employee, desk, building, clock, booked
):
    stop_clock(monkeypatch, at(building, THURSDAY, clock))
    FavoriteResource.objects.create(user=employee, resource=desk, organization=desk.organization)
    client.force_login(employee)

    response = client.post(reverse("book_favourite", args=[desk.pk]))

    assert response.status_code == 302
    booking = Booking.objects.get(user=employee)
    day, start, end = booked
    assert (booking.resource, booking.start, booking.end) == (
        desk,
        at(building, day, start),
        at(building, day, end),
    )


def test_the_home_page_shows_todays_bookings_and_favourites(
    client, monkeypatch, employee, desk, building
):
    stop_clock(monkeypatch, at(building, THURSDAY, "10:00"))
    today = BookingFactory(
        resource=desk,
        user=employee,
        start=at(building, THURSDAY, "13:00"),
        end=at(building, THURSDAY, "17:00"),
    )
    FavoriteResource.objects.create(user=employee, resource=desk, organization=desk.organization)
    client.force_login(employee)

    response = client.get(reverse("home"))

    assert response.context["today"] == [today]
    assert response.context["favourites"] == [desk]
    html = response.content.decode()
    today_section = html[html.index('id="today-heading"') : html.index('id="week-heading"')]
    assert "Thu 27 Mar 2025, 13:00–17:00" in today_section
    assert str(desk) in today_section
    assert f'action="{reverse("book_favourite", args=[desk.pk])}"' in html


@pytest.mark.parametrize(
    ("organization_allows", "shared", "shown"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_colleagues_in_the_office_follow_both_settings(
    client, employee, colleague, desk, organization_allows, shared, shown
):
    organization = employee.organization
    organization.presence_sharing_allowed = organization_allows
    organization.save()
    now = timezone.now()
    CheckInFactory(
        booking__resource=desk,
        booking__user=colleague,
        booking__start=now - timedelta(hours=1),
        booking__end=now + timedelta(hours=6),
        shares_presence=shared,
    )
    client.force_login(employee)
    response = client.get(reverse("home"))
    assert (colleague.full_name in response.content.decode()) is shown


def test_the_web_app_manifest(client):
    data = client.get(reverse("manifest")).json()
    assert data["start_url"] == reverse("home")
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}


def test_changing_a_booking_to_other_times(client, employee, desk, day):
    building = desk.floor.building
    booking = BookingFactory(
        resource=desk,
        user=employee,
        start=at(building, day, "09:00"),
        end=at(building, day, "17:00"),
    )
    client.force_login(employee)
    response = client.post(
        reverse("change_booking", args=[booking.pk]),
        {"date": day.isoformat(), "start": "10:00", "end": "15:00", "resource": desk.pk},
        HTTP_HX_REQUEST="true",
    )
    booking.refresh_from_db()
    assert "bookingChanged" in response["HX-Trigger"]
    assert booking.start == at(building, day, "10:00")


def test_changing_onto_a_taken_desk_shows_why(client, employee, colleague, desk, other_desk, day):
    building = desk.floor.building
    booking = BookingFactory(
        resource=desk,
        user=employee,
        start=at(building, day, "09:00"),
        end=at(building, day, "17:00"),
    )
    BookingFactory(
        resource=other_desk,
        user=colleague,
        start=at(building, day, "09:00"),
        end=at(building, day, "17:00"),
    )
    client.force_login(employee)
    response = client.post(
        reverse("change_booking", args=[booking.pk]),
        {"date": day.isoformat(), "start": "09:00", "end": "17:00", "resource": other_desk.pk},
    )
    assert "already booked" in response.content.decode()
    booking.refresh_from_db()
    assert booking.resource == desk


def test_a_colleagues_booking_cannot_be_changed(client, employee, colleague, desk):
    booking = BookingFactory(resource=desk, user=colleague)
    client.force_login(employee)
    assert client.get(reverse("change_booking", args=[booking.pk])).status_code == 404


def test_the_home_page_takes_few_queries_however_busy(
    client, employee, colleague, floor, django_assert_max_num_queries
):
    from tests.factories import ResourceFactory

    now = timezone.now().replace(second=0, microsecond=0)
    desks = ResourceFactory.create_batch(6, floor=floor)
    for offset, desk in enumerate(desks):
        start = now + timedelta(days=offset)
        BookingFactory(resource=desk, user=employee, start=start, end=start + timedelta(hours=1))
        FavoriteResource.objects.create(
            user=employee, resource=desk, organization=desk.organization
        )
    CheckInFactory(
        booking__resource=desks[0],
        booking__user=colleague,
        booking__start=now + timedelta(hours=2),
        booking__end=now + timedelta(hours=3),
        shares_presence=True,
    )
    client.force_login(employee)
    client.get(reverse("home"))
    # Session and user, upcoming bookings, favourites, colleagues present.
    with django_assert_max_num_queries(6):
        client.get(reverse("home"))


def test_my_bookings_takes_few_queries_however_many(
    client, employee, floor, django_assert_max_num_queries
):
    from tests.factories import ResourceFactory

    now = timezone.now().replace(second=0, microsecond=0)
    for offset, desk in enumerate(ResourceFactory.create_batch(8, floor=floor)):
        start = now + timedelta(days=offset - 4)
        BookingFactory(resource=desk, user=employee, start=start, end=start + timedelta(hours=1))
    client.force_login(employee)
    client.get(reverse("my_bookings"))
    # Session and user, upcoming, past.
    with django_assert_max_num_queries(5):
        client.get(reverse("my_bookings"))
