"""Analytics only when configured, and then only after a "yes" that can be taken back."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

MATOMO = "https://stats.example.com/"


@pytest.fixture
def matomo(settings):
    settings.OFFICEBOOKING_ANALYTICS_URL = MATOMO
    settings.OFFICEBOOKING_ANALYTICS_KIND = "matomo"


def _consent_partial(consent=None) -> str:
    # base.html includes this partial on every page.
    request = RequestFactory().get("/some/page/?q=1")
    if consent:
        request.COOKIES["ob_consent"] = consent
    return render_to_string("partials/consent.html", request=request)


def test_without_analytics_configured_there_is_no_banner_and_no_script(settings):
    settings.OFFICEBOOKING_ANALYTICS_URL = ""

    html = _consent_partial()

    assert html.strip() == ""


def test_without_analytics_configured_the_consent_view_does_not_exist(client, settings):
    settings.OFFICEBOOKING_ANALYTICS_URL = ""

    response = client.post(reverse("consent"), {"consent": "yes"})

    assert response.status_code == 404
    assert "ob_consent" not in response.cookies


def test_with_analytics_configured_the_banner_asks_with_two_equal_buttons(matomo):
    html = _consent_partial()

    assert 'class="consent-banner"' in html
    assert 'name="consent" value="yes"' in html
    assert 'name="consent" value="no"' in html
    assert 'value="/some/page/?q=1"' in html


def test_before_consent_no_analytics_script_is_present(matomo):
    html = _consent_partial()

    assert "<script" not in html
    assert "stats.example.com" not in html


def test_after_yes_the_analytics_script_loads_from_data_attributes(matomo):
    html = _consent_partial("yes")

    assert "consent-banner" not in html
    assert 'src="/static/js/analytics.js"' in html
    assert 'data-matomo-url="https://stats.example.com/"' in html
    assert 'data-site-id="1"' in html


def test_plausible_loads_its_own_script_with_the_sites_domain(settings):
    settings.OFFICEBOOKING_ANALYTICS_URL = "https://plausible.example.com"
    settings.OFFICEBOOKING_ANALYTICS_KIND = "plausible"
    settings.BASE_URL = "https://booking.example.com"

    html = _consent_partial("yes")

    assert 'src="https://plausible.example.com/js/script.js"' in html
    assert 'data-domain="booking.example.com"' in html


def test_after_no_there_is_neither_banner_nor_script(matomo):
    html = _consent_partial("no")

    assert html.strip() == ""


def test_consent_is_kept_in_a_functional_cookie_and_leads_back(client, matomo):
    response = client.post(reverse("consent"), {"consent": "yes", "next": "/find/"})

    assert response.status_code == 302
    assert response["Location"] == "/find/"
    cookie = response.cookies["ob_consent"]
    assert cookie.value == "yes"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"]  # tests run with DEBUG=False


def test_consent_never_leads_to_another_site(client, matomo):
    response = client.post(reverse("consent"), {"consent": "no", "next": "https://evil.example/"})

    assert response["Location"] == reverse("cookie_settings")


def test_consent_with_a_bare_word_as_next_leads_to_the_cookie_settings(client, matomo):
    response = client.post(reverse("consent"), {"consent": "no", "next": "elsewhere"})

    assert response["Location"] == reverse("cookie_settings")


def test_an_answer_other_than_yes_or_no_is_refused(client, matomo):
    response = client.post(reverse("consent"), {"consent": "maybe"})

    assert response.status_code == 400
    assert "ob_consent" not in response.cookies


def test_the_choice_can_be_changed_and_no_removes_analytics_cookies(client, matomo):
    client.post(reverse("consent"), {"consent": "yes"})
    client.cookies["_pk_id.1.abcd"] = "tracker"

    response = client.post(reverse("consent"), {"consent": "no"})

    assert response.cookies["ob_consent"].value == "no"
    assert response.cookies["_pk_id.1.abcd"]["max-age"] == 0


def test_cookie_settings_show_the_current_choice_and_offer_both_answers(client, matomo):
    client.cookies["ob_consent"] = "yes"

    response = client.get(reverse("cookie_settings"))

    assert response.status_code == 200
    assert "You allowed analytics." in response.content.decode()
    assert 'name="consent" value="no"' in response.content.decode()


def test_cookie_settings_without_analytics_say_there_is_nothing_to_choose(client, settings):
    settings.OFFICEBOOKING_ANALYTICS_URL = ""

    response = client.get(reverse("cookie_settings"))

    assert "uses no web analytics" in response.content.decode()
    assert 'name="consent"' not in response.content.decode()
