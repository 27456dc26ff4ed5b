"""Scanning the QR code on a desk with a phone: log in, one tap, checked in."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import CheckIn, CheckInMethod
from tests.browser.conftest import PHONE_HEIGHT, PHONE_WIDTH
from tests.factories import TEST_PASSWORD, BookingFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_scan_log_in_check_in_with_one_tap_and_check_out(phone, employee, desk):
    # Inside the check-in window whatever the time of day the test runs.
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    BookingFactory(user=employee, resource=desk, start=start, end=start + timedelta(hours=2))
    landing = f"/c/{desk.checkin_token}/"

    phone.goto(landing)
    expect(phone.get_by_role("button", name="Sign In")).to_be_visible()
    assert phone.url.endswith(f"/accounts/login/?next={landing}")
    phone.get_by_label("Email").fill(employee.email)
    phone.get_by_label("Password").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign In").tap()

    expect(phone.get_by_role("heading", name=str(desk))).to_be_visible()
    assert phone.url.endswith(landing)
    check_in_button = phone.get_by_role("button", name="Check in", exact=True)
    box = check_in_button.bounding_box()
    assert box["width"] >= PHONE_WIDTH * 0.7 and box["height"] >= 48
    assert box["y"] + box["height"] <= PHONE_HEIGHT, "the button is reachable without scrolling"
    assert scroll_width(phone) <= PHONE_WIDTH

    check_in_button.tap()

    expect(phone.get_by_text("Checked in since")).to_be_visible()
    assert phone.url.endswith(landing)
    assert CheckIn.objects.get(user=employee).method == CheckInMethod.QR

    phone.get_by_role("button", name="Check out").tap()
    expect(phone.get_by_text("Checked out at")).to_be_visible()

    phone.goto("/bookings/")
    expect(phone.locator("#my-bookings .duration")).to_contain_text("present")
    assert CheckIn.objects.get(user=employee).checked_out_at is not None
    assert phone.csp_violations == []
