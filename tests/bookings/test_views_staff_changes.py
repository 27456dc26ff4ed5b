"""The cancel and change dialogs ask staff for a reason when the booking is someone else's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import BookingStatus
from profiles.models import AuditAction, AuditEntry
from tests.clock import at
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(building):
    return timezone.localdate(timezone=building.tz) + timedelta(days=3)


@pytest.fixture
def booking(employee, desk, building, day):
    return BookingFactory(
        resource=desk,
        user=employee,
        start=at(building, day, "09:00"),
        end=at(building, day, "17:00"),
    )


def test_the_cancel_dialog_asks_staff_for_a_reason(client, facility_manager, booking):
    client.force_login(facility_manager)

    response = client.get(reverse("cancel_booking", args=[booking.pk]))

    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


def test_the_cancel_dialog_asks_the_booker_no_reason(client, employee, booking):
    client.force_login(employee)

    response = client.get(reverse("cancel_booking", args=[booking.pk]))

    assert response.status_code == 200
    assert 'name="reason"' not in response.content.decode()


def test_staff_cancelling_without_a_reason_gets_the_dialog_with_an_error(
    client, facility_manager, booking
):
    client.force_login(facility_manager)

    response = client.post(reverse("cancel_booking", args=[booking.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not AuditEntry.objects.exists()


def test_staff_cancelling_with_a_reason_cancels_and_logs(
    client, facility_manager, employee, booking
):
    client.force_login(facility_manager)

    response = client.post(reverse("cancel_booking", args=[booking.pk]), {"reason": "Broken"})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.subject, entry.reason) == (
        AuditAction.BOOKING_CANCELLED,
        employee,
        "Broken",
    )


def test_the_booker_cancels_without_a_reason_and_nothing_is_logged(client, employee, booking):
    client.force_login(employee)

    response = client.post(reverse("cancel_booking", args=[booking.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert not AuditEntry.objects.exists()


def test_another_organisations_staff_get_404_on_the_cancel_dialog(client, stranger, booking):
    client.force_login(stranger)

    assert client.get(reverse("cancel_booking", args=[booking.pk])).status_code == 404
    assert (
        client.post(reverse("cancel_booking", args=[booking.pk]), {"reason": "x"}).status_code
        == 404
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_change_dialog_asks_staff_for_a_reason(client, facility_manager, booking):
    client.force_login(facility_manager)

    response = client.get(reverse("change_booking", args=[booking.pk]))

    assert 'name="reason"' in response.content.decode()


def test_the_change_dialog_asks_the_booker_no_reason(client, employee, booking):
    client.force_login(employee)

    response = client.get(reverse("change_booking", args=[booking.pk]))

    assert 'name="reason"' not in response.content.decode()


def test_staff_changing_without_a_reason_is_refused(client, facility_manager, booking, desk, day):
    client.force_login(facility_manager)

    response = client.post(
        reverse("change_booking", args=[booking.pk]),
        {"date": day.isoformat(), "start": "10:00", "end": "15:00", "resource": desk.pk},
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    booking.refresh_from_db()
    assert booking.start == at(desk.floor.building, day, "09:00")
    assert not AuditEntry.objects.exists()


def test_staff_changing_with_a_reason_moves_and_logs(
    client, facility_manager, booking, desk, other_desk, day
):
    client.force_login(facility_manager)

    client.post(
        reverse("change_booking", args=[booking.pk]),
        {
            "date": day.isoformat(),
            "start": "10:00",
            "end": "15:00",
            "resource": other_desk.pk,
            "reason": "Visitor needs A.01",
        },
    )

    booking.refresh_from_db()
    assert booking.resource == other_desk
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.BOOKING_CHANGED
    assert entry.reason == "Visitor needs A.01"


def test_the_booker_changes_without_a_reason_and_nothing_is_logged(
    client, employee, booking, desk, day
):
    client.force_login(employee)

    client.post(
        reverse("change_booking", args=[booking.pk]),
        {"date": day.isoformat(), "start": "10:00", "end": "15:00", "resource": desk.pk},
    )

    booking.refresh_from_db()
    assert booking.start == at(desk.floor.building, day, "10:00")
    assert not AuditEntry.objects.exists()


def test_another_organisations_staff_get_404_on_the_change_dialog(client, stranger, booking):
    client.force_login(stranger)

    assert client.get(reverse("change_booking", args=[booking.pk])).status_code == 404


def test_staff_go_back_to_the_bookings_list_not_to_their_own_bookings(
    client, facility_manager, booking
):
    # They came from admin's bookings list; "my bookings" would show their own, not this one.
    client.force_login(facility_manager)
    bookings_list = reverse("admin:bookings_booking_changelist")

    dialog = client.get(reverse("cancel_booking", args=[booking.pk])).content.decode()
    response = client.post(reverse("cancel_booking", args=[booking.pk]), {"reason": "Broken"})

    assert f'href="{bookings_list}"' in dialog
    assert "Back to the bookings list" in dialog
    assert response["Location"] == bookings_list


def test_staff_who_moved_a_booking_are_not_offered_its_calendar_file(
    client, facility_manager, booking, desk, day
):
    # The .ics download is the booker's own; staff would get a 404.
    client.force_login(facility_manager)

    response = client.post(
        reverse("change_booking", args=[booking.pk]),
        {
            "date": day.isoformat(),
            "start": "10:00",
            "end": "15:00",
            "resource": desk.pk,
            "reason": "Cleaning",
        },
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "The booking is changed" in html
    assert reverse("booking_ics", args=[booking.pk]) not in html
