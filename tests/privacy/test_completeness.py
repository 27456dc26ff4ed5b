"""Every model that points to a person is covered by export and by erasure, field by field."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.utils import timezone

from bookings.models import CalendarFeed, FavoriteResource
from privacy.erasure import ERASERS
from privacy.models import DataExport, StaffAccess
from profiles.audit import record_staff_change
from profiles.models import AuditAction
from profiles.services import create_api_token
from tests.factories import BookingFactory, CheckInFactory
from tests.sessions import log_in

# Rows that hold a person without a foreign key: the admin log names them in object_id, and
# a server-side session holds their id in its encoded data.
WITHOUT_FOREIGN_KEY = {"admin.logentry", "sessions.session"}


def _models_that_point_to_a_person() -> set[str]:
    user_model = get_user_model()
    labels = {user_model._meta.label_lower}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is user_model:
                labels.add(model._meta.label_lower)
    return labels | WITHOUT_FOREIGN_KEY


def test_every_model_that_points_to_a_person_is_erased():
    missing = _models_that_point_to_a_person() - set(ERASERS)
    assert not missing, f"not covered by erasure: {sorted(missing)}"


def test_every_model_that_points_to_a_person_is_exported():
    from privacy.export import EXPORTERS

    missing = _models_that_point_to_a_person() - set(EXPORTERS)
    assert not missing, f"not covered by export: {sorted(missing)}"


def test_the_list_sees_the_models_we_know_of():
    # Guards the enumeration itself: if it found nothing, the tests above would pass.
    assert {
        "bookings.booking",
        "bookings.checkin",
        "profiles.profile",
        "admin.logentry",
        "account.emailaddress",
    } <= _models_that_point_to_a_person()


# Field by field: every concrete field of the person's rows is in data.json, or on
# privacy.export.NOT_EXPORTED with the reason it is left out.


def _fields(model) -> list[str]:
    return [f.name for f in (*model._meta.concrete_fields, *model._meta.local_many_to_many)]


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(_keys(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(item) for item in value))
    return set()


@pytest.fixture
def erin_everywhere(client, employee, colleague, facility_manager, desk, other_desk):
    """Erin with a row in every model that points to a person."""
    # Through the form, so the session is in her list; before her second factor exists.
    log_in(employee, browser=client)
    booking = BookingFactory(
        resource=desk, user=employee, booked_by=colleague, reminder_sent_at=timezone.now()
    )
    CheckInFactory(booking=booking)
    BookingFactory(resource=other_desk, user=colleague, booked_by=employee)
    FavoriteResource.objects.create(organization=desk.organization, user=employee, resource=desk)
    CalendarFeed.objects.create(user=employee)
    create_api_token(user=employee, name="Phone")
    DataExport.objects.create(user=employee)
    StaffAccess.objects.create(
        person=employee, staff=facility_manager, staff_role="facility_manager", record="booking"
    )
    StaffAccess.objects.create(
        person=colleague, staff=employee, staff_role="employee", record="account"
    )
    SocialAccount.objects.create(user=employee, provider="openid_connect", uid="erin-1")
    Authenticator.objects.create(user=employee, type=Authenticator.Type.TOTP, data={"x": 1})
    LogEntry.objects.log_actions(
        user_id=employee.pk, queryset=[colleague], action_flag=CHANGE, single_object=True
    )
    record_staff_change(
        actor=facility_manager,
        organization=employee.organization,
        action=AuditAction.BOOKING_CANCELLED,
        obj=booking,
        description="A.01",
        subject=employee,
        reason="Broken chair",
    )
    record_staff_change(
        actor=employee,
        organization=employee.organization,
        action=AuditAction.ACCOUNT_CHANGED,
        obj=colleague,
        description="Carl",
        subject=colleague,
    )
    return employee


def test_every_field_of_the_persons_rows_is_exported_or_left_out_on_purpose(erin_everywhere):
    from privacy.export import EXPORTED_AS, NOT_EXPORTED, export_data

    data = export_data(erin_everywhere)
    missing = []
    for label in sorted(_models_that_point_to_a_person()):
        keys = _keys(data[label])
        for name in _fields(apps.get_model(label)):
            if name in NOT_EXPORTED.get(label, {}):
                continue
            if EXPORTED_AS.get(label, {}).get(name, name) not in keys:
                missing.append(f"{label}.{name}")

    assert not missing, f"neither exported nor left out on purpose: {missing}"


def test_the_lists_of_left_out_and_renamed_fields_name_real_fields(db):
    from privacy.export import EXPORTED_AS, NOT_EXPORTED

    stale = [
        f"{label}.{name}"
        for listing in (NOT_EXPORTED, EXPORTED_AS)
        for label, fields in listing.items()
        for name in fields
        if name not in _fields(apps.get_model(label))
    ]

    assert not stale
