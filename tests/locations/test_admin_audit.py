"""Resource admin actions go through services and leave an audit entry per resource."""

import pytest
from django.urls import reverse

from locations.models import Resource
from profiles.models import AuditAction, AuditEntry
from tests.admin_forms import unchanged_post_data
from tests.factories import BuildingFactory, FloorFactory, ResourceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:locations_resource_changelist")


@pytest.fixture
def fm_client(client, facility_manager):
    client.force_login(facility_manager)
    return client


def run_action(client, action, resources):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [r.pk for r in resources]}
    )


def test_making_resources_unbookable_logs_each_one(fm_client, facility_manager, desk, other_desk):
    run_action(fm_client, "make_inactive", [desk, other_desk])

    assert not Resource.objects.filter(is_active=True).exists()
    entries = AuditEntry.objects.order_by("object_id")
    assert [(e.object_id, e.action, e.actor) for e in entries] == [
        (desk.pk, AuditAction.RESOURCE_DEACTIVATED, facility_manager),
        (other_desk.pk, AuditAction.RESOURCE_DEACTIVATED, facility_manager),
    ]
    assert entries[0].description == "A.01 · Ground floor · Amsterdam HQ"
    assert entries[0].subject is None
    assert entries[0].organization == desk.organization


def test_making_resources_bookable_logs_only_those_that_changed(fm_client, desk, other_desk):
    Resource.objects.filter(pk=desk.pk).update(is_active=False)

    run_action(fm_client, "make_active", [desk, other_desk])

    [entry] = AuditEntry.objects.all()
    assert (entry.object_id, entry.action) == (desk.pk, AuditAction.RESOURCE_ACTIVATED)
    assert entry.changes == {"is_active": [False, True]}


def test_issuing_new_qr_codes_logs_each_resource(fm_client, desk, other_desk):
    old_tokens = {desk.checkin_token, other_desk.checkin_token}

    run_action(fm_client, "rotate_tokens", [desk, other_desk])

    assert not Resource.objects.filter(checkin_token__in=old_tokens).exists()
    entries = AuditEntry.objects.all()
    assert {e.object_id for e in entries} == {desk.pk, other_desk.pk}
    assert {e.action for e in entries} == {AuditAction.CHECKIN_TOKEN_ROTATED}
    # The token itself is a key: it never goes into the log.
    assert not any(token in str(e.changes) + e.description for e in entries for token in old_tokens)


def test_another_organisations_resources_are_neither_changed_nor_logged(fm_client, foreign_desk):
    run_action(fm_client, "make_inactive", [foreign_desk])

    foreign_desk.refresh_from_db()
    assert foreign_desk.is_active
    assert not AuditEntry.objects.exists()


def test_a_resource_of_a_second_building_logs_its_own_time_zone(fm_client, organization):
    building = BuildingFactory(organization=organization, time_zone="Europe/London")
    resource = ResourceFactory(floor=FloorFactory(building=building))

    run_action(fm_client, "make_inactive", [resource])

    assert AuditEntry.objects.get().time_zone == "Europe/London"


def test_unticking_active_on_the_change_form_is_logged(fm_client, facility_manager, desk):
    url = reverse("admin:locations_resource_change", args=[desk.pk])
    data = unchanged_post_data(fm_client.get(url))
    del data["is_active"]

    assert fm_client.post(url, data).status_code == 302

    desk.refresh_from_db()
    assert not desk.is_active
    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.actor) == (AuditAction.RESOURCE_DEACTIVATED, facility_manager)


def test_editing_a_resource_without_touching_active_logs_nothing(fm_client, desk):
    url = reverse("admin:locations_resource_change", args=[desk.pk])
    data = {**unchanged_post_data(fm_client.get(url)), "name": "Window desk"}

    assert fm_client.post(url, data).status_code == 302

    desk.refresh_from_db()
    assert desk.name == "Window desk"
    assert not AuditEntry.objects.exists()
