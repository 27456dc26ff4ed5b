import re

import pytest
from playwright.sync_api import expect

from bookings.models import Booking
from profiles.models import User
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD, BookingFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_person_deletes_their_account_and_only_counts_remain(page, employee, desk):
    BookingFactory(resource=desk, user=employee)
    log_in(page, employee.email, TEST_PASSWORD)
    page.get_by_role("link", name="My data").click()
    page.get_by_role("link", name=re.compile("Delete my account")).first.click()
    page.get_by_label(re.compile("Type your e-mail address")).fill(employee.email)
    page.get_by_role("button", name="Delete my account for good").click()
    # allauth asks for the password again, then carries on with the erasure.
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("deleted|gone"))
    assert not User.objects.filter(email=employee.email).exists()
    assert not Booking.objects.exists()
    page.goto("/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    assert page.csp_violations == []
