"""People list their sessions and log out everywhere else from the account menu."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.sessions import log_in

pytestmark = pytest.mark.django_db

SESSIONS_URL = reverse("usersessions_list")
ELSEWHERE_URL = reverse("end_sessions_elsewhere")


@pytest.fixture
def on_laptop(client, employee):
    return log_in(employee, browser=client, HTTP_USER_AGENT="Laptop browser")


@pytest.fixture
def on_phone(employee):
    return log_in(employee, HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="192.0.2.9")


def test_the_account_menu_links_to_the_sessions(on_laptop):
    content = on_laptop.get(reverse("account_change_password")).content.decode()

    assert f'href="{SESSIONS_URL}"' in content


def test_the_page_lists_each_session_and_marks_this_one(on_laptop, on_phone):
    response = on_laptop.get(SESSIONS_URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Laptop browser" in content
    assert "Phone browser" in content
    assert "From 192.0.2.9." in content
    assert content.count("This device") == 1


def test_logging_out_everywhere_else_ends_the_other_sessions(on_laptop, on_phone, employee):
    phone_key = on_phone.session.session_key

    response = on_laptop.post(ELSEWHERE_URL)

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert on_phone.get(reverse("home")).status_code == 302
    assert on_laptop.get(reverse("home")).status_code == 200
    assert list(
        UserSession.objects.filter(user=employee).values_list("session_key", flat=True)
    ) == [on_laptop.session.session_key]


def test_a_colleagues_sessions_are_not_listed(on_laptop, colleague):
    log_in(colleague, HTTP_USER_AGENT="Colleague browser")

    assert "Colleague browser" not in on_laptop.get(SESSIONS_URL).content.decode()


def test_the_page_asks_a_visitor_to_log_in(client):
    response = client.get(SESSIONS_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_superuser_searches_sessions_in_admin_by_e_mail_address(
    client, employee, on_phone, superuser
):

    client.force_login(superuser)

    response = client.get(
        reverse("admin:usersessions_usersession_changelist"), {"q": employee.email}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def _end_url(session: UserSession) -> str:
    return reverse("end_session", args=[session.pk])


def test_a_person_logs_out_one_other_session(on_laptop, on_phone, employee):
    phone_session = UserSession.objects.get(user_agent="Phone browser")

    response = on_laptop.post(_end_url(phone_session))

    assert response.status_code == 302
    assert response["Location"] == SESSIONS_URL
    assert on_phone.get(reverse("home")).status_code == 302
    assert on_laptop.get(reverse("home")).status_code == 200
    assert not Session.objects.filter(session_key=phone_session.session_key).exists()
    assert not UserSession.objects.filter(pk=phone_session.pk).exists()


def test_each_other_session_has_its_own_log_out_button(on_laptop, on_phone):
    content = on_laptop.get(SESSIONS_URL).content.decode()

    phone_session = UserSession.objects.get(user_agent="Phone browser")
    laptop_session = UserSession.objects.get(user_agent="Laptop browser")
    assert f'action="{_end_url(phone_session)}"' in content
    assert f'action="{_end_url(laptop_session)}"' not in content


def test_another_persons_session_is_not_found(on_laptop, colleague):
    log_in(colleague, HTTP_USER_AGENT="Carl's browser")
    carls_session = UserSession.objects.get(user=colleague)

    assert on_laptop.post(_end_url(carls_session)).status_code == 404
    assert Session.objects.filter(session_key=carls_session.session_key).exists()


def test_the_session_making_the_request_is_not_ended_here(on_laptop):
    laptop_session = UserSession.objects.get(user_agent="Laptop browser")

    assert on_laptop.post(_end_url(laptop_session)).status_code == 404
    assert on_laptop.get(reverse("home")).status_code == 200


def test_ending_a_session_takes_a_post(on_laptop, on_phone):
    phone_session = UserSession.objects.get(user_agent="Phone browser")

    assert on_laptop.get(_end_url(phone_session)).status_code == 405


def test_logging_out_everywhere_else_also_ends_a_session_the_list_does_not_know(
    on_laptop, employee, colleague
):
    # Django's own log-in, as before the list existed: it is listed only after a minute.
    unlisted = Client()
    unlisted.force_login(employee)
    carls = log_in(colleague)
    assert not UserSession.objects.filter(session_key=unlisted.session.session_key).exists()

    on_laptop.post(ELSEWHERE_URL)

    assert unlisted.get(reverse("home")).status_code == 302
    assert on_laptop.get(reverse("home")).status_code == 200
    assert carls.get(reverse("home")).status_code == 200


def test_the_log_out_everywhere_else_button_posts_to_the_page_that_ends_them(on_laptop, on_phone):
    content = on_laptop.get(SESSIONS_URL).content.decode()

    assert f'action="{ELSEWHERE_URL}"' in content
