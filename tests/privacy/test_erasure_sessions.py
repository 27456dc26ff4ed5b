"""Erasure ends every session of the person, expired or not, indexed or not."""

from datetime import UTC, datetime, timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client

from privacy.erasure import erase_person
from privacy.export import export_sessions, export_user_sessions
from tests.sessions import log_in

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)


def _signed_in(user, *, indexed: bool) -> str:
    """Log the person in on a new browser; return the session key.

    Through the log-in form the session is in the person's index; a log-in that bypasses
    allauth, like one from before the index existed, leaves it out until a minute later.
    """
    if indexed:
        return log_in(user).session.session_key
    browser = Client()
    browser.force_login(user)
    return browser.session.session_key


def _expire(key: str) -> None:
    Session.objects.filter(session_key=key).update(expire_date=NOW - timedelta(days=1))


def test_an_indexed_session_is_erased(employee):
    key = _signed_in(employee, indexed=True)
    assert UserSession.objects.filter(user=employee, session_key=key).exists()

    erase_person(user=employee, now=NOW)

    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()


def test_a_live_session_missing_from_the_index_is_erased(employee):
    key = _signed_in(employee, indexed=False)
    assert not UserSession.objects.filter(session_key=key).exists()

    erase_person(user=employee, now=NOW)

    assert not Session.objects.filter(session_key=key).exists()


def test_an_expired_session_missing_from_the_index_is_erased(employee):
    key = _signed_in(employee, indexed=False)
    _expire(key)

    erase_person(user=employee, now=NOW)

    assert not Session.objects.filter(session_key=key).exists()


def test_an_expired_indexed_session_is_erased(employee):
    key = _signed_in(employee, indexed=True)
    _expire(key)

    erase_person(user=employee, now=NOW)

    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()


def test_a_colleagues_live_sessions_stay(employee, colleague):
    indexed = _signed_in(colleague, indexed=True)
    unindexed = _signed_in(colleague, indexed=False)

    erase_person(user=employee, now=NOW)

    assert Session.objects.filter(session_key__in=[indexed, unindexed]).count() == 2
    assert UserSession.objects.filter(user=colleague).count() == 1


def test_the_export_lists_live_sessions_in_and_outside_the_index(employee, colleague):
    _signed_in(employee, indexed=True)
    _signed_in(employee, indexed=False)
    _expire(_signed_in(employee, indexed=False))
    _signed_in(colleague, indexed=True)

    assert len(export_sessions(employee)) == 2


def test_the_export_names_each_sessions_address_and_browser_but_not_its_key(employee):
    browser = log_in(employee, REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Phone")

    [row] = export_user_sessions(employee)

    assert (row["ip"], row["user_agent"]) == ("192.0.2.7", "Phone")
    assert {"created_at", "last_seen_at"} <= set(row)
    assert browser.session.session_key not in str(row)
