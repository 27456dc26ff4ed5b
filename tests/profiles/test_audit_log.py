"""The audit log: what staff change in profiles is logged, and organisation admins read it."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from privacy.models import StaffAccess
from profiles.audit import record_staff_change
from profiles.models import AuditAction, AuditEntry, Role, User
from profiles.services import apply_strict_preset, set_role
from tests.admin_forms import unchanged_post_data
from tests.factories import BookingFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:profiles_auditentry_changelist")
CSV_URL = reverse("admin:profiles_auditentry_csv")


def _change_url(user: User) -> str:
    return reverse("admin:profiles_user_change", args=[user.pk])


def _user_form(user: User, **fields) -> dict:
    form = {"full_name": user.full_name, "language": user.language, "is_active": "on"}
    if user.role:
        form["role"] = user.role
    return {**form, **fields}


def _entry(*, actor, subject=None, action=AuditAction.BOOKING_CANCELLED, **fields) -> AuditEntry:
    booking = BookingFactory(user=subject) if subject else BookingFactory()
    return record_staff_change(
        actor=actor,
        organization=actor.organization,
        action=action,
        obj=booking,
        description=fields.pop("description", "A.01 · Ground floor · Amsterdam HQ"),
        subject=subject,
        **fields,
    )


# Writing


def test_a_role_change_is_logged_with_before_and_after(organization_admin, employee):
    set_role(membership=employee.membership, role=Role.FACILITY_MANAGER, actor=organization_admin)

    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.ROLE_CHANGED
    assert (entry.actor, entry.actor_role) == (organization_admin, "organization_admin")
    assert entry.subject == employee
    assert entry.changes == {"role": ["employee", "facility_manager"]}


def test_a_refused_role_change_is_not_logged(facility_manager, employee):
    with pytest.raises(Exception, match="can't give"):
        set_role(
            membership=employee.membership, role=Role.ORGANIZATION_ADMIN, actor=facility_manager
        )

    assert not AuditEntry.objects.exists()


def test_a_role_change_in_admin_is_logged(client, organization_admin, employee):
    client.force_login(organization_admin)

    client.post(_change_url(employee), _user_form(employee, role=Role.FACILITY_MANAGER))

    assert AuditEntry.objects.get().action == AuditAction.ROLE_CHANGED


def test_deactivating_an_account_in_admin_logs_the_field_not_its_value(
    client, facility_manager, employee
):
    client.force_login(facility_manager)
    form = _user_form(employee, full_name="Erin New")
    del form["is_active"]

    client.post(_change_url(employee), form)

    employee.refresh_from_db()
    assert not employee.is_active
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.ACCOUNT_CHANGED
    assert entry.subject == employee
    assert sorted(entry.changes["fields"]) == ["full_name", "is_active"]
    assert "Erin New" not in str(entry.changes) + entry.description


def test_saving_an_account_unchanged_logs_nothing(client, facility_manager, employee):
    client.force_login(facility_manager)

    client.post(_change_url(employee), _user_form(employee))

    assert not AuditEntry.objects.exists()


def test_editing_my_own_account_is_not_logged(client, facility_manager):
    client.force_login(facility_manager)

    client.post(_change_url(facility_manager), {"full_name": "Fiona F", "language": "nl"})

    assert User.objects.get(pk=facility_manager.pk).full_name == "Fiona F"
    assert not AuditEntry.objects.exists()


def test_the_strict_preset_is_logged(organization, organization_admin):
    apply_strict_preset(organization=organization, actor=organization_admin)

    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.STRICT_PRESET_APPLIED
    assert entry.object_id == organization.pk
    assert entry.subject is None
    assert entry.changes["strict_mode"] == [False, True]


def test_the_strict_preset_admin_action_is_logged(client, organization, organization_admin):
    client.force_login(organization_admin)

    client.post(
        reverse("admin:profiles_organization_changelist"),
        {"action": "apply_strict_preset_action", "_selected_action": [organization.pk]},
    )

    assert AuditEntry.objects.get().action == AuditAction.STRICT_PRESET_APPLIED


# Reading in admin


def test_an_organisation_admin_reads_the_organisations_log(
    client, organization_admin, facility_manager, employee
):
    _entry(actor=facility_manager, subject=employee, reason="Desk broken")
    client.force_login(organization_admin)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Desk broken" in html
    assert "Fiona" in html


def test_another_organisations_entries_are_invisible(client, organization_admin, stranger):
    foreign = _entry(actor=stranger, description="G.01 · Globex Tower", reason="Globex reason")
    client.force_login(organization_admin)

    response = client.get(CHANGELIST)

    assert "Globex reason" not in response.content.decode()
    detail = reverse("admin:profiles_auditentry_change", args=[foreign.pk])
    assert client.get(detail).status_code in (302, 404)
    assert not AuditEntry.objects.for_organization(organization_admin.organization).exists()


def test_another_organisations_entry_is_not_in_the_csv(client, organization_admin, stranger):
    _entry(actor=stranger, reason="Globex reason")
    client.force_login(organization_admin)

    response = client.get(CSV_URL)

    assert "Globex reason" not in response.content.decode()


def test_a_facility_manager_cannot_read_the_log(client, facility_manager):
    _entry(actor=facility_manager, reason="mine")
    client.force_login(facility_manager)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(CSV_URL).status_code == 403


def test_the_log_is_read_only(client, organization_admin, facility_manager):
    entry = _entry(actor=facility_manager)
    client.force_login(organization_admin)

    detail = reverse("admin:profiles_auditentry_change", args=[entry.pk])
    response = client.post(detail, {"reason": "rewritten"})
    assert client.get(reverse("admin:profiles_auditentry_add")).status_code == 403
    assert (
        client.post(reverse("admin:profiles_auditentry_delete", args=[entry.pk])).status_code == 403
    )

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""
    assert AuditEntry.objects.count() == 1


def test_the_log_filters_by_action_and_actor(
    client, organization, organization_admin, facility_manager, employee
):
    second_manager = UserFactory(organization=organization, role=Role.FACILITY_MANAGER)
    _entry(actor=facility_manager, reason="by fiona")
    _entry(actor=second_manager, reason="by the other")
    _entry(actor=facility_manager, action=AuditAction.RESOURCE_DEACTIVATED, reason="deactivated")
    client.force_login(organization_admin)

    by_action = client.get(CHANGELIST, {"action__exact": AuditAction.RESOURCE_DEACTIVATED})
    by_actor = client.get(CHANGELIST, {"actor__id__exact": second_manager.pk})

    assert [e.reason for e in by_action.context["cl"].result_list] == ["deactivated"]
    assert [e.reason for e in by_actor.context["cl"].result_list] == ["by the other"]


def test_the_log_filters_by_date(client, organization_admin, facility_manager):
    old = _entry(actor=facility_manager, reason="old")
    AuditEntry.objects.filter(pk=old.pk).update(created_at=datetime(2025, 1, 15, 9, tzinfo=UTC))
    _entry(actor=facility_manager, reason="new")
    client.force_login(organization_admin)

    response = client.get(CHANGELIST, {"created_at__year": 2025, "created_at__month": 1})

    assert [e.reason for e in response.context["cl"].result_list] == ["old"]


def test_the_csv_holds_the_filtered_entries_with_utc_times(
    client, organization_admin, facility_manager, employee
):
    entry = _entry(
        actor=facility_manager, subject=employee, reason="Broken", time_zone="Europe/Amsterdam"
    )
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=datetime(2025, 3, 27, 8, tzinfo=UTC))
    _entry(actor=facility_manager, action=AuditAction.RESOURCE_ACTIVATED)
    client.force_login(organization_admin)

    response = client.get(CSV_URL, {"action__exact": AuditAction.BOOKING_CANCELLED})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["created_at_utc"] == "2025-03-27T08:00:00+00:00"
    assert row["created_at_local"] == "2025-03-27T09:00:00+01:00"
    assert row["staff_member"] == facility_manager.email
    assert row["staff_role"] == "facility_manager"
    assert row["action"] == "booking_cancelled"
    assert row["person_affected"] == employee.email
    assert row["reason"] == "Broken"


def test_the_csv_defuses_spreadsheet_formulas(client, organization_admin, facility_manager):
    _entry(actor=facility_manager, reason='=HYPERLINK("http://evil.example")')
    client.force_login(organization_admin)

    [row] = list(csv.DictReader(io.StringIO(client.get(CSV_URL).content.decode())))

    assert row["reason"].startswith("'=")


def test_in_strict_mode_the_log_shows_no_person_affected(
    client, organization, organization_admin, facility_manager, employee
):
    organization.strict_mode = True
    organization.save(update_fields=["strict_mode"])
    _entry(actor=facility_manager, subject=employee, reason="Broken")
    client.force_login(organization_admin)

    page = client.get(CHANGELIST).content.decode()
    rows = list(csv.DictReader(io.StringIO(client.get(CSV_URL).content.decode())))

    assert "Erin" not in page
    assert "person_affected" not in rows[0]
    assert employee.email not in str(rows)


@pytest.mark.parametrize(
    "lookup", ["subject", "subject__id__exact", "subject__email", "subject_id", "subject_id__in"]
)
def test_in_strict_mode_the_log_cannot_be_narrowed_to_a_person(
    client, organization, organization_admin, facility_manager, employee, lookup
):
    organization.strict_mode = True
    organization.save(update_fields=["strict_mode"])
    _entry(actor=facility_manager, subject=employee, reason="Broken")
    client.force_login(organization_admin)
    value = employee.email if lookup.endswith("email") else employee.pk

    assert client.get(CHANGELIST, {lookup: value}).status_code == 400
    assert client.get(CSV_URL, {lookup: value}).status_code == 400


def test_an_erased_staff_member_reads_as_a_former_staff_member(
    client, organization_admin, facility_manager
):
    entry = _entry(actor=facility_manager, reason="Broken")
    AuditEntry.objects.filter(pk=entry.pk).update(actor=None)
    client.force_login(organization_admin)

    response = client.get(CHANGELIST)

    assert "a former staff member" in response.content.decode()


def test_in_strict_mode_the_log_still_filters_by_staff_member(
    client, organization, organization_admin, facility_manager, employee
):
    organization.strict_mode = True
    organization.save(update_fields=["strict_mode"])
    _entry(actor=facility_manager, subject=employee, reason="Broken")
    client.force_login(organization_admin)

    response = client.get(CHANGELIST, {"actor__id__exact": facility_manager.pk})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def _organisation_page(client, organization):
    url = reverse("admin:profiles_organization_change", args=[organization.pk])
    return url, client.get(url)


def test_changing_a_privacy_setting_in_admin_is_logged_with_before_and_after(
    client, organization, organization_admin
):
    organization.strict_mode = True
    organization.save(update_fields=["strict_mode"])
    client.force_login(organization_admin)
    url, page = _organisation_page(client, organization)
    data = unchanged_post_data(page)
    del data["strict_mode"]

    assert client.post(url, data).status_code == 302

    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.ORGANIZATION_SETTINGS_CHANGED
    assert entry.actor == organization_admin
    assert entry.changes == {"strict_mode": [True, False]}


def test_saving_the_organisation_unchanged_logs_nothing(client, organization, organization_admin):
    client.force_login(organization_admin)
    url, page = _organisation_page(client, organization)

    assert client.post(url, unchanged_post_data(page)).status_code == 302

    assert not AuditEntry.objects.exists()


def test_downloading_the_log_narrowed_to_a_person_is_logged_for_that_person(
    client, organization_admin, facility_manager, employee
):
    _entry(actor=facility_manager, subject=employee, reason="Broken")
    client.force_login(organization_admin)

    client.get(CSV_URL, {"subject__id__exact": employee.pk})

    [access] = StaffAccess.objects.filter(person=employee)
    assert (access.staff, access.record) == (organization_admin, "audit-log-list")


def test_downloading_the_whole_log_is_not_logged_per_person(
    client, organization_admin, facility_manager, employee
):
    _entry(actor=facility_manager, subject=employee, reason="Broken")
    client.force_login(organization_admin)

    client.get(CSV_URL)

    assert not StaffAccess.objects.exists()


def test_the_log_shows_times_in_the_buildings_zone_and_names_the_zone(
    client, organization_admin, facility_manager, employee
):
    # The admin's own times are UTC: a bare "9 a.m." would be read as the building's.
    entry = _entry(actor=facility_manager, subject=employee, time_zone="Europe/Amsterdam")
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=datetime(2025, 3, 27, 8, tzinfo=UTC))
    _entry(actor=facility_manager, action=AuditAction.RESOURCE_ACTIVATED, time_zone="")
    client.force_login(organization_admin)

    html = client.get(CHANGELIST).content.decode()

    assert "9 a.m. CET" in html
    assert "UTC</a>" in html


def test_the_staff_filter_names_erased_staff_in_words(client, organization_admin, facility_manager):
    _entry(actor=facility_manager)
    client.force_login(organization_admin)

    html = client.get(CHANGELIST).content.decode()

    assert "a former staff member" in html
