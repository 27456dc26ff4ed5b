"""The small run that also passes on the embedded SQLite default (make test runs it twice)."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services import BookingError, create_booking

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def tomorrow_at_nine(building):
    tomorrow = timezone.localtime(timezone.now(), building.tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(9), tzinfo=building.tz)


def test_a_desk_is_booked_once_and_only_once(employee, colleague, desk):
    start = tomorrow_at_nine(desk.floor.building)
    create_booking(user=employee, resource=desk, start=start, end=start + timedelta(hours=8))
    with pytest.raises(BookingError):
        create_booking(user=colleague, resource=desk, start=start, end=start + timedelta(hours=8))
    assert Booking.objects.count() == 1


def test_the_login_page_renders(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert b"Sign In" in response.content


def test_the_home_page_lists_my_bookings(client, employee, desk):
    start = tomorrow_at_nine(desk.floor.building)
    create_booking(user=employee, resource=desk, start=start, end=start + timedelta(hours=8))
    client.force_login(employee)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"A.01" in response.content


def test_the_home_page_needs_a_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_facility_manager_opens_the_admin(client, facility_manager, desk):
    client.force_login(facility_manager)
    assert client.get(reverse("admin:index")).status_code == 200
    response = client.get(reverse("admin:locations_resource_changelist"))
    assert response.status_code == 200
    assert b"A.01" in response.content


def test_healthz_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_signing_up_sends_the_verification_link(
    client, organization, mailoutbox, django_capture_on_commit_callbacks
):
    password = "Sup3r-secret-pw!"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "newcomer@acme.example", "password1": password, "password2": password},
        )

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "/accounts/confirm-email/" in mailoutbox[0].body
