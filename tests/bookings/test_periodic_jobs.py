import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bookings.models import Booking, BookingStatus, CheckIn
from bookings.services import check_out_at_end_of_day, release_no_shows, send_check_in_reminders
from locations.models import ResourceKind
from officebooking.celery import app as celery_app
from tests.clock import at
from tests.factories import (
    BookingFactory,
    BookingPolicyFactory,
    CheckInFactory,
    OpeningHoursFactory,
    ResourceFactory,
)
from tests.threads import run_at_once

# A Thursday; 2025-03-30, the Sunday after, is the spring DST change in Europe/Amsterdam.
THURSDAY = date(2025, 3, 27)
DST_SUNDAY = date(2025, 3, 30)


@pytest.fixture
def booking(building, desk, employee):
    # The default policy: check-in opens 15 minutes before 09:00 and closes at 09:30.
    return BookingFactory(
        resource=desk,
        user=employee,
        start=at(building, THURSDAY, "09:00"),
        end=at(building, THURSDAY, "17:00"),
    )


@pytest.fixture
def office_hours(organization, building):
    policy = BookingPolicyFactory(organization=organization, resource_kind=ResourceKind.DESK)
    OpeningHoursFactory(policy=policy, weekday=THURSDAY.weekday(), opens=time(8), closes=time(18))
    return policy


def checked_in(booking, moment):
    booking.status = BookingStatus.CHECKED_IN
    booking.save()
    return CheckInFactory(booking=booking, checked_in_at=moment)


# Check-in reminders


@pytest.mark.django_db
def test_a_reminder_goes_out_ten_minutes_before_check_in_closes(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_check_in_reminders(now=booking.start + timedelta(minutes=19)) == 0
        assert send_check_in_reminders(now=booking.start + timedelta(minutes=20)) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["erin@acme.example"]
    assert "09:30" in message.subject
    assert booking.resource.checkin_token in message.body


@pytest.mark.django_db
def test_running_the_reminders_twice_sends_one_email(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    later = booking.start + timedelta(minutes=25)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_check_in_reminders(now=later) == 1
        assert send_check_in_reminders(now=later + timedelta(minutes=1)) == 0
    assert len(mailoutbox) == 1
    booking.refresh_from_db()
    assert booking.reminder_sent_at == later


@pytest.mark.django_db
def test_no_reminder_before_check_in_opens(organization, booking):
    # Check-in opens at the start and closes 5 minutes later: the reminder waits for 09:00.
    BookingPolicyFactory(
        organization=organization,
        resource_kind=ResourceKind.DESK,
        checkin_opens_minutes=0,
        release_after_minutes=5,
    )
    assert send_check_in_reminders(now=booking.start - timedelta(minutes=3)) == 0
    assert send_check_in_reminders(now=booking.start) == 1


@pytest.mark.django_db
def test_no_reminder_after_check_in_closed(booking):
    assert send_check_in_reminders(now=booking.start + timedelta(minutes=30)) == 0


@pytest.mark.django_db
def test_no_reminder_for_a_checked_in_booking(booking):
    checked_in(booking, booking.start)
    assert send_check_in_reminders(now=booking.start + timedelta(minutes=25)) == 0


@pytest.mark.django_db
def test_no_reminder_for_a_cancelled_booking(booking):
    booking.status = BookingStatus.CANCELLED
    booking.save()
    assert send_check_in_reminders(now=booking.start + timedelta(minutes=25)) == 0


@pytest.mark.django_db
def test_no_reminder_when_the_policy_keeps_no_shows(organization, booking):
    BookingPolicyFactory(
        organization=organization, resource_kind=ResourceKind.DESK, auto_release=False
    )
    assert send_check_in_reminders(now=booking.start + timedelta(minutes=25)) == 0


# Release notices


@pytest.mark.django_db
def test_a_released_booking_is_notified_in_the_persons_language(
    booking, employee, mailoutbox, django_capture_on_commit_callbacks
):
    employee.language = "nl"
    employee.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert release_no_shows(now=booking.start + timedelta(minutes=30)) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.body.startswith("Hallo Erin,")
    # Dutch day and month names, in Amsterdam time (08:00 UTC).
    assert "do 27 Mrt 2025, 09:00–17:00" in message.body
    assert booking.resource.checkin_token in message.body


@pytest.mark.django_db
def test_running_the_release_twice_sends_one_notice(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    later = booking.start + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        release_no_shows(now=later)
        release_no_shows(now=later)
    assert len(mailoutbox) == 1
    booking.refresh_from_db()
    assert booking.release_notice_sent_at == later


@pytest.mark.django_db
def test_the_sweep_sends_a_release_notice_that_never_went_out(
    booking, mailoutbox, django_capture_on_commit_callbacks
):
    booking.status = BookingStatus.RELEASED
    booking.save()
    later = booking.start + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert release_no_shows(now=later) == 0
        release_no_shows(now=later + timedelta(minutes=5))
    assert len(mailoutbox) == 1
    booking.refresh_from_db()
    assert booking.release_notice_sent_at == later


@pytest.mark.django_db
def test_a_notice_the_broker_refused_is_sent_by_the_next_run(
    booking, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    task = celery_app.tasks["bookings.tasks.send_release_notice"]

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    later = booking.start + timedelta(hours=1)
    with monkeypatch.context() as patch:
        patch.setattr(task, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            assert release_no_shows(now=later) == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.RELEASED
    assert booking.release_notice_sent_at is None

    with django_capture_on_commit_callbacks(execute=True):
        release_no_shows(now=later + timedelta(minutes=5))
    assert len(mailoutbox) == 1


# End of the day


@pytest.mark.django_db
def test_a_person_still_checked_in_is_checked_out_when_the_building_closes(
    office_hours, building, booking
):
    check_in = checked_in(booking, at(building, THURSDAY, "08:55"))
    assert check_out_at_end_of_day(now=at(building, THURSDAY, "17:59")) == 0
    # A late run still records the closing time, not its own.
    assert check_out_at_end_of_day(now=at(building, THURSDAY, "18:14")) == 1
    check_in.refresh_from_db()
    booking.refresh_from_db()
    assert check_in.checked_out_at == at(building, THURSDAY, "18:00")
    assert booking.status == BookingStatus.COMPLETED
    assert booking.end == at(building, THURSDAY, "17:00")


@pytest.mark.django_db
def test_an_open_all_day_building_checks_out_at_local_midnight_on_a_dst_day(
    building, desk, employee
):
    # 2025-03-30 has 23 hours in Amsterdam: its midnight is 22:00 UTC, not 23:00.
    booking = BookingFactory(
        resource=desk,
        user=employee,
        start=at(building, DST_SUNDAY, "08:00"),
        end=at(building, DST_SUNDAY + timedelta(days=1), "07:00"),
    )
    check_in = checked_in(booking, booking.start)
    midnight = datetime(2025, 3, 30, 22, 0, tzinfo=UTC)
    assert check_out_at_end_of_day(now=midnight - timedelta(minutes=1)) == 0
    assert check_out_at_end_of_day(now=midnight + timedelta(minutes=10)) == 1
    check_in.refresh_from_db()
    booking.refresh_from_db()
    assert check_in.checked_out_at == midnight
    # The rest of the booking is free again.
    assert booking.end == midnight
    assert booking.status == BookingStatus.COMPLETED


@pytest.mark.django_db
def test_checking_out_at_the_end_of_the_day_twice_changes_nothing(office_hours, building, booking):
    check_in = checked_in(booking, booking.start)
    evening = at(building, THURSDAY, "20:00")
    assert check_out_at_end_of_day(now=evening) == 1
    assert check_out_at_end_of_day(now=evening + timedelta(hours=1)) == 0
    check_in.refresh_from_db()
    assert check_in.checked_out_at == at(building, THURSDAY, "18:00")


@pytest.mark.django_db
def test_someone_who_checked_out_is_left_alone(office_hours, building, booking):
    check_in = checked_in(booking, booking.start)
    check_in.checked_out_at = at(building, THURSDAY, "12:00")
    check_in.save()
    assert check_out_at_end_of_day(now=at(building, THURSDAY, "20:00")) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_workers_racing_the_end_of_day_check_each_person_out_exactly_once(floor, building):
    if connection.vendor != "postgresql":
        pytest.fail("This race needs PostgreSQL: run it with make test.")
    start = at(building, THURSDAY, "09:00")
    desks = ResourceFactory.create_batch(40, floor=floor)
    for desk in desks:
        CheckInFactory(
            booking__resource=desk,
            booking__start=start,
            booking__end=start + timedelta(hours=8),
            checked_in_at=start,
        )
    night = at(building, THURSDAY + timedelta(days=1), "01:00")
    counts = run_at_once([lambda: check_out_at_end_of_day(now=night)] * 2)

    assert sum(counts) == 40
    assert not CheckIn.objects.filter(checked_out_at__isnull=True).exists()
    assert Booking.objects.filter(status=BookingStatus.COMPLETED).count() == 40


# The embedded default and cron


@pytest.mark.django_db
def test_run_periodic_jobs_once_runs_every_scheduled_job_once(
    floor, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.INFO, logger="officebooking.management.commands.run_periodic_jobs")
    now = timezone.now()
    # Check-in closes in 5 minutes.
    to_remind = BookingFactory(
        resource=ResourceFactory(floor=floor), start=now - timedelta(minutes=25)
    )
    no_show = BookingFactory(resource=ResourceFactory(floor=floor), start=now - timedelta(hours=2))
    forgot_to_leave = CheckInFactory(
        booking__resource=ResourceFactory(floor=floor),
        booking__start=now - timedelta(days=2),
        checked_in_at=now - timedelta(days=2),
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic_jobs", "--once")

    to_remind.refresh_from_db()
    no_show.refresh_from_db()
    forgot_to_leave.refresh_from_db()
    assert to_remind.reminder_sent_at is not None
    assert no_show.status == BookingStatus.RELEASED
    assert forgot_to_leave.checked_out_at is not None
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [to_remind.user.email, no_show.user.email]
    )
    # Each job of the beat schedule ran exactly once, none failed, and nothing else ran.
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    ran = [record.args[0] for record in caplog.records if record.msg == "periodic job %s: %s"]
    assert sorted(ran) == sorted(settings.CELERY_BEAT_SCHEDULE)


@pytest.mark.django_db
def test_the_cron_commands_print_their_counts(booking, capsys):
    call_command("send_check_in_reminders")
    call_command("check_out_at_end_of_day")
    out = capsys.readouterr().out
    assert "Sent 0 check-in reminder(s)." in out
    assert "Checked out 0 person(s) at the end of the day." in out
