"""Dates at the edge of the calendar are a field error, never a 500 (OverflowError)."""

from datetime import date

import pytest
from django.urls import reverse

from bookings.models import Booking
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

# The last day plus "until 00:00" (midnight of the next day) and the first day's midnight in a
# zone east of UTC both fall outside the years Python's datetime can hold.
EDGE_PERIODS = [
    ("9999-12-31", "10:00", "00:00"),
    ("0001-01-01", "00:00", "10:00"),
]


@pytest.mark.parametrize(("day", "start", "end"), EDGE_PERIODS)
def test_finding_on_a_day_at_the_edge_of_the_calendar_is_a_field_error(
    client, employee, desk, day, start, end
):
    client.force_login(employee)

    response = client.get(reverse("find"), {"date": day, "start": start, "end": end})

    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert response.context["search"] is not None


@pytest.mark.parametrize(("day", "start", "end"), EDGE_PERIODS)
def test_changing_to_a_day_at_the_edge_of_the_calendar_is_a_field_error(
    client, employee, desk, day, start, end
):
    booking = BookingFactory(resource=desk, user=employee)
    client.force_login(employee)

    response = client.post(
        reverse("change_booking", args=[booking.pk]),
        {"date": day, "start": start, "end": end, "resource": desk.pk},
    )

    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    moved = Booking.objects.get(pk=booking.pk)
    assert (moved.start, moved.end) == (booking.start, booking.end)


@pytest.mark.parametrize(("day", "start", "end"), EDGE_PERIODS)
def test_booking_a_day_at_the_edge_of_the_calendar_is_a_field_error(
    client, employee, desk, day, start, end
):
    client.force_login(employee)

    response = client.post(
        reverse("book", args=[desk.pk]) + f"?date={day}",
        {"start": start, "end": end, "days": [day], "note": ""},
    )

    assert response.status_code == 200
    assert "days" in response.context["form"].errors
    assert not Booking.objects.exists()


def test_the_booking_dialog_for_a_day_at_the_edge_of_the_calendar_opens(client, employee, desk):
    client.force_login(employee)

    response = client.get(reverse("book", args=[desk.pk]), {"date": date.max.isoformat()})

    assert response.status_code == 200
