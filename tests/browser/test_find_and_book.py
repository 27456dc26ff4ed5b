"""Find a place and book it in the browser: on the plan, by keyboard, over several days."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking, BookingStatus
from tests.browser.conftest import AMSTERDAM, log_in
from tests.factories import (
    TEST_PASSWORD,
    BookingFactory,
    BookingPolicyFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def find_url(day, start="09:00", end="17:00") -> str:
    return f"/find/?date={day.isoformat()}&start={start}&end={end}"


def local(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def day_label(day) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def on_plan(page, resource):
    return page.locator(f'.plan-svg .resource[data-resource="{resource.pk}"]')


def tab_until(page, locator, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_filter_book_on_the_plan_and_cancel(page, employee, office, day):
    desk = office.desks[0]
    log_in(page, employee.email, TEST_PASSWORD)
    page.goto(find_url(day))
    expect(page.get_by_role("heading", name="6 free places")).to_be_visible()
    page.evaluate("window.sameDocument = true")

    page.get_by_text("Must have").click()
    page.get_by_label("Monitor", exact=True).check()

    expect(page.get_by_role("heading", name="3 free places")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"amenities={office.monitor.pk}\b"))
    expect(on_plan(page, office.desks[5])).to_have_class(re.compile(r"\bfiltered-out\b"))

    on_plan(page, desk).click()
    dialog = page.locator("#booking-dialog")
    expect(dialog.get_by_role("heading", name=f"Book {desk}")).to_be_visible()
    dialog.get_by_role("button", name="Confirm booking").click()
    expect(dialog.locator(".result-ok")).to_contain_text("booked")
    expect(dialog.get_by_role("link", name="Add to calendar")).to_be_visible()
    dialog.get_by_role("button", name="Done").click()

    expect(dialog).to_be_hidden()
    expect(on_plan(page, desk)).to_have_class(re.compile(r"\bstate-mine\b"))
    expect(on_plan(page, desk)).to_have_attribute("aria-label", re.compile("booked by you"))
    expect(page.get_by_role("heading", name="2 free places")).to_be_visible()
    assert page.evaluate("window.sameDocument") is True

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My bookings").click()
    page.once("dialog", lambda confirm: confirm.accept())
    page.get_by_role("button", name=f"Cancel {desk}").click()
    expect(page.get_by_text(f"Your booking of {desk} is cancelled.")).to_be_visible()
    expect(page.get_by_text("You have no upcoming bookings.")).to_be_visible()

    page.goto(find_url(day))
    expect(on_plan(page, desk)).to_have_class(re.compile(r"\bstate-free\b"))
    assert Booking.objects.get(resource=desk).status == BookingStatus.CANCELLED
    assert page.csp_violations == []


def test_book_with_the_keyboard_only_from_the_list(page, employee, office, day):
    desk = office.desks[1]
    log_in(page, employee.email, TEST_PASSWORD)
    page.goto(find_url(day))
    book_button = page.get_by_role("link", name=f"Book {desk}")
    dialog = page.locator("#booking-dialog")

    tab_until(page, book_button)
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("heading", name=f"Book {desk}")).to_be_visible()
    assert dialog.evaluate("element => element.contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(book_button).to_be_focused()

    page.keyboard.press("Enter")
    confirm = dialog.get_by_role("button", name="Confirm booking")
    expect(confirm).to_be_visible()
    tab_until(page, confirm)
    page.keyboard.press("Enter")
    expect(dialog.locator(".result-ok")).to_contain_text("booked")
    page.keyboard.press("Escape")

    expect(dialog).to_be_hidden()
    # The Book button left the list with the booking: focus goes to the same desk on the plan.
    expect(on_plan(page, desk)).to_have_class(re.compile(r"\bstate-mine\b"))
    expect(on_plan(page, desk)).to_be_focused()
    assert Booking.objects.filter(user=employee, resource=desk).count() == 1
    assert page.csp_violations == []


def test_a_broken_policy_shows_its_message_and_books_nothing(
    page, organization, employee, office, day
):
    BookingPolicyFactory(organization=organization, max_bookings_per_day=1)
    BookingFactory(user=employee, resource=office.desks[5], start=local(day, 9), end=local(day, 12))
    log_in(page, employee.email, TEST_PASSWORD)
    page.goto(find_url(day, start="13:00", end="17:00"))

    page.get_by_role("link", name=f"Book {office.desks[0]}").click()
    dialog = page.locator("#booking-dialog")
    dialog.get_by_role("button", name="Confirm booking").click()

    expect(dialog.get_by_text("that is the maximum")).to_be_visible()
    # Nothing was booked, so the form stays to try another time.
    expect(dialog.get_by_role("button", name="Confirm booking")).to_be_visible()
    assert Booking.objects.filter(user=employee).count() == 1
    dialog.get_by_role("button", name="Cancel").click()
    expect(on_plan(page, office.desks[0])).to_have_class(re.compile(r"\bstate-free\b"))
    assert page.csp_violations == []


def test_several_days_at_once_report_each_day(page, employee, colleague, office, day):
    desk = office.desks[2]
    taken = day + timedelta(days=1)
    BookingFactory(user=colleague, resource=desk, start=local(taken, 9), end=local(taken, 17))
    log_in(page, employee.email, TEST_PASSWORD)
    page.goto(find_url(day))

    on_plan(page, desk).click()
    dialog = page.locator("#booking-dialog")
    expect(dialog.get_by_label(day_label(day))).to_be_checked()
    dialog.get_by_label(day_label(taken)).check()
    dialog.get_by_label(day_label(day + timedelta(days=2))).check()
    dialog.get_by_role("button", name="Confirm booking").click()

    expect(dialog.locator(".result")).to_have_count(3)
    expect(dialog.locator(".result-ok")).to_have_count(2)
    error = dialog.locator(".result-error")
    expect(error).to_contain_text(day_label(taken))
    expect(error).to_contain_text("already booked")
    assert Booking.objects.filter(user=employee, resource=desk).count() == 2
    assert page.csp_violations == []


def test_back_forward_and_reload_follow_the_floor_filter(page, employee, office, day):
    log_in(page, employee.email, TEST_PASSWORD)
    first_url = find_url(day)
    page.goto(first_url)
    plan_heading = page.locator("#plan-heading")
    expect(plan_heading).to_have_text("Amsterdam HQ · Ground floor")

    page.get_by_role("combobox", name="Floor").select_option(str(office.first.pk))
    expect(plan_heading).to_have_text("Amsterdam HQ · First floor")
    expect(page).to_have_url(re.compile(rf"floor={office.first.pk}\b"))
    expect(on_plan(page, office.upstairs[0])).to_be_visible()

    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(first_url) + "$"))
    expect(plan_heading).to_have_text("Amsterdam HQ · Ground floor")
    expect(page.get_by_role("combobox", name="Floor")).to_have_value(str(office.ground.pk))
    expect(on_plan(page, office.desks[0])).to_be_visible()

    page.reload()
    expect(plan_heading).to_have_text("Amsterdam HQ · Ground floor")

    page.go_forward()
    expect(page).to_have_url(re.compile(rf"floor={office.first.pk}\b"))
    expect(plan_heading).to_have_text("Amsterdam HQ · First floor")
    assert page.csp_violations == []


def test_an_expired_login_goes_to_the_login_page_and_back(page, employee, office, day):
    desk = office.desks[3]
    log_in(page, employee.email, TEST_PASSWORD)
    page.goto(find_url(day))
    page.context.clear_cookies()

    on_plan(page, desk).click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator("#booking-dialog")).to_have_count(0)
    page.get_by_label("Email").fill(employee.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(re.compile(rf"/resources/{desk.pk}/book/"))
    expect(page.get_by_label("From")).to_have_value("09:00")
    page.get_by_role("button", name="Confirm booking").click()
    expect(page.locator(".result-ok")).to_contain_text("booked")
    assert Booking.objects.filter(user=employee, resource=desk).count() == 1
    assert page.csp_violations == []


def test_a_day_at_the_end_of_the_booking_window_can_be_booked(page, employee, office):
    # Further ahead than the ten days the dialog lists when it starts from today.
    late = timezone.localdate(timezone=AMSTERDAM) + timedelta(days=12)
    desk = office.desks[4]
    log_in(page, employee.email, TEST_PASSWORD)
    page.goto(find_url(late))

    page.get_by_role("link", name=f"Book {desk}").click()
    dialog = page.locator("#booking-dialog")
    expect(dialog.get_by_label(day_label(late))).to_be_checked()
    dialog.get_by_role("button", name="Confirm booking").click()

    expect(dialog.locator(".result-ok")).to_contain_text("booked")
    assert Booking.objects.filter(user=employee, resource=desk).count() == 1
    assert page.csp_violations == []
