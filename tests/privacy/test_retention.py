from datetime import UTC, date, datetime, timedelta

import pytest

from bookings.models import Booking, BookingStatus, CheckIn
from privacy.models import UsageStatistic
from privacy.retention import purge_ended_subscriptions, purge_expired_personal_data
from privacy.statistics import aggregate_day
from privacy.tasks import purge_personal_data
from profiles.models import Profile, User
from tests.factories import BookingFactory, CheckInFactory

NOW = datetime(2025, 6, 1, 2, 45, tzinfo=UTC)
# The organisation keeps 90 days: everything that ended before 2025-03-03 02:45 goes.
OLD_DAYS = [date(2025, 2, 10), date(2025, 2, 11), date(2025, 2, 12)]
RECENT_DAY = date(2025, 5, 20)


def _on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)


@pytest.fixture
def history(organization, employee, colleague, desk, other_desk):
    for day in OLD_DAYS:
        used = BookingFactory(
            user=employee,
            resource=desk,
            start=_on(day),
            end=_on(day) + timedelta(hours=4),
            status=BookingStatus.COMPLETED,
        )
        CheckInFactory(
            booking=used, checked_in_at=_on(day), checked_out_at=_on(day) + timedelta(hours=3)
        )
        BookingFactory(
            user=colleague, resource=other_desk, start=_on(day), status=BookingStatus.RELEASED
        )
    BookingFactory(user=employee, resource=desk, start=_on(RECENT_DAY))


def _day_totals(resource) -> dict[date, int]:
    rows = UsageStatistic.objects.filter(resource_id=resource.pk, hour__isnull=True)
    return {row.date: row.bookings for row in rows}


def test_old_bookings_are_counted_then_deleted(history, desk, other_desk):
    deleted = purge_expired_personal_data(now=NOW)

    assert deleted == 6
    assert list(Booking.objects.values_list("start", flat=True)) == [_on(RECENT_DAY)]
    assert not CheckIn.objects.exists()
    assert _day_totals(desk) == dict.fromkeys(OLD_DAYS, 1)
    no_shows = UsageStatistic.objects.filter(resource_id=other_desk.pk, hour__isnull=True)
    assert [row.no_shows for row in no_shows] == [1, 1, 1]
    check_ins = UsageStatistic.objects.get(resource_id=desk.pk, date=OLD_DAYS[0], hour=None)
    assert check_ins.check_ins == 1


def test_running_twice_counts_nothing_twice(history, desk):
    purge_expired_personal_data(now=NOW)

    assert purge_expired_personal_data(now=NOW) == 0
    assert _day_totals(desk) == dict.fromkeys(OLD_DAYS, 1)


def test_an_interrupted_run_loses_and_double_counts_nothing(history, organization, desk):
    # The run before stopped after counting the first day and deleting part of it.
    aggregate_day(organization_id=organization.pk, day=OLD_DAYS[0])
    first = Booking.objects.get(resource=desk, start=_on(OLD_DAYS[0]))
    CheckIn.objects.filter(booking=first).delete()
    first.delete()

    purge_expired_personal_data(now=NOW)

    assert _day_totals(desk) == dict.fromkeys(OLD_DAYS, 1)
    assert Booking.objects.count() == 1


def test_each_organisation_keeps_its_own_retention(history, organization, desk):
    organization.retention_days = 365
    organization.save(update_fields=["retention_days"])

    assert purge_expired_personal_data(now=NOW) == 0
    assert Booking.objects.count() == 7


# Ended subscriptions


@pytest.fixture
def ended(organization, history, facility_manager, organization_admin):
    organization.subscription_ends_on = NOW.date() - timedelta(days=31)
    organization.save(update_fields=["subscription_ends_on"])


def test_people_of_an_ended_subscription_are_erased(ended, organization, stranger, desk):
    erased = purge_ended_subscriptions(now=NOW)

    assert erased == 4
    assert not User.objects.filter(membership__organization=organization).exists()
    assert not Profile.objects.filter(user__membership__organization=organization).exists()
    assert not Booking.objects.filter(organization=organization).exists()
    # Another organisation's people stay.
    assert User.objects.filter(pk=stranger.pk).exists()
    # Their statistics stay.
    assert sum(_day_totals(desk).values()) == len(OLD_DAYS) + 1


def test_a_subscription_ended_within_30_days_keeps_its_people(organization, employee):
    organization.subscription_ends_on = NOW.date() - timedelta(days=30)
    organization.save(update_fields=["subscription_ends_on"])

    assert purge_ended_subscriptions(now=NOW) == 0
    assert User.objects.filter(pk=employee.pk).exists()


def test_the_nightly_job_twice_loses_and_double_counts_nothing(ended, desk):
    purge_personal_data(now=NOW)
    purge_personal_data(now=NOW)

    assert sum(_day_totals(desk).values()) == len(OLD_DAYS) + 1
    assert (
        not User.objects.filter(membership__isnull=False)
        .exclude(membership__organization__subscription_ends_on__isnull=True)
        .exists()
    )


def test_the_nightly_job_runs_as_a_celery_task(history, desk, settings):
    from privacy.tasks import aggregate_statistics_task, retention_task

    assert "privacy.tasks.retention_task" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    aggregate_statistics_task.delay()
    retention_task.delay()

    # The tasks run on the real clock, long after all of these days.
    assert not Booking.objects.exists()
    assert sum(_day_totals(desk).values()) == len(OLD_DAYS) + 1


def test_the_management_commands_run(history, desk):
    from django.core.management import call_command

    call_command("aggregate_statistics")
    call_command("purge_personal_data")

    assert not Booking.objects.filter(start__lt=_on(RECENT_DAY)).exists()
