"""Strict mode: no admin page narrows presence (bookings, check-ins, favourites) to a person.

The walk covers every registered admin and every lookup path, forward and reverse, that joins
presence to a person; a new admin or a new relation to a person is covered without a change
here.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.options import ModelAdmin
from django.test import RequestFactory
from django.urls import reverse

from profiles.admin_scoping import (
    PRESENCE_MODELS,
    PRESENCE_PERSON_FIELDS,
    _column_paths,
    presence_person_field,
    ties_presence_to_person,
)
from profiles.models import Organization, User
from tests.factories import BookingFactory, CheckInFactory

pytestmark = pytest.mark.django_db

# Relations followed from each admin's model; three reach user__bookings__resource and
# booking__resource__bookings__user, which covers every person path of today's models.
DEPTH = 3
# Each person path is tried the ways a query string can spell it.
SUFFIXES = ("", "__id__exact", "__exact", "__in", "__isnull", "__email", "__full_name")


def _person_paths(model, depth=DEPTH, prefix="", passed=()):
    """Yield every lookup path from `model` that joins presence to a person."""
    for field in model._meta.get_fields():
        if not field.is_relation or field.related_model is None:
            continue
        path = f"{prefix}{field.name}"
        models_on_path = (*passed, field.model, field.related_model)
        reaches_person = any(issubclass(m, User) for m in models_on_path)
        reaches_presence = any(m._meta.label_lower in PRESENCE_MODELS for m in models_on_path) or (
            presence_person_field(field) in PRESENCE_PERSON_FIELDS
        )
        if reaches_person and reaches_presence:
            yield path
            if field.concrete and not field.many_to_many:
                yield f"{prefix}{field.attname}"
        elif depth > 1:
            yield from _person_paths(field.related_model, depth - 1, f"{path}__", models_on_path)


def _lookups():
    for model, model_admin in admin.site._registry.items():
        for path in sorted(set(_person_paths(model))):
            for suffix in SUFFIXES:
                yield model, model_admin, f"{path}{suffix}"


def _value(lookup: str, person: User) -> str:
    return "True" if lookup.endswith("__isnull") else str(person.pk)


def _set_strict(organization: Organization, strict: bool) -> None:
    Organization.objects.filter(pk=organization.pk).update(strict_mode=strict)


def _request(user: User):
    # Fresh from the database, so the organisation's strict_mode is the one just set.
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=user.pk)
    request.organization = request.user.organization
    return request


@pytest.fixture
def carls_booking(desk, colleague):
    booking = BookingFactory(resource=desk, user=colleague)
    CheckInFactory(booking=booking)
    return booking


def test_the_walk_finds_the_person_lookups_we_know_of():
    # Guards the enumeration itself: if it found nothing, the tests below would pass.
    found = {(model._meta.label_lower, lookup) for model, _, lookup in _lookups()}

    assert {
        ("bookings.booking", "user"),
        ("bookings.booking", "user_id"),
        ("bookings.booking", "user__id__exact"),
        ("bookings.booking", "booked_by"),
        ("bookings.booking", "user__email"),
        ("bookings.booking", "resource__bookings__user"),
        ("bookings.checkin", "user"),
        ("bookings.checkin", "booking__user"),
        ("profiles.user", "bookings"),
        ("profiles.user", "check_ins__id__exact"),
        ("profiles.membership", "user__bookings"),
        ("locations.resource", "bookings__user"),
        ("profiles.auditentry", "subject"),
        ("profiles.auditentry", "subject_id"),
        ("profiles.user", "audit_entries_about"),
    } <= found
    assert ("profiles.auditentry", "actor") not in found


def test_strict_mode_refuses_every_lookup_that_ties_presence_to_a_person(
    client, organization, organization_admin, colleague, carls_booking
):
    _set_strict(organization, True)
    client.force_login(organization_admin)
    request = _request(organization_admin)
    not_refused = []
    refused_on_viewable_pages = 0

    for model, model_admin, lookup in _lookups():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url, {lookup: _value(lookup, colleague)})
        # A page the organisation admin may not open at all answers 403 before any filter.
        expected = 400 if model_admin.has_view_or_change_permission(request) else 403
        if response.status_code != expected:
            not_refused.append((url, lookup, response.status_code))
        elif expected == 400:
            refused_on_viewable_pages += 1

    assert not not_refused, not_refused
    assert refused_on_viewable_pages > 50


def test_strict_mode_refuses_bookings_of_one_person_to_a_facility_manager(
    client, organization, facility_manager, colleague, carls_booking
):
    _set_strict(organization, True)
    client.force_login(facility_manager)

    bookings = client.get(
        reverse("admin:bookings_booking_changelist"), {"user__id__exact": colleague.pk}
    )
    check_ins = client.get(reverse("admin:bookings_checkin_changelist"), {"user": colleague.pk})

    assert bookings.status_code == 400
    assert check_ins.status_code == 400


def test_strict_mode_refuses_finding_the_person_behind_a_booking(
    client, organization, facility_manager, carls_booking
):
    _set_strict(organization, True)
    client.force_login(facility_manager)

    response = client.get(reverse("admin:profiles_user_changelist"), {"bookings": carls_booking.pk})

    assert response.status_code == 400


def test_without_strict_mode_a_facility_manager_filters_bookings_by_person(
    client, facility_manager, colleague, employee, other_desk, carls_booking
):
    BookingFactory(resource=other_desk, user=employee)
    client.force_login(facility_manager)

    response = client.get(
        reverse("admin:bookings_booking_changelist"), {"user__id__exact": colleague.pk}
    )

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [carls_booking]


def test_without_strict_mode_lookups_are_allowed_as_django_allows_them(organization_admin):
    request = _request(organization_admin)
    differ = []

    for model, model_admin, lookup in _lookups():
        value = _value(lookup, organization_admin)
        ours = model_admin.lookup_allowed(lookup, value, request)
        djangos = ModelAdmin.lookup_allowed(model_admin, lookup, value, request)
        if ours != djangos:
            differ.append((model._meta.label_lower, lookup))

    assert not differ, differ


def test_strict_mode_leaves_person_columns_filters_search_and_ordering_out_of_every_admin(
    organization, organization_admin
):
    _set_strict(organization, True)
    request = _request(organization_admin)
    left_in = []

    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            # Only a platform superuser opens it; strict mode doesn't bind the platform.
            continue
        paths = [
            *model_admin.get_search_fields(request),
            *(entry for entry in model_admin.get_ordering(request) if isinstance(entry, str)),
            *(
                entry if isinstance(entry, str) else entry[0]
                for entry in model_admin.get_list_filter(request)
                if isinstance(entry, str | tuple)
            ),
            *(
                path
                for column in model_admin.get_list_display(request)
                for path in _column_paths(model_admin, column)
            ),
        ]
        left_in += [(model, path) for path in paths if ties_presence_to_person(model, path)]

    assert not left_in, left_in


def test_strict_mode_search_for_a_name_does_not_narrow_check_ins(
    client, organization, facility_manager, carls_booking, other_desk, employee
):
    CheckInFactory(booking=BookingFactory(resource=other_desk, user=employee))
    _set_strict(organization, True)
    client.force_login(facility_manager)

    response = client.get(reverse("admin:bookings_checkin_changelist"), {"q": "Carl"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_strict_mode_sorting_by_any_column_never_sorts_by_person(
    client, organization, facility_manager, carls_booking
):
    _set_strict(organization, True)
    client.force_login(facility_manager)
    booking_admin = admin.site._registry[type(carls_booking)]

    for index in range(len(booking_admin.list_display) + 1):
        response = client.get(reverse("admin:bookings_booking_changelist"), {"o": str(index)})
        order_by = response.context["cl"].queryset.query.order_by

        assert response.status_code == 200
        assert not [
            entry
            for entry in order_by
            if isinstance(entry, str) and ties_presence_to_person(type(carls_booking), entry)
        ]
