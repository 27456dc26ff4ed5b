"""The tenant, the language and the htmx login redirect, set for every request."""

import pytest
from django.urls import reverse

from profiles.models import User

pytestmark = pytest.mark.django_db


def test_member_requests_carry_their_organization(client, employee, organization):
    client.force_login(employee)

    response = client.get(reverse("home"))

    assert response.wsgi_request.organization == organization


def test_anonymous_requests_carry_no_organization(client):
    response = client.get(reverse("account_login"))

    assert response.wsgi_request.organization is None


def test_requests_of_a_person_without_membership_carry_no_organization(client):
    client.force_login(User.objects.create_user("pending@acme.example", "x"))

    response = client.get(reverse("home"))

    # The page explains why they can't book yet.
    assert response.status_code == 403
    assert b"not linked to an organisation" in response.content
    assert response.wsgi_request.organization is None


def test_persons_language_setting_wins_over_the_browsers(client, employee):
    employee.language = "nl"
    employee.save(update_fields=["language"])
    client.force_login(employee)

    response = client.get(reverse("home"), headers={"accept-language": "en"})

    assert response["Content-Language"] == "nl"
    assert response.wsgi_request.LANGUAGE_CODE == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_browser_language_is_used_when_the_person_chose_none(client, employee):
    client.force_login(employee)

    response = client.get(reverse("home"), headers={"accept-language": "nl"})

    assert response["Content-Language"] == "nl"


def test_persons_english_wins_over_a_dutch_browser(client, employee):
    employee.language = "en"
    employee.save(update_fields=["language"])
    client.force_login(employee)

    response = client.get(reverse("home"), headers={"accept-language": "nl"})

    assert response["Content-Language"] == "en"


def test_htmx_request_with_expired_login_gets_hx_redirect_to_login(client):
    response = client.get(reverse("home"), headers={"hx-request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('account_login')}?next={reverse('home')}"


def test_plain_request_with_expired_login_gets_a_redirect_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('home')}"


def test_admin_speaks_the_persons_language(client, facility_manager):
    facility_manager.language = "nl"
    facility_manager.save(update_fields=["language"])
    client.force_login(facility_manager)

    response = client.get(reverse("admin:index"), headers={"accept-language": "en"})

    assert "<title>Websitebeheer | Officebooking admin</title>" in response.content.decode()


def test_switching_the_language_is_remembered_on_the_account(client, employee):
    employee.language = "en"
    employee.save()
    client.force_login(employee)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    employee.refresh_from_db()
    assert employee.language == "nl"
    assert client.get(reverse("home"))["Content-Language"] == "nl"


def test_switching_the_language_when_logged_out_sets_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert response.cookies["django_language"].value == "nl"
