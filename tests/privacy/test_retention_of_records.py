"""Retention of the other personal records: staff accesses, revoked tokens and feeds, sessions."""

from datetime import UTC, datetime, timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from bookings.models import CalendarFeed
from privacy import retention
from privacy.models import StaffAccess
from privacy.retention import (
    purge_ended_user_sessions,
    purge_expired_records,
    purge_revoked_api_tokens,
    purge_revoked_calendar_feeds,
    purge_staff_accesses,
    purge_stale_signups,
)
from privacy.tasks import clear_expired_sessions_task, purge_personal_data, retention_task
from profiles.models import ApiToken, PendingSignup, Role
from tests.sessions import log_in

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 2, 45, tzinfo=UTC)


def _staff_access(person, staff, *, days_ago: int) -> StaffAccess:
    return StaffAccess.objects.create(
        person=person,
        staff=staff,
        staff_role=Role.FACILITY_MANAGER,
        record="account",
        accessed_at=NOW - timedelta(days=days_ago),
    )


def _token(user, *, revoked_days_ago: int | None) -> ApiToken:
    revoked_at = None if revoked_days_ago is None else NOW - timedelta(days=revoked_days_ago)
    return ApiToken.objects.create(
        user=user,
        name="phone",
        prefix="ob_x",
        key_hash=f"{user.pk}-{revoked_days_ago}".ljust(64, "0"),
        created_at=NOW - timedelta(days=400),
        revoked_at=revoked_at,
    )


def _feed(user, *, revoked_days_ago: int | None) -> CalendarFeed:
    revoked_at = None if revoked_days_ago is None else NOW - timedelta(days=revoked_days_ago)
    return CalendarFeed.objects.create(
        user=user, created_at=NOW - timedelta(days=400), revoked_at=revoked_at
    )


def _session(user) -> str:
    """Log the person in on a new browser; return the session key, which is in their list."""
    return log_in(user).session.session_key


def test_staff_accesses_past_a_year_are_deleted(employee, facility_manager, settings):
    settings.OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS = 365
    old = _staff_access(employee, facility_manager, days_ago=366)
    recent = _staff_access(employee, facility_manager, days_ago=364)

    assert purge_staff_accesses(now=NOW) == 1

    assert list(StaffAccess.objects.all()) == [recent]
    assert not StaffAccess.objects.filter(pk=old.pk).exists()


def test_the_staff_access_retention_comes_from_the_settings(employee, facility_manager, settings):
    settings.OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS = 30
    _staff_access(employee, facility_manager, days_ago=31)

    assert purge_staff_accesses(now=NOW) == 1


def test_api_tokens_revoked_past_the_retention_are_deleted(employee, settings):
    settings.OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS = 30
    _token(employee, revoked_days_ago=31)
    recently_revoked = _token(employee, revoked_days_ago=29)
    live = _token(employee, revoked_days_ago=None)

    assert purge_revoked_api_tokens(now=NOW) == 1

    assert set(ApiToken.objects.all()) == {recently_revoked, live}


def test_calendar_feeds_revoked_past_the_retention_are_deleted(employee, settings):
    settings.OFFICEBOOKING_REVOKED_TOKEN_RETENTION_DAYS = 30
    _feed(employee, revoked_days_ago=31)
    recently_revoked = _feed(employee, revoked_days_ago=29)
    live = _feed(employee, revoked_days_ago=None)

    assert purge_revoked_calendar_feeds(now=NOW) == 1

    assert set(CalendarFeed.objects.all()) == {recently_revoked, live}


def test_the_list_entries_of_ended_sessions_are_deleted(employee):
    now = timezone.now()
    live = _session(employee)
    expired = _session(employee)
    Session.objects.filter(session_key=expired).update(expire_date=now - timedelta(seconds=1))
    gone = _session(employee)
    Session.objects.filter(session_key=gone).delete()

    assert purge_ended_user_sessions(now=now) == 2

    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live]


def test_a_sign_up_that_could_not_be_completed_is_deleted_after_a_day(db):
    stale = PendingSignup.objects.create(
        email="a@acme.example", password_hash="x", language="en", notify=True
    )
    PendingSignup.objects.filter(pk=stale.pk).update(created_at=NOW - timedelta(days=2))
    fresh = PendingSignup.objects.create(
        email="b@acme.example", password_hash="x", language="en", notify=True
    )
    PendingSignup.objects.filter(pk=fresh.pk).update(created_at=NOW - timedelta(hours=1))

    assert purge_stale_signups(now=NOW) == 1
    assert list(PendingSignup.objects.values_list("email", flat=True)) == ["b@acme.example"]


def test_purging_goes_in_batches_until_nothing_is_left(
    employee, facility_manager, settings, monkeypatch
):
    settings.OFFICEBOOKING_STAFF_ACCESS_RETENTION_DAYS = 365
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    for days_ago in range(400, 405):
        _staff_access(employee, facility_manager, days_ago=days_ago)

    assert purge_staff_accesses(now=NOW) == 5

    assert not StaffAccess.objects.exists()


def test_running_twice_deletes_nothing_more(employee, facility_manager):
    _staff_access(employee, facility_manager, days_ago=800)
    _token(employee, revoked_days_ago=800)
    _feed(employee, revoked_days_ago=800)

    assert purge_expired_records(now=NOW) == 3
    assert purge_expired_records(now=NOW) == 0


def test_the_nightly_retention_job_purges_the_records(employee, facility_manager):
    _staff_access(employee, facility_manager, days_ago=800)
    _token(employee, revoked_days_ago=800)
    _feed(employee, revoked_days_ago=800)

    purge_personal_data(now=NOW)

    assert not StaffAccess.objects.exists()
    assert not ApiToken.objects.exists()
    assert not CalendarFeed.objects.exists()


def test_the_nightly_retention_task_purges_the_list_entries_of_ended_sessions(employee):
    key = _session(employee)
    Session.objects.filter(session_key=key).delete()

    retention_task.delay()

    assert not UserSession.objects.exists()


def test_expired_sessions_are_cleared_and_live_ones_kept(employee, colleague):
    expired = _session(employee)
    Session.objects.filter(session_key=expired).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    live = _session(colleague)

    assert clear_expired_sessions_task.delay().get() == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


def test_clearing_sessions_is_a_nightly_job(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "privacy.tasks.clear_expired_sessions_task" in tasks


def test_the_embedded_default_clears_expired_sessions(employee):
    key = _session(employee)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    call_command("run_periodic_jobs", "--once")

    assert not Session.objects.filter(session_key=key).exists()


def test_the_cron_command_purges_the_records_too(employee, facility_manager, capsys):
    _staff_access(employee, facility_manager, days_ago=5000)

    call_command("purge_personal_data")

    assert not StaffAccess.objects.exists()
    assert "1 other record(s)" in capsys.readouterr().out
