from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialApp
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from bookings.models import Booking, BookingStatus, CalendarFeed, FavoriteResource
from bookings.services import create_booking
from privacy.erasure import erase_person
from privacy.models import AggregationWatermark, StaffAccess, UsageStatistic
from privacy.statistics import aggregate_day
from profiles.models import ApiToken, User
from tests.factories import TEST_PASSWORD, BookingFactory, CheckInFactory, UserFactory

NOW = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
PAST = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
TOMORROW = datetime(2025, 3, 13, 8, 0, tzinfo=UTC)


def _references(user_pk: int) -> list[str]:
    """Return every row left anywhere that points to the person."""
    found = []
    user_model = get_user_model()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            points_to_person = (
                field.concrete and field.is_relation and field.related_model is user_model
            )
            if (
                points_to_person
                and model._default_manager.filter(**{field.attname: user_pk}).exists()
            ):
                found.append(f"{model._meta.label}.{field.name}")
    if LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user_pk)
    ).exists():
        found.append("admin log entry about them")
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user_pk):
            found.append("session")
    if user_model.objects.filter(pk=user_pk).exists():
        found.append("user")
    return found


@pytest.fixture
def full_life(employee, colleague, facility_manager, desk, other_desk, client):
    """A person with a past, a future, a profile picture and traces everywhere."""
    used = BookingFactory(
        user=employee,
        resource=desk,
        start=PAST,
        end=PAST + timedelta(hours=4),
        status=BookingStatus.COMPLETED,
    )
    CheckInFactory(booking=used, checked_in_at=PAST, checked_out_at=PAST + timedelta(hours=3))
    BookingFactory(
        user=employee,
        resource=other_desk,
        start=PAST + timedelta(days=1),
        end=PAST + timedelta(days=1, hours=4),
        status=BookingStatus.RELEASED,
    )
    BookingFactory(user=employee, resource=desk, start=TOMORROW, end=TOMORROW + timedelta(hours=8))
    # A booking they made for a colleague stays the colleague's.
    BookingFactory(user=colleague, booked_by=employee, resource=other_desk, start=TOMORROW)
    profile = employee.profile
    profile.picture.save("me.jpg", ContentFile(b"jpeg"), save=True)
    ApiToken.objects.create(user=employee, name="phone", prefix="abc", key_hash="x" * 64)
    CalendarFeed.objects.create(user=employee)
    FavoriteResource.objects.create(organization=desk.organization, user=employee, resource=desk)
    StaffAccess.objects.create(
        person=employee, staff=facility_manager, staff_role="facility_manager", record="account"
    )
    StaffAccess.objects.create(
        person=colleague, staff=employee, staff_role="facility_manager", record="account"
    )
    LogEntry.objects.log_actions(
        user_id=facility_manager.pk, queryset=[employee], action_flag=CHANGE, single_object=True
    )
    LogEntry.objects.log_actions(
        user_id=employee.pk, queryset=[colleague], action_flag=CHANGE, single_object=True
    )
    client.force_login(employee)
    return profile.picture.name


def test_erasure_leaves_no_row_that_points_to_the_person(
    employee, full_life, django_capture_on_commit_callbacks
):
    pk = employee.pk
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(user=employee, now=NOW)

    assert _references(pk) == []
    assert not default_storage.exists(full_life)
    assert not EmailAddress.objects.filter(email=employee.email).exists()


def test_statistics_still_count_the_erased_persons_past(employee, full_life, desk, other_desk):
    summary = erase_person(user=employee, now=NOW)

    day = UsageStatistic.objects.get(resource_id=desk.pk, date=PAST.date(), hour__isnull=True)
    assert (day.bookings, day.check_ins, day.checked_in_minutes) == (1, 1, 180)
    released = UsageStatistic.objects.get(
        resource_id=other_desk.pk, date=PAST.date() + timedelta(days=1), hour__isnull=True
    )
    assert released.no_shows == 1
    assert summary.bookings_counted == 3
    assert summary.check_ins_counted == 1
    assert summary.future_bookings_cancelled == 1


def test_the_erased_persons_future_places_are_bookable(
    employee, colleague, full_life, organization, desk
):
    erase_person(user=employee, now=NOW)

    booking = create_booking(
        user=UserFactory(organization=organization),
        resource=desk,
        start=TOMORROW,
        end=TOMORROW + timedelta(hours=8),
        now=NOW,
    )
    assert booking.status == BookingStatus.CONFIRMED
    # The colleague's booking made by them is kept, no longer naming who made it.
    assert Booking.objects.filter(user=colleague, booked_by__isnull=True).count() == 1


def test_the_cancelled_future_booking_is_counted_once(employee, full_life, desk):
    erase_person(user=employee, now=NOW)
    # The nightly run of tomorrow no longer sees the deleted booking.
    aggregate_day(organization_id=desk.organization_id, day=TOMORROW.date())

    row = UsageStatistic.objects.get(resource_id=desk.pk, date=TOMORROW.date(), hour__isnull=True)
    assert (row.bookings, row.cancellations, row.booked_minutes) == (1, 1, 0)


def test_a_day_counted_before_is_not_counted_again(employee, colleague, desk):
    BookingFactory(user=employee, resource=desk, start=PAST, end=PAST + timedelta(hours=2))
    BookingFactory(
        user=colleague,
        resource=desk,
        start=PAST + timedelta(hours=3),
        end=PAST + timedelta(hours=4),
    )
    aggregate_day(organization_id=desk.organization_id, day=PAST.date())

    erase_person(user=employee, now=NOW)

    row = UsageStatistic.objects.get(resource_id=desk.pk, date=PAST.date(), hour__isnull=True)
    assert row.bookings == 2
    assert AggregationWatermark.objects.count() == 1


def test_an_erased_person_checked_in_now_is_checked_out_and_counted(employee, desk):
    booking = BookingFactory(
        user=employee,
        resource=desk,
        start=NOW - timedelta(hours=2),
        end=NOW + timedelta(hours=2),
        status=BookingStatus.CHECKED_IN,
    )
    CheckInFactory(booking=booking, checked_in_at=NOW - timedelta(hours=2))

    erase_person(user=employee, now=NOW)

    row = UsageStatistic.objects.get(resource_id=desk.pk, date=NOW.date(), hour__isnull=True)
    assert (row.bookings, row.check_ins, row.booked_minutes, row.checked_in_minutes) == (
        1,
        1,
        120,
        120,
    )
    assert not AggregationWatermark.objects.exists()


# The page


def _reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def test_the_page_says_what_is_kept(client, employee):
    client.force_login(employee)

    response = client.get(reverse("delete_account"))

    assert response.status_code == 200
    assert b"anonymous counts" in response.content


def test_deleting_asks_for_the_password_first(client, employee):
    client.force_login(employee)

    response = client.post(reverse("delete_account"), {"confirmation": employee.email})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=employee.pk).exists()


def test_deleting_needs_the_typed_confirmation(client, employee):
    client.force_login(employee)
    _reauthenticate(client)

    response = client.post(reverse("delete_account"), {"confirmation": "yes"})

    assert response.status_code == 400
    assert User.objects.filter(pk=employee.pk).exists()


def test_deleting_my_account_erases_me_and_logs_me_out(client, employee):
    pk = employee.pk
    client.force_login(employee)
    _reauthenticate(client)

    response = client.post(reverse("delete_account"), {"confirmation": employee.email.upper()})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_deleted")
    assert _references(pk) == []
    page = client.get(reverse("account_deleted"))
    assert page.status_code == 200
    assert b"anonymous counts" in page.content
    assert not page.wsgi_request.user.is_authenticated


def _without_password_but_company_sign_in(person) -> None:
    person.set_unusable_password()
    person.save(update_fields=["password"])
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="company",
        name="Company",
        client_id="officebooking",
        settings={"server_url": "https://login.acme.example"},
    )
    person.socialaccount_set.create(provider="company", uid="erin")


def test_a_person_without_a_password_confirms_with_a_code_by_e_mail(client, employee):
    _without_password_but_company_sign_in(employee)
    client.force_login(employee)

    response = client.post(reverse("delete_account"), {"confirmation": employee.email})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_request_reauthentication_code"))
    assert User.objects.filter(pk=employee.pk).exists()


# Admin


def test_a_facility_manager_cannot_delete_a_person_in_admin(client, facility_manager, employee):
    client.force_login(facility_manager)

    response = client.post(
        reverse("admin:profiles_user_delete", args=[employee.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert User.objects.filter(pk=employee.pk).exists()


def test_a_superuser_deleting_a_person_in_admin_erases_them(client, superuser, employee, desk):
    BookingFactory(user=employee, resource=desk, start=PAST, end=PAST + timedelta(hours=1))
    pk = employee.pk
    client.force_login(superuser)

    response = client.post(
        reverse("admin:profiles_user_delete", args=[employee.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert _references(pk) == []
    assert UsageStatistic.objects.filter(resource_id=desk.pk, hour__isnull=True).get().bookings == 1
