"""Logging in through the login form, as a browser does, so the session is in the person's list."""

from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD


def log_in(user, *, browser: Client | None = None, **headers) -> Client:
    """Log the person in through allauth's form on `browser` (a new one by default)."""
    browser = browser or Client()
    response = browser.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}, **headers
    )
    assert response.status_code == 302, "the log-in failed"
    return browser
