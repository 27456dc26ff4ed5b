"""One answer to "which address is the client?", behind zero or more trusted proxies."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from profiles.network import client_ip
from tests.factories import TEST_PASSWORD

PROXY = "10.0.0.1"


def _request(**headers):
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)


def test_without_trusted_proxies_the_connecting_address_is_the_client(settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request()) == PROXY


def test_without_trusted_proxies_a_forwarded_for_header_is_ignored(settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.7")) == PROXY


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 1

    request = _request(HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.7")

    # The first entry came from the client and may be forged; the proxy appended the last.
    assert client_ip(request) == "203.0.113.7"


def test_behind_one_proxy_a_request_without_the_header_falls_back_to_the_connection(settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request()) == PROXY


def test_behind_two_proxies_a_short_header_is_not_trusted(settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 2

    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.7")) == PROXY


def test_a_garbage_forwarded_address_falls_back_to_the_connection(settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(HTTP_X_FORWARDED_FOR="<script>")) == PROXY


def test_a_trusted_client_ip_header_wins(settings):
    settings.OFFICEBOOKING_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"

    request = _request(HTTP_X_REAL_IP="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.66")

    assert client_ip(request) == "203.0.113.7"


def test_allauth_is_configured_from_the_same_settings():
    from django.conf import settings

    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT
    assert (
        settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER == settings.OFFICEBOOKING_TRUSTED_CLIENT_IP_HEADER
    )


def _fail_logins_from(forwarded_for: list[str]) -> None:
    # Another address each time: only the per-IP limit (10 a minute) can trip.
    for n, address in enumerate(forwarded_for):
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).post(
            reverse("account_login"), {"login": f"nobody{n}@acme.example", "password": "wrong"}
        )


def _log_in_from(employee, address: str):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    client.post(reverse("account_login"), {"login": employee.email, "password": TEST_PASSWORD})
    return client


@pytest.mark.django_db
def test_behind_a_proxy_one_clients_failed_logins_do_not_lock_out_another(settings, employee):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 1
    _fail_logins_from(["203.0.113.66"] * 11)

    client = _log_in_from(employee, "203.0.113.7")

    assert client.session["_auth_user_id"] == str(employee.pk)


@pytest.mark.django_db
def test_without_trusted_proxies_forged_headers_do_not_escape_the_login_limit(settings, employee):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 0
    _fail_logins_from([f"203.0.113.{n}" for n in range(11)])

    client = _log_in_from(employee, "203.0.113.200")

    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_behind_a_proxy_the_contact_form_limit_counts_per_client(settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 1
    data = {"name": "Erin", "email": "erin@acme.example", "message": "What do you keep?"}
    for _ in range(5):
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66").post(
            reverse("privacy_contact"), data
        )

    response = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7").post(
        reverse("privacy_contact"), data
    )

    assert response.status_code == 302


@pytest.mark.django_db
def test_without_trusted_proxies_forged_headers_do_not_escape_the_contact_form_limit(settings):
    settings.OFFICEBOOKING_TRUSTED_PROXY_COUNT = 0
    data = {"name": "Erin", "email": "erin@acme.example", "message": "What do you keep?"}
    for n in range(5):
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            reverse("privacy_contact"), data
        )

    response = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.200").post(
        reverse("privacy_contact"), data
    )

    assert response.status_code == 429
