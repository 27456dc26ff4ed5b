"""The migrations that replace calendar feed tokens by their hashes: subscribed links keep
working, and no plain token stays in the table."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("bookings", "0005_booking_release_notice_sent_at_and_more")]
AFTER = [("bookings", "0007_drop_plain_calendar_feed_tokens")]
LIVE_TOKEN = "live-token-subscribed-in-outlook-0123456789abc"
REVOKED_TOKEN = "revoked-token-0123456789abcdefghijklmnopqrstu"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def feeds_from_before(organization):
    """Feeds saved with plain tokens, as before the migrations, then migrated."""
    user = UserFactory(organization=organization)
    try:
        old_apps = migrate(BEFORE)
        CalendarFeed = old_apps.get_model("bookings", "CalendarFeed")
        CalendarFeed.objects.create(user_id=user.pk, token=REVOKED_TOKEN, revoked_at=timezone.now())
        CalendarFeed.objects.create(user_id=user.pk, token=LIVE_TOKEN)
        migrate(AFTER)
        yield user
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_a_subscribed_link_keeps_working(client, feeds_from_before):
    response = client.get(reverse("calendar_feed", args=[LIVE_TOKEN]))

    assert response.status_code == 200


def test_a_revoked_link_stays_off(client, feeds_from_before):
    response = client.get(reverse("calendar_feed", args=[REVOKED_TOKEN]))

    assert response.status_code == 404


def test_no_plain_token_is_left_in_the_table(feeds_from_before):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM bookings_calendarfeed")
        cells = [str(cell) for row in cursor.fetchall() for cell in row]
        columns = [column.name for column in cursor.description]

    assert "token" not in columns
    assert not [cell for cell in cells if LIVE_TOKEN in cell or REVOKED_TOKEN in cell]
    for token in (LIVE_TOKEN, REVOKED_TOKEN):
        assert hashlib.sha256(token.encode()).hexdigest() in cells
        assert token[:8] in cells
