"""Idle sessions end after the configured timeout; activity is written at most once a minute."""

from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from profiles.middleware import LAST_ACTIVITY_KEY
from tests.clock import stop_clock
from tests.sessions import log_in

pytestmark = pytest.mark.django_db

START = timezone.now().replace(microsecond=0)


@pytest.fixture
def clock(monkeypatch):
    """Set the time the next requests see."""

    def move_to(moment):
        stop_clock(monkeypatch, moment)

    move_to(START)
    return move_to


@pytest.fixture
def signed_in(client, employee, clock):
    client.force_login(employee)
    client.get(reverse("home"))
    return client


def test_a_session_idle_longer_than_the_timeout_is_logged_out(signed_in, clock, settings):
    settings.OFFICEBOOKING_SESSION_IDLE_TIMEOUT = 30
    clock(START + timedelta(minutes=31))

    response = signed_in.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not response.wsgi_request.user.is_authenticated
    assert response.wsgi_request.organization is None
    notices = [str(message) for message in get_messages(response.wsgi_request)]
    assert notices == ["You were logged out after 30 minutes without activity."]


def test_a_session_active_within_the_timeout_stays(signed_in, clock, settings):
    settings.OFFICEBOOKING_SESSION_IDLE_TIMEOUT = 30
    clock(START + timedelta(minutes=29))
    signed_in.get(reverse("home"))
    clock(START + timedelta(minutes=58))

    response = signed_in.get(reverse("home"))

    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated


def test_without_a_timeout_an_idle_session_stays(signed_in, clock, settings):
    settings.OFFICEBOOKING_SESSION_IDLE_TIMEOUT = 0
    clock(START + timedelta(days=3))

    response = signed_in.get(reverse("home"))

    assert response.status_code == 200


def test_logging_in_counts_as_activity(client, employee, clock):
    client.force_login(employee)

    assert client.session[LAST_ACTIVITY_KEY] == START.timestamp()


def test_activity_is_not_written_again_within_a_minute(signed_in, clock):
    clock(START + timedelta(seconds=59))

    response = signed_in.get(reverse("home"))

    assert response.wsgi_request.session.modified is False
    assert signed_in.session[LAST_ACTIVITY_KEY] == START.timestamp()


def test_activity_is_written_again_after_a_minute(signed_in, clock):
    clock(START + timedelta(seconds=61))

    signed_in.get(reverse("home"))

    assert signed_in.session[LAST_ACTIVITY_KEY] == (START + timedelta(seconds=61)).timestamp()


def test_activity_updates_when_and_where_the_session_was_last_seen(client, employee, clock):
    log_in(employee, browser=client)
    clock(START + timedelta(minutes=5))

    client.get(reverse("home"), REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Phone")

    session = UserSession.objects.get(user=employee)
    assert session.session_key == client.session.session_key
    assert (session.last_seen_at, session.ip, session.user_agent) == (
        START + timedelta(minutes=5),
        "192.0.2.7",
        "Phone",
    )


def test_activity_adds_a_session_missing_from_the_list(signed_in, clock, employee):
    clock(START + timedelta(minutes=5))

    signed_in.get(reverse("home"))

    assert UserSession.objects.get(user=employee).session_key == signed_in.session.session_key


def test_logging_in_through_the_form_lists_the_session(client, employee):
    log_in(employee, browser=client, HTTP_USER_AGENT="Laptop")

    session = UserSession.objects.get(user=employee)
    assert (session.session_key, session.user_agent) == (client.session.session_key, "Laptop")


def test_logging_out_removes_the_session_from_the_list(client, employee):
    log_in(employee, browser=client)

    client.post(reverse("account_logout"))

    assert not UserSession.objects.filter(user=employee).exists()
