"""A beacon's identity is unique within its organisation, and only there."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import CheckIn
from locations.models import Beacon
from profiles.services import create_api_token
from tests.factories import BookingFactory

pytestmark = pytest.mark.django_db

# Beacons ship with their maker's default UUID: two customers may well own the same identity.
FACTORY_UUID = uuid.UUID("f7826da6-4fa2-4e98-8024-bc5b71e0893e")


def beacon_on(resource, *, major=1, minor=14) -> Beacon:
    return Beacon(
        organization=resource.organization,
        resource=resource,
        uuid=FACTORY_UUID,
        major=major,
        minor=minor,
    )


def add_in_admin(client, resource, *, major=1, minor=14):
    return client.post(
        reverse("admin:locations_beacon_add"),
        {"resource": resource.pk, "uuid": str(FACTORY_UUID), "major": major, "minor": minor},
    )


def test_two_organisations_may_own_beacons_with_the_same_identity(desk, foreign_desk):
    ours, theirs = beacon_on(desk), beacon_on(foreign_desk)
    for beacon in (theirs, ours):
        beacon.full_clean()
        beacon.save()

    assert Beacon.objects.count() == 2


def test_adding_a_beacon_another_organisation_owns_is_not_refused(
    client, facility_manager, desk, foreign_desk
):
    beacon_on(foreign_desk).save()
    client.force_login(facility_manager)

    response = add_in_admin(client, desk)

    assert response.status_code == 302
    assert Beacon.objects.for_organization(desk.organization).count() == 1


def test_the_same_beacon_twice_in_one_organisation_is_a_clear_form_error(
    client, facility_manager, desk, other_desk
):
    beacon_on(desk).save()
    client.force_login(facility_manager)

    response = add_in_admin(client, other_desk)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == ["Your organisation already has a beacon with this UUID, major and minor."]
    assert Beacon.objects.count() == 1


def test_the_api_checks_in_at_the_own_organisations_beacon_of_a_shared_identity(
    client, employee, desk, foreign_desk
):
    beacon_on(foreign_desk).save()
    beacon_on(desk).save()
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    booking = BookingFactory(
        user=employee, resource=desk, start=start, end=start + timedelta(hours=8)
    )
    _token, key = create_api_token(user=employee, name="Phone")

    response = client.post(
        "/api/v1/check-ins/beacon",
        {"uuid": str(FACTORY_UUID), "major": 1, "minor": 14},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 201
    assert CheckIn.objects.get().booking == booking


def test_another_organisations_beacon_is_unknown_to_the_api(client, employee, foreign_desk):
    beacon_on(foreign_desk).save()
    _token, key = create_api_token(user=employee, name="Phone")

    response = client.post(
        "/api/v1/check-ins/beacon",
        {"uuid": str(FACTORY_UUID), "major": 1, "minor": 14},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert response.status_code == 404
