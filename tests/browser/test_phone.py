"""On a phone: pages fit the screen, booking works by tapping, the app can be installed."""

import re
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from bookings.models import Booking
from tests.browser.conftest import AMSTERDAM, PHONE_HEIGHT, PHONE_WIDTH, log_in
from tests.factories import (
    TEST_PASSWORD,
    BookingFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def find_url(day) -> str:
    return f"/find/?date={day.isoformat()}&start=09:00&end=17:00"


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_home_find_and_my_bookings_fit_the_screen(phone, employee, office, day):
    start = datetime.combine(day, time(9), tzinfo=AMSTERDAM)
    BookingFactory(
        user=employee, resource=office.desks[5], start=start, end=start + timedelta(hours=8)
    )
    log_in(phone, employee.email, TEST_PASSWORD)

    for path in ("/", find_url(day), "/bookings/"):
        phone.goto(path)
        assert scroll_width(phone) <= PHONE_WIDTH, path
    assert phone.csp_violations == []


def test_book_by_tapping_a_desk_on_the_plan(phone, employee, office, day):
    desk = office.desks[4]
    log_in(phone, employee.email, TEST_PASSWORD)
    phone.goto(find_url(day))

    marker = phone.locator(f'.plan-svg .resource[data-resource="{desk.pk}"]')
    marker.tap()
    dialog = phone.locator("#booking-dialog")
    expect(dialog.get_by_role("heading", name=f"Book {desk}")).to_be_visible()
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE_HEIGHT
    assert dialog.evaluate("element => element.scrollWidth <= element.clientWidth")

    dialog.get_by_role("button", name="Confirm booking").tap()
    expect(dialog.locator(".result-ok")).to_contain_text("booked")
    assert scroll_width(phone) <= PHONE_WIDTH
    dialog.get_by_role("button", name="Done").tap()

    expect(dialog).to_be_hidden()
    expect(marker).to_have_class(re.compile(r"\bstate-mine\b"))
    assert Booking.objects.filter(user=employee, resource=desk).count() == 1
    assert phone.csp_violations == []


def test_the_web_app_manifest_is_linked_and_complete(phone, employee):
    log_in(phone, employee.email, TEST_PASSWORD)
    href = phone.locator('link[rel="manifest"]').get_attribute("href")

    response = phone.request.get(href)

    assert response.ok
    assert "json" in response.headers["content-type"]
    manifest = response.json()
    assert manifest["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert phone.request.get(icon["src"]).ok, icon["src"]
    assert phone.csp_violations == []
