from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import CalendarFeed
from privacy.models import DataExport, StaffAccess
from profiles.models import Role
from profiles.services import create_api_token
from tests.factories import BookingFactory, CheckInFactory
from tests.sessions import log_in

pytestmark = pytest.mark.django_db

URL = "/privacy/my-data/"


@pytest.fixture
def erin(client, employee):
    client.force_login(employee)
    return client


def test_the_page_is_at_its_url():
    assert reverse("my_data") == URL


def test_the_page_needs_a_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_lists_account_profile_organisation_and_role(erin, employee):
    employee.profile.phone = "+31 6 1234 5678"
    employee.profile.save()

    html = erin.get(URL).content.decode()

    assert "erin@acme.example" in html
    assert "+31 6 1234 5678" in html
    assert "Acme" in html and "employee" in html


def test_the_page_lists_bookings_check_ins_feeds_and_tokens(erin, employee, desk):
    booking = BookingFactory(resource=desk, user=employee)
    CheckInFactory(booking=booking, shares_presence=True)
    CalendarFeed.objects.create(user=employee)
    create_api_token(user=employee, name="My phone")

    html = erin.get(URL).content.decode()

    assert "Desk A.01" in html
    assert "1 of 1" in html
    assert "in use" in html
    assert "My phone" in html


def test_the_page_shows_only_my_own_rows(erin, employee, colleague, desk):
    BookingFactory(resource=desk, user=colleague, note="Carl's secret meeting")
    create_api_token(user=colleague, name="Carl's phone")

    html = erin.get(URL).content.decode()

    assert "Carl's phone" not in html
    assert "You have 0 bookings." in html


def test_the_page_links_to_the_forms_that_change_the_data(erin):
    html = erin.get(URL).content.decode()

    for name in (
        "account_email",
        "account_change_password",
        "mfa_index",
        "usersessions_list",
        "profile_edit",
        "privacy_settings",
        "delete_account",
        "cookie_settings",
        "calendar_settings",
        "api_tokens",
        "my_bookings",
    ):
        assert f'href="{reverse(name)}"' in html


def _staff_access(person, staff, **kwargs):
    kwargs.setdefault("staff_role", Role.FACILITY_MANAGER)
    kwargs.setdefault("record", "booking")
    return StaffAccess.objects.create(person=person, staff=staff, **kwargs)


def test_staff_access_shows_who_their_role_what_and_when(erin, employee, facility_manager):
    _staff_access(employee, facility_manager, record="check-in-list")

    html = erin.get(URL).content.decode()

    assert "Who looked at my data" in html
    assert "Fiona" in html and "facility manager" in html
    assert "your check-ins, in a list or search" in html
    assert "check-in-list" not in html


def test_staff_access_by_an_erased_staff_member_shows_a_former_staff_member(erin, employee):
    _staff_access(employee, None)

    html = erin.get(URL).content.decode()

    assert "a former staff member" in html


def test_staff_access_kinds_are_translatable_labels():
    from django.utils.functional import Promise

    from privacy.models import STAFF_ACCESS_RECORDS

    kinds = {"account", "profile", "booking", "check-in"}
    assert kinds | {f"{kind}-list" for kind in kinds} <= set(STAFF_ACCESS_RECORDS)
    assert all(isinstance(label, Promise) for label in STAFF_ACCESS_RECORDS.values())


@pytest.mark.parametrize(
    ("home", "expected"),
    [("default building", "1:30 p.m."), ("first building", "7:30 a.m."), ("none", "12:30 p.m.")],
)
def test_staff_access_times_are_in_the_persons_building_time_zone(
    erin, organization, employee, facility_manager, home, expected
):
    from datetime import UTC, datetime

    from tests.factories import BuildingFactory

    if home != "none":
        BuildingFactory(organization=organization, name="New York", time_zone="America/New_York")
    if home == "default building":
        employee.profile.default_building = BuildingFactory(
            organization=organization, name="Amsterdam", time_zone="Europe/Amsterdam"
        )
        employee.profile.save(update_fields=["default_building"])
    _staff_access(employee, facility_manager, accessed_at=datetime(2026, 1, 15, 12, 30, tzinfo=UTC))

    html = erin.get(URL).content.decode()

    assert f"Jan. 15, 2026, {expected}" in html


def test_the_query_count_is_small_and_does_not_grow_with_the_data(erin, employee, desk):
    with CaptureQueriesContext(connection) as empty:
        erin.get(URL)
    first = BookingFactory(resource=desk, user=employee)
    for day in range(1, 6):
        booking = BookingFactory(
            resource=desk, user=employee, start=first.start + timedelta(days=day)
        )
        CheckInFactory(booking=booking, checked_out_at=booking.end)
        CalendarFeed.objects.create(user=employee, revoked_at=booking.end)
        create_api_token(user=employee, name="Phone")
    DataExport.objects.create(user=employee)

    with CaptureQueriesContext(connection) as full:
        response = erin.get(URL)

    assert response.status_code == 200
    # One query per kind of data the page lists (and the session and the user): it grows
    # with the kinds, never with the rows.
    assert len(full) == len(empty) <= 22


def test_the_export_format_page_documents_every_section(client, db):
    from privacy.export import EXPORTERS

    html = client.get(reverse("export_format")).content.decode()

    for label in EXPORTERS:
        assert f"<code>{label}</code>" in html


def test_my_bookings_are_listed_in_the_buildings_time_zone(client, employee, desk):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from tests.factories import BookingFactory

    day = timezone.localdate(timezone=desk.floor.building.tz) + timedelta(days=2)
    start = datetime.combine(day, time(9), tzinfo=desk.floor.building.tz)
    BookingFactory(resource=desk, user=employee, start=start, end=start + timedelta(hours=8))
    client.force_login(employee)
    html = client.get(reverse("my_data")).content.decode()
    assert "9 a.m." in html and "5 p.m." in html


def test_the_page_lists_my_sessions_and_links_to_where_i_end_them(client, employee):
    log_in(employee, browser=client, REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Phone browser")

    html = client.get(URL).content.decode()

    assert "Phone browser, 192.0.2.7" in html
    assert f'href="{reverse("usersessions_list")}"' in html
