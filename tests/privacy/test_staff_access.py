"""Staff opening one person's record leaves a trace the person can see, and nothing more."""

import pytest
from django.urls import reverse

from privacy import receivers
from privacy.models import StaffAccess
from tests.factories import BookingFactory, CheckInFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _log_connected():
    # privacy's AppConfig.ready() connects it; connecting twice is a no-op (dispatch_uid).
    receivers.connect()


def test_facility_manager_opening_a_person_is_logged_for_that_person(
    client, facility_manager, employee
):
    client.force_login(facility_manager)

    response = client.get(reverse("admin:profiles_user_change", args=[employee.pk]))

    assert response.status_code == 200
    [access] = StaffAccess.objects.filter(person=employee)
    assert access.staff == facility_manager
    assert access.staff_role == "facility_manager"
    assert access.record == "account"


def test_the_log_holds_who_when_and_what_kind_but_no_copy_of_the_data(
    client, facility_manager, employee
):
    client.force_login(facility_manager)

    client.get(reverse("admin:profiles_user_change", args=[employee.pk]))

    fields = {field.attname for field in StaffAccess._meta.concrete_fields}
    assert fields == {"id", "person_id", "staff_id", "staff_role", "record", "accessed_at"}
    row = StaffAccess.objects.values().get()
    assert not any(employee.email in str(value) or "Erin" in str(value) for value in row.values())


def test_the_changelist_of_names_is_not_logged_per_person(client, facility_manager, employee):
    client.force_login(facility_manager)

    response = client.get(reverse("admin:profiles_user_changelist"))

    assert response.status_code == 200
    assert not StaffAccess.objects.exists()


def test_a_superusers_opening_is_logged_too(client, superuser, employee):
    client.force_login(superuser)

    client.get(reverse("admin:profiles_profile_change", args=[employee.profile.pk]))

    [access] = StaffAccess.objects.filter(person=employee)
    assert (access.staff, access.staff_role, access.record) == (superuser, "superuser", "profile")


def test_opening_a_booking_is_logged_for_its_booker(client, facility_manager, employee, desk):
    booking = BookingFactory(resource=desk, user=employee)
    client.force_login(facility_manager)

    client.get(reverse("admin:bookings_booking_change", args=[booking.pk]))

    assert StaffAccess.objects.get(person=employee).record == "booking"


def test_opening_a_check_in_is_logged_for_its_person(client, facility_manager, employee, desk):
    check_in = CheckInFactory(booking=BookingFactory(resource=desk, user=employee))
    client.force_login(facility_manager)

    client.get(reverse("admin:bookings_checkin_change", args=[check_in.pk]))

    assert StaffAccess.objects.get(person=employee).record == "check-in"


def test_opening_a_persons_history_is_logged(client, facility_manager, employee):
    client.force_login(facility_manager)

    client.get(reverse("admin:profiles_user_history", args=[employee.pk]))

    assert StaffAccess.objects.get(person=employee).record == "account"


def test_another_organisations_person_is_not_found_and_not_logged(
    client, facility_manager, stranger
):
    client.force_login(facility_manager)

    client.get(reverse("admin:profiles_user_change", args=[stranger.pk]))

    assert not StaffAccess.objects.exists()


def test_a_refused_page_is_not_logged(client, facility_manager, employee):
    # People are removed through erasure: the admin delete page answers 403 and shows nothing.
    client.force_login(facility_manager)

    response = client.get(reverse("admin:profiles_user_delete", args=[employee.pk]))

    assert response.status_code == 403
    assert not StaffAccess.objects.exists()


def test_opening_your_own_account_is_not_staff_looking_at_you(client, facility_manager):
    client.force_login(facility_manager)

    client.get(reverse("admin:profiles_user_change", args=[facility_manager.pk]))

    assert not StaffAccess.objects.exists()


# List pages: recorded for each person shown when narrowed to people by a search or a filter.


def test_searching_check_ins_for_a_name_is_logged_for_each_person_shown(
    client, facility_manager, employee, colleague, desk, other_desk
):
    CheckInFactory(booking=BookingFactory(resource=desk, user=employee))
    CheckInFactory(booking=BookingFactory(resource=other_desk, user=colleague))
    client.force_login(facility_manager)

    response = client.get(reverse("admin:bookings_checkin_changelist"), {"q": "Erin"})

    assert response.status_code == 200
    [access] = StaffAccess.objects.all()
    assert (access.person, access.staff, access.record) == (
        employee,
        facility_manager,
        "check-in-list",
    )


def test_filtering_bookings_by_person_is_logged_once_for_that_person(
    client, facility_manager, employee, desk
):
    first = BookingFactory(resource=desk, user=employee)
    BookingFactory(resource=desk, user=employee, start=first.end)
    client.force_login(facility_manager)

    client.get(reverse("admin:bookings_booking_changelist"), {"user__id__exact": employee.pk})

    [access] = StaffAccess.objects.all()
    assert (access.person, access.record) == (employee, "booking-list")


def test_searching_people_is_logged_for_each_person_shown(
    client, facility_manager, employee, colleague
):
    client.force_login(facility_manager)

    client.get(reverse("admin:profiles_user_changelist"), {"q": "acme.example"})

    logged = set(StaffAccess.objects.values_list("person__email", "record"))
    # Everyone the search found but the staff member themselves.
    assert logged == {(employee.email, "account-list"), (colleague.email, "account-list")}


def test_a_plain_booking_list_is_not_logged_per_person(client, facility_manager, employee, desk):
    BookingFactory(resource=desk, user=employee)
    client.force_login(facility_manager)

    response = client.get(reverse("admin:bookings_booking_changelist"))

    assert response.status_code == 200
    assert not StaffAccess.objects.exists()


def test_a_list_filtered_by_status_or_building_is_not_logged(
    client, facility_manager, employee, desk
):
    BookingFactory(resource=desk, user=employee)
    client.force_login(facility_manager)

    client.get(
        reverse("admin:bookings_booking_changelist"),
        {
            "status__exact": "confirmed",
            "resource__floor__building__id__exact": desk.floor.building_id,
        },
    )
    client.get(reverse("admin:profiles_user_changelist"), {"membership__role__exact": "employee"})

    assert not StaffAccess.objects.exists()


def test_a_search_in_strict_mode_shows_nobody_and_is_not_logged(
    client, organization, facility_manager, employee, desk
):
    BookingFactory(resource=desk, user=employee)
    organization.strict_mode = True
    organization.save(update_fields=["strict_mode"])
    client.force_login(facility_manager)

    response = client.get(reverse("admin:bookings_booking_changelist"), {"q": desk.code})

    assert response.context["cl"].result_count == 1
    assert not StaffAccess.objects.exists()


def test_finding_yourself_in_a_list_is_not_staff_looking_at_you(client, facility_manager):
    client.force_login(facility_manager)

    client.get(reverse("admin:profiles_user_changelist"), {"q": "fiona"})

    assert not StaffAccess.objects.exists()


def test_every_kind_of_record_admin_logs_has_a_name_in_words():
    from django.contrib import admin

    from privacy.models import STAFF_ACCESS_RECORDS

    kinds = {
        getattr(model_admin, "person_record", "") for model_admin in admin.site._registry.values()
    } - {""}

    assert kinds
    for kind in kinds:
        assert kind in STAFF_ACCESS_RECORDS
        assert f"{kind}-list" in STAFF_ACCESS_RECORDS
