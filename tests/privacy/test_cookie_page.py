"""The cookie page lists every cookie the site sets, with the lifetime the settings give it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def matomo(settings):
    settings.OFFICEBOOKING_ANALYTICS_URL = "https://stats.example.com/"
    settings.OFFICEBOOKING_ANALYTICS_KIND = "matomo"


def _cookies_set_by(response) -> set[str]:
    return {name for name, morsel in response.cookies.items() if morsel["max-age"] != 0}


def _row_of(html: str, name: str) -> str:
    start = html.index(f"<code>{name}</code>")
    return html[start : html.index("</tr>", start)]


def test_every_cookie_set_while_logging_in_switching_language_and_consenting_is_listed(
    matomo, employee
):
    client = Client()
    set_cookies = set()
    for response in (
        client.get(reverse("account_login")),
        client.post(reverse("account_login"), {"login": employee.email, "password": TEST_PASSWORD}),
        client.post(reverse("set_language"), {"language": "nl", "next": "/"}),
        client.post(reverse("consent"), {"consent": "yes", "next": "/"}),
        client.get("/"),
    ):
        assert response.status_code < 400
        set_cookies |= _cookies_set_by(response)

    html = client.get(reverse("cookie_settings")).content.decode()

    # Guards the flow itself: a message, a language and a consent were really set.
    assert {"sessionid", "csrftoken", "messages", "django_language", "ob_consent"} <= set_cookies
    missing = [name for name in set_cookies if f"<code>{name}</code>" not in html]
    assert not missing


def test_the_language_cookie_lasts_the_browser_session_unless_an_age_is_set(client, settings):
    settings.LANGUAGE_COOKIE_AGE = None
    session_only = _row_of(
        client.get(reverse("cookie_settings")).content.decode(), "django_language"
    )
    settings.LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 7
    one_week = _row_of(client.get(reverse("cookie_settings")).content.decode(), "django_language")

    assert "until you close the browser" in session_only
    # timesince() keeps number and unit together with a no-break space.
    assert "1\xa0week" in one_week


def test_the_cookie_names_and_the_session_lifetime_come_from_the_settings(client, settings):
    settings.SESSION_COOKIE_NAME = "ob_session"
    settings.SESSION_COOKIE_AGE = 60 * 60 * 8
    settings.CSRF_COOKIE_NAME = "ob_csrf"

    html = client.get(reverse("cookie_settings")).content.decode()

    assert "8\xa0hours" in _row_of(html, "ob_session")
    assert "<code>ob_csrf</code>" in html
    assert "<code>sessionid</code>" not in html


def test_the_consent_cookie_is_listed_only_when_analytics_is_configured(client, settings):
    settings.OFFICEBOOKING_ANALYTICS_URL = ""

    html = client.get(reverse("cookie_settings")).content.decode()

    assert "<code>ob_consent</code>" not in html


def test_a_lifetime_of_52_weeks_reads_as_a_year(client, settings):
    # Django's CSRF cookie: timesince() alone would say "11 months, 4 weeks".
    settings.CSRF_COOKIE_AGE = 60 * 60 * 24 * 7 * 52

    html = client.get(reverse("cookie_settings")).content.decode()

    assert "1\xa0year" in _row_of(html, settings.CSRF_COOKIE_NAME)
