import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, BookingFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_employee_logs_in_and_sees_their_upcoming_booking(page, employee, desk):
    BookingFactory(resource=desk, user=employee)
    log_in(page, employee.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Erin")).to_be_visible()
    expect(page.get_by_text("Desk A.01")).to_be_visible()
    assert page.csp_violations == []


def test_a_wrong_password_shows_an_error_and_no_session(page, employee):
    log_in(page, employee.email, "not-the-password")
    expect(page.get_by_text("not correct")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile("/accounts/login/"))


def test_a_facility_manager_reaches_the_admin_through_their_role(page, facility_manager, desk):
    log_in(page, facility_manager.email, TEST_PASSWORD)
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name="Resources", exact=True).click()
    expect(page.get_by_role("link", name="A.01")).to_be_visible()
    assert page.csp_violations == []


def test_the_language_switch_turns_the_page_dutch(page, employee):
    log_in(page, employee.email, TEST_PASSWORD)
    page.get_by_label("Language").select_option("nl")
    expect(page.get_by_role("link", name="Vandaag")).to_be_visible()
