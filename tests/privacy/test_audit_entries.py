"""The audit log of staff changes: shown to the person, exported, erased and purged."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from bookings.models import BookingStatus
from privacy.erasure import erase_person
from privacy.export import export_data
from privacy.retention import purge_expired_audit_entries
from privacy.tasks import purge_personal_data
from profiles.audit import record_staff_change
from profiles.models import AuditAction, AuditEntry, Role
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 2, 45, tzinfo=UTC)


def _cancelled_by_staff(*, staff, person, desk, reason="Desk is broken", at=None):
    booking = BookingFactory(resource=desk, user=person, status=BookingStatus.CANCELLED)
    entry = record_staff_change(
        actor=staff,
        organization=desk.organization,
        action=AuditAction.BOOKING_CANCELLED,
        obj=booking,
        description="A.01 · Ground floor · Amsterdam HQ · 2025-03-28 09:00–17:00",
        subject=person,
        reason=reason,
        time_zone="Europe/Amsterdam",
    )
    if at is not None:
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=at)
        entry.refresh_from_db()
    return entry


# My data


def test_my_data_lists_staff_changes_about_me_under_who_looked(
    client, employee, facility_manager, desk
):
    _cancelled_by_staff(
        staff=facility_manager, person=employee, desk=desk, at=datetime(2025, 3, 27, 8, tzinfo=UTC)
    )
    client.force_login(employee)

    html = client.get(reverse("my_data")).content.decode()

    section = html[html.index("Who looked at my data") :]
    assert "Changes staff made to your bookings and account" in section
    assert "Fiona (facility manager)" in section
    assert "Desk is broken" in section
    assert "A.01 · Ground floor · Amsterdam HQ" in section
    # 08:00 UTC is 09:00 in the building's zone.
    assert "9:00" in section or "09:00" in section


def test_my_data_shows_no_one_elses_entries(client, employee, colleague, facility_manager, desk):
    _cancelled_by_staff(staff=facility_manager, person=colleague, desk=desk, reason="Carl's")
    client.force_login(employee)

    html = client.get(reverse("my_data")).content.decode()

    assert "Carl&#x27;s" not in html and "Carl's" not in html
    assert "Staff have not changed your bookings or account." in html


def test_my_data_shows_a_role_change_in_words(client, employee, organization_admin):
    from profiles.services import set_role

    set_role(membership=employee.membership, role=Role.FACILITY_MANAGER, actor=organization_admin)
    client.force_login(employee)

    html = client.get(reverse("my_data")).content.decode()

    assert "employee → facility manager" in html


# Export


def test_the_export_holds_the_entries_about_me(employee, facility_manager, desk):
    _cancelled_by_staff(staff=facility_manager, person=employee, desk=desk)

    [row] = export_data(employee)["profiles.auditentry"]["about_me"]

    assert row["staff_member"] == "Fiona"
    assert row["staff_role"] == "facility_manager"
    assert row["action"] == "booking_cancelled"
    assert row["reason"] == "Desk is broken"
    assert row["time_zone"] == "Europe/Amsterdam"


def test_the_export_of_staff_holds_what_they_did_but_not_about_whom(
    employee, facility_manager, desk
):
    _cancelled_by_staff(staff=facility_manager, person=employee, desk=desk)

    section = export_data(facility_manager)["profiles.auditentry"]
    [row] = section["by_me"]

    assert section["about_me"] == []
    assert row["action"] == "booking_cancelled"
    assert "subject" not in row and "reason" not in row
    assert employee.email not in str(row) and "Erin" not in str(row)


# Erasure


def test_erasing_the_person_deletes_the_entries_about_them(employee, facility_manager, desk):
    _cancelled_by_staff(staff=facility_manager, person=employee, desk=desk)

    erase_person(user=employee, now=NOW)

    assert not AuditEntry.objects.exists()


def test_erasing_the_staff_member_keeps_their_entries_as_a_former_staff_member(
    employee, facility_manager, desk
):
    entry = _cancelled_by_staff(staff=facility_manager, person=employee, desk=desk)

    erase_person(user=facility_manager, now=NOW)

    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_role == "facility_manager"
    assert entry.actor_display == "a former staff member"
    assert entry.subject == employee


def test_the_person_then_reads_a_former_staff_member(client, employee, facility_manager, desk):
    _cancelled_by_staff(staff=facility_manager, person=employee, desk=desk)
    erase_person(user=facility_manager, now=NOW)
    client.force_login(employee)

    html = client.get(reverse("my_data")).content.decode()

    assert "a former staff member (facility manager)" in html


# Retention


def test_entries_past_the_retention_are_purged(
    organization, employee, facility_manager, desk, settings
):
    settings.OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS = 365
    # Bookings kept longer than the log: the log's own retention decides.
    organization.retention_days = 730
    organization.save(update_fields=["retention_days"])
    old = _cancelled_by_staff(
        staff=facility_manager, person=employee, desk=desk, at=NOW - timedelta(days=366)
    )
    kept = _cancelled_by_staff(
        staff=facility_manager, person=employee, desk=desk, at=NOW - timedelta(days=364)
    )

    assert purge_expired_audit_entries(now=NOW) == 1

    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_entries_about_bookings_go_with_the_organisations_shorter_booking_retention(
    organization, employee, facility_manager, desk, settings
):
    settings.OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS = 365
    organization.retention_days = 30
    organization.save(update_fields=["retention_days"])
    _cancelled_by_staff(
        staff=facility_manager, person=employee, desk=desk, at=NOW - timedelta(days=31)
    )
    role_change = record_staff_change(
        actor=facility_manager,
        organization=organization,
        action=AuditAction.ROLE_CHANGED,
        obj=employee,
        description="employee → facility manager",
        subject=employee,
    )
    AuditEntry.objects.filter(pk=role_change.pk).update(created_at=NOW - timedelta(days=31))

    assert purge_expired_audit_entries(now=NOW) == 1

    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [role_change.pk]


def test_the_retention_follows_the_setting(employee, facility_manager, desk, settings):
    settings.OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS = 30
    _cancelled_by_staff(
        staff=facility_manager, person=employee, desk=desk, at=NOW - timedelta(days=31)
    )

    assert purge_expired_audit_entries(now=NOW) == 1


def test_the_purge_goes_in_batches(employee, facility_manager, desk, monkeypatch):
    from privacy import retention

    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    for _ in range(5):
        _cancelled_by_staff(
            staff=facility_manager, person=employee, desk=desk, at=NOW - timedelta(days=400)
        )

    assert purge_expired_audit_entries(now=NOW) == 5
    assert not AuditEntry.objects.exists()


def test_the_nightly_job_purges_the_audit_log(employee, facility_manager, desk):
    _cancelled_by_staff(
        staff=facility_manager, person=employee, desk=desk, at=NOW - timedelta(days=400)
    )

    purge_personal_data(now=NOW)
    purge_personal_data(now=NOW)

    assert not AuditEntry.objects.exists()


def test_the_management_command_purges_the_audit_log(employee, facility_manager, desk):
    _cancelled_by_staff(
        staff=facility_manager, person=employee, desk=desk, at=datetime(2000, 1, 1, tzinfo=UTC)
    )

    call_command("purge_personal_data")

    assert not AuditEntry.objects.exists()


# Privacy statement


def test_the_statement_says_what_the_audit_log_keeps_and_for_how_long(client, db, settings):
    settings.OFFICEBOOKING_AUDIT_LOG_RETENTION_DAYS = 400

    html = client.get(reverse("privacy_statement")).content.decode()

    assert "An audit log of changes staff make" in html
    assert "keeps each entry for 400 days" in html
    assert "a former staff member" in html
