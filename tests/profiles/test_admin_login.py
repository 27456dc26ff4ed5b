"""The admin has no login of its own: allauth's limits and second factor guard it too."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, TOTPAuthenticatorFactory

pytestmark = pytest.mark.django_db


def _admin_login(client, email, password):
    return client.post(
        reverse("admin:login"), {"username": email, "password": password, "next": "/admin/"}
    )


def _allauth_login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_admin_login_page_sends_visitors_to_the_account_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_forty_wrong_admin_passwords_then_the_right_one_logs_nobody_in(client, facility_manager):
    for _attempt in range(40):
        _admin_login(client, facility_manager.email, "wrong-password")

    _admin_login(client, facility_manager.email, TEST_PASSWORD)

    assert "_auth_user_id" not in client.session


def test_a_locked_account_login_locks_the_admin_too(client, facility_manager):
    for _attempt in range(5):
        _allauth_login(client, facility_manager.email, "wrong-password")

    _admin_login(client, facility_manager.email, TEST_PASSWORD)
    response = _allauth_login(client, facility_manager.email, TEST_PASSWORD)

    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_gives_no_session_without_the_second_factor(client, facility_manager):
    TOTPAuthenticatorFactory(user=facility_manager)

    _admin_login(client, facility_manager.email, TEST_PASSWORD)

    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_account_login_asks_staff_with_totp_for_the_second_factor(client, facility_manager):
    TOTPAuthenticatorFactory(user=facility_manager)

    response = _allauth_login(client, facility_manager.email, TEST_PASSWORD)

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_a_logged_in_facility_manager_opens_the_admin(client, facility_manager):
    client.force_login(facility_manager)

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_logged_in_employee_is_refused_the_admin(client, employee):
    client.force_login(employee)

    assert client.get(reverse("admin:login")).status_code == 403


def _current_code() -> str:
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, counter))


def test_staff_with_totp_reach_the_admin_after_the_code(client, facility_manager):
    TOTPAuthenticatorFactory(user=facility_manager)
    client.post(
        reverse("account_login"),
        {"login": facility_manager.email, "password": TEST_PASSWORD, "next": "/admin/"},
    )

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code()})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
