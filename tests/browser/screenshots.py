"""Save screenshots of the booking pages into docs/screenshots/, to look at what was built.

Not a test. Run it against a server that holds `manage.py seed_demo` data:

    .venv/bin/python tests/browser/screenshots.py http://127.0.0.1:8001

It books a few days for Femke (facility manager) to show the per-day results and cancels them
again, which leaves cancelled rows in her history; it switches Anna to Dutch for one picture
and back, which leaves English saved as her language.
"""

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# The demo data's, printed by seed_demo: never a real account.
PASSWORD = "demo-desk-booking"
EMPLOYEE = "anna@acme.example"
FACILITY_MANAGER = "femke@acme.example"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 800}
HOURS = "start=09:00&end=17:00"
DAY = re.compile(r"\b(\w{3} \d{1,2} \w{3}) \d{4}\b")


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Log out")


def shot(page: Page, name: str, *, full_page: bool = False) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=path, full_page=full_page)
    print(f"{path.relative_to(OUT.parents[1])}: {path.stat().st_size // 1024} KB")


def switch_language(page: Page, code: str) -> None:
    with page.expect_navigation():
        page.locator("#language-select").select_option(code)


def days_with_a_desk(page: Page) -> set[str]:
    """Return the days ("Thu 27 Nov") on which the person already has a desk."""
    page.goto("/bookings/")
    rows = page.locator("#upcoming-heading ~ .booking-list .booking-item").all_inner_texts()
    return {match.group(1) for row in rows if row.startswith("Desk") for match in DAY.finditer(row)}


def desktop(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    log_in(page, EMPLOYEE)
    shot(page, "home", full_page=True)

    page.goto("/find/")
    booked = page.locator(".plan-svg .resource.state-booked").first
    if booked.count():
        booked.hover()
    shot(page, "find-desktop")
    page.goto("/bookings/")
    shot(page, "my-bookings", full_page=True)

    switch_language(page, "nl")
    page.goto("/find/")
    shot(page, "find-nl")
    switch_language(page, "en")
    context.close()


def booking(browser, base_url: str) -> None:
    """Book several days as the facility manager, whose dialog also offers "Book for"."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    log_in(page, FACILITY_MANAGER)
    busy = days_with_a_desk(page)

    # The bookable days, as the dialog offers them; today's morning may be over, so skip it.
    page.goto("/find/")
    page.locator(".resource-list .button").first.click()
    expect(page.locator("#booking-dialog .checkbox-grid input").first).to_be_visible()
    days = page.locator("#booking-dialog .checkbox-grid input").evaluate_all(
        "inputs => inputs.map(input => [input.value, input.labels[0].innerText.trim()])"
    )[1:]
    # Per day, which desks are free and which taken: pick the desk free on most of her free
    # days, so the result shows three bookings and one day a colleague has it.
    free, taken = {}, {}
    for iso_day, label in days:
        page.goto(f"/find/?date={iso_day}&{HOURS}")
        for marker in page.locator(".plan-svg .resource").all():
            state = marker.get_attribute("class")
            desk_id = marker.get_attribute("data-resource")
            if "state-free" in state and label not in busy:
                free.setdefault(desk_id, []).append(iso_day)
            elif "state-booked" in state:
                taken.setdefault(desk_id, []).append(iso_day)
    desk_id = max(free, key=lambda pk: (len(free[pk]), len(taken.get(pk, []))))
    chosen = free[desk_id][:3]
    chosen += [day for day in taken.get(desk_id, []) if day > chosen[0]][:1]

    page.goto(f"/find/?date={chosen[0]}&{HOURS}")
    page.locator(f'.plan-svg [data-resource="{desk_id}"]').click()
    dialog = page.locator("#booking-dialog")
    expect(dialog.get_by_role("button", name="Confirm booking")).to_be_visible()
    shot(page, "booking-dialog")
    for checkbox in dialog.locator(".checkbox-grid input").all():
        checkbox.set_checked(checkbox.get_attribute("value") in chosen)
    dialog.get_by_role("button", name="Confirm booking").click()
    expect(dialog.locator(".result").first).to_be_visible()
    shot(page, "booking-result")

    # Leave the demo as it was, but for the cancelled rows in her history.
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    for href in dialog.locator(".add-to-calendar").evaluate_all("links => links.map(a => a.href)"):
        booking_id = re.search(r"/bookings/(\d+)/", href).group(1)
        page.request.post(
            f"/bookings/{booking_id}/cancel/",
            headers={"X-CSRFToken": token, "HX-Request": "true", "Referer": base_url},
        )
    page.goto("/bookings/")  # shows, and so clears, the "cancelled" messages
    context.close()


def phone(browser, base_url: str) -> None:
    context = browser.new_context(
        base_url=base_url, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    log_in(page, EMPLOYEE)
    shot(page, "home-phone")
    page.goto("/find/")
    shot(page, "find-phone")
    page.locator(".plan-panel").scroll_into_view_if_needed()
    shot(page, "find-phone-plan")
    page.locator(".resource-list .button").first.tap()
    expect(page.get_by_role("button", name="Confirm booking")).to_be_visible()
    shot(page, "booking-dialog-phone")
    page.goto("/bookings/")
    shot(page, "my-bookings-phone")
    context.close()


def admin(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    log_in(page, FACILITY_MANAGER)
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name="Floors", exact=True).click()
    page.locator("#result_list tbody a").first.click()
    shot(page, "admin-floor", full_page=True)
    context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8001")
    base_url = parser.parse_args().base_url.rstrip("/")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        desktop(browser, base_url)
        booking(browser, base_url)
        phone(browser, base_url)
        admin(browser, base_url)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
