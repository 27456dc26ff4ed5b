"""Seeing where I am logged in and logging out everywhere else, in a real browser."""

import os

import pytest

from tests.browser.conftest import _open_page, log_in
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_logging_out_everywhere_else_from_the_account_menu(page, browser, live_server, employee):
    phone_context, phone = _open_page(browser, live_server)
    log_in(phone, employee.email, TEST_PASSWORD)
    log_in(page, employee.email, TEST_PASSWORD)

    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Sessions").click()
    assert page.locator(".resource-row").count() == 2
    assert page.get_by_text("This device").count() == 1
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "sessions.png"))
    page.get_by_role("button", name="Log out everywhere else").click()

    assert page.locator(".resource-row").count() == 1
    phone.reload()
    assert "/accounts/login/" in phone.url
    assert page.csp_violations == []
    phone_context.close()
