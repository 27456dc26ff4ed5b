"""Save screenshots of the booking pages into docs/screenshots/, to look at what was built.

Not a test. Run it against a server that holds `manage.py seed_demo` data:

    .venv/bin/python tests/browser/screenshots.py http://127.0.0.1:8001

It books a few days for Femke (facility manager) to show the per-day results and cancels them
again, which leaves cancelled rows in her history; it switches Anna to Dutch for one picture
and back, which leaves English saved as her language.

For the trust pages it also has Femke cancel one of Anna's upcoming bookings with a reason
(an audit entry, an e-mail to the console and a "who looked" row), makes Anna a calendar feed
and revokes it again, and opens the admin as the platform superuser, who is sent to set up
two-factor authentication. It fails when the browser reports a Content-Security-Policy
violation on any page.
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
ORGANISATION_ADMIN = "olivia@acme.example"
SUPERUSER = "admin@officebooking.test"
REASON = "The second floor is closed for painting that day."
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 800}
PHONE_USER_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148"
HOURS = "start=09:00&end=17:00"
DAY = re.compile(r"\b(\w{3} \d{1,2} \w{3}) \d{4}\b")
# What the browser said about the Content-Security-Policy, on any page: main() fails on it.
CSP_VIOLATIONS: list[str] = []


def watch_csp(page: Page) -> None:
    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            CSP_VIOLATIONS.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


def new_page(context) -> Page:
    page = context.new_page()
    watch_csp(page)
    return page


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Log out")


def shot(page: Page, name: str, *, full_page: bool = False, at: str | None = None) -> None:
    """Save the viewport (or the whole page); `at` scrolls that element to the top first."""
    if at:
        page.locator(at).first.evaluate("element => element.scrollIntoView()")
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
    page = new_page(context)
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
    page = new_page(context)
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
    page = new_page(context)
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
    page = new_page(context)
    log_in(page, FACILITY_MANAGER)
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name="Floors", exact=True).click()
    page.locator("#result_list tbody a").first.click()
    shot(page, "admin-floor", full_page=True)
    context.close()


def admin_booking_ids(page: Page, query: str) -> list[str]:
    """Return the ids of the confirmed bookings the admin list finds for `query`, latest first."""
    page.goto(f"/admin/bookings/booking/?status__exact=confirmed&q={query}&o=-3")
    hrefs = page.locator("#result_list tbody th a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [re.search(r"/(\d+)/change/", href).group(1) for href in hrefs]


def staff_changes(browser, base_url: str) -> None:
    """Femke changes and cancels one of Anna's bookings; the admin asks a reason for more."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = new_page(context)
    log_in(page, FACILITY_MANAGER)
    # Searching the list for her is noted under "Who looked at my data" on Anna's page.
    ids = admin_booking_ids(page, EMPLOYEE)
    assert len(ids) >= 2, f"Anna has too few upcoming bookings: {ids}"
    page.goto(f"/bookings/{ids[0]}/change/")
    expect(page.get_by_label("Reason")).to_be_visible()
    shot(page, "staff-change-dialog")
    page.goto(f"/bookings/{ids[0]}/cancel/")
    expect(page.get_by_label("Reason")).to_be_visible()
    shot(page, "staff-cancel-dialog")
    page.get_by_label("Reason").fill(REASON)
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel the booking").click()
    shot(page, "staff-cancel-done")

    # The admin action asks a reason on a page of its own; leave without cancelling.
    ids = admin_booking_ids(page, EMPLOYEE)
    page.locator(f'#result_list input[name="_selected_action"][value="{ids[0]}"]').check()
    page.locator('select[name="action"]').select_option("cancel_selected")
    page.locator("button[name=index]").first.click()
    expect(page.get_by_role("button", name="Cancel these bookings")).to_be_visible()
    shot(page, "admin-cancel-confirmation")
    context.close()


def organisation_admin(browser, base_url: str) -> None:
    """Olivia reads the audit log and the organisation's security setting."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = new_page(context)
    log_in(page, ORGANISATION_ADMIN)
    page.goto("/admin/profiles/auditentry/")
    expect(page.locator("#result_list")).to_be_visible()
    shot(page, "admin-audit-log")
    csv = page.get_by_role("link", name=re.compile("Download CSV"))
    response = page.request.get(csv.get_attribute("href"))
    assert response.ok and "text/csv" in response.headers["content-type"], response.headers
    assert REASON in response.text(), response.text()[:500]
    with page.expect_navigation():
        page.locator("#result_list tbody th a").first.click()
    shot(page, "admin-audit-entry")
    page.goto("/admin/profiles/organization/")
    page.locator("#result_list tbody th a").first.click()
    shot(page, "admin-organisation-security", at="#id_staff_must_use_mfa")
    page.set_viewport_size(PHONE)
    page.goto("/admin/profiles/auditentry/")
    shot(page, "admin-audit-log-phone")
    context.close()


def own_data(browser, base_url: str) -> None:
    """Anna's side: who looked, what staff changed, sessions, calendar feed, cookies."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = new_page(context)
    log_in(page, EMPLOYEE)
    # A second device, so the sessions page shows one to log out of.
    phone_context = browser.new_context(
        base_url=base_url, viewport=PHONE, locale="en-GB", user_agent=PHONE_USER_AGENT
    )
    log_in(new_page(phone_context), EMPLOYEE)
    phone_context.close()
    page.goto("/privacy/my-data/")
    shot(page, "my-data-staff", at="#staff-heading")
    switch_language(page, "nl")
    page.goto("/privacy/my-data/")
    shot(page, "my-data-staff-nl", at="#staff-heading")
    page.goto("/accounts/sessions/")
    shot(page, "sessions-nl")
    switch_language(page, "en")
    page.goto("/accounts/sessions/")
    shot(page, "sessions")

    page.goto("/calendar/")
    page.get_by_role("button", name=re.compile("Create my calendar feed|Make a new link")).click()
    expect(page.locator("#feed-url")).to_be_visible()
    shot(page, "calendar-feed-new")
    page.goto("/calendar/")
    shot(page, "calendar-feed")
    page.get_by_role("button", name="Revoke the feed").click()

    page.goto("/privacy/cookies/")
    shot(page, "cookie-settings", full_page=True)
    page.goto("/privacy/statement/")
    shot(page, "privacy-statement-audit", at="#what-we-keep")
    context.close()

    context = browser.new_context(
        base_url=base_url, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = new_page(context)
    log_in(page, EMPLOYEE)
    page.goto("/privacy/my-data/")
    shot(page, "my-data-staff-phone", at="#staff-changes-heading")
    page.goto("/privacy/cookies/")
    shot(page, "cookie-settings-phone")
    context.close()


def dashboard(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = new_page(context)
    log_in(page, FACILITY_MANAGER)
    page.goto("/privacy/dashboard/")
    shot(page, "dashboard-mobility", at="h2:has-text('Where people come from')")
    context.close()


def two_factor_required(browser, base_url: str) -> None:
    """The platform superuser, without a second factor, is sent to set one up before admin."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-GB")
    page = new_page(context)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(SUPERUSER)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign In").click()
    # allauth asks for the password again before a second factor is added.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile("/accounts/reauthenticate/"))
    shot(page, "two-factor-required-confirm")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    # Not shot: the set-up page shows the new authenticator's secret.
    expect(page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    context.close()


SECTIONS = {
    "desktop": desktop,
    "booking": booking,
    "phone": phone,
    "admin": admin,
    "staff-changes": staff_changes,
    "organisation-admin": organisation_admin,
    "own-data": own_data,
    "dashboard": dashboard,
    "two-factor": two_factor_required,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8001")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="shoot these sections only")
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, section in SECTIONS.items():
            if not args.only or name in args.only:
                section(browser, base_url)
        browser.close()
    for violation in CSP_VIOLATIONS:
        print(f"CSP violation: {violation}", file=sys.stderr)
    return 1 if CSP_VIOLATIONS else 0


if __name__ == "__main__":
    sys.exit(main())
