"""`next` after cancelling or starring: only a path on this site is followed."""

import pytest
from django.urls import reverse

from bookings.models import BookingStatus
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

OFF_SITE = ["https://evil.example/", "//evil.example/", "https:evil.example", "\\\\evil.example"]


def cancel(client, booking, next_url):
    return client.post(reverse("cancel_booking", args=[booking.pk]), {"next": next_url})


def star(client, desk, next_url):
    return client.post(reverse("favourite", args=[desk.pk]), {"next": next_url})


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_cancelling_never_redirects_off_site(client, employee, desk, next_url):
    booking = BookingFactory(resource=desk, user=employee)
    client.force_login(employee)

    response = cancel(client, booking, next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("my_bookings")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_cancelling_with_a_bare_word_as_next_goes_to_my_bookings(client, employee, desk):
    booking = BookingFactory(resource=desk, user=employee)
    client.force_login(employee)

    response = cancel(client, booking, "elsewhere")

    assert response.status_code == 302
    assert response["Location"] == reverse("my_bookings")


def test_cancelling_returns_to_a_page_of_this_site(client, employee, desk):
    booking = BookingFactory(resource=desk, user=employee)
    client.force_login(employee)

    response = cancel(client, booking, "/find/?date=2030-01-02")

    assert response["Location"] == "/find/?date=2030-01-02"


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_starring_never_redirects_off_site(client, employee, desk, next_url):
    client.force_login(employee)

    response = star(client, desk, next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_starring_with_a_bare_word_as_next_goes_home(client, employee, desk):
    client.force_login(employee)

    response = star(client, desk, "elsewhere")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_starring_returns_to_a_page_of_this_site(client, employee, desk):
    client.force_login(employee)

    response = star(client, desk, "/find/")

    assert response["Location"] == "/find/"
