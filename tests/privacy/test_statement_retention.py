"""The privacy statement names how long each kind of record is kept, from the settings."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _statement(client) -> str:
    return " ".join(client.get(reverse("privacy_statement")).content.decode().split())


def test_the_statement_names_the_staff_access_retention(client, settings):
    settings.OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS = 180

    assert "The log of staff opening your records is kept for 180 days" in _statement(client)


def test_the_statement_names_the_revoked_token_retention(client, settings):
    settings.OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS = 14

    assert "are deleted 14 days after you revoke them" in _statement(client)


def test_the_statement_says_what_a_session_keeps_and_when_it_goes(client, settings):
    settings.OFFICEBOOKING_SESSION_IDLE_TIMEOUT = 0

    content = _statement(client)

    assert "its IP address and browser" in content
    assert "deleted the night after the session ends" in content
    assert "without activity" not in content


def test_the_statement_names_the_idle_timeout_when_there_is_one(client, settings):
    settings.OFFICEBOOKING_SESSION_IDLE_TIMEOUT = 30

    assert "after 30 minutes without activity" in _statement(client)


def test_the_statement_says_how_long_a_contact_question_is_kept(client):
    content = _statement(client)

    assert "kept only until it has been e-mailed to the service desk" in content
    assert "never longer than 30 days" in content
