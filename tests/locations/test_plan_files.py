"""A floor's plan file lives exactly as long as the floor shows it."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from locations.models import Floor
from tests.factories import FloorFactory

pytestmark = pytest.mark.django_db


def png(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def floor_with_plan(building):
    floor = FloorFactory(building=building)
    floor.plan_image.save("plan.png", ContentFile(png()))
    return floor


@pytest.fixture
def fm_client(client, facility_manager):
    client.force_login(facility_manager)
    return client


def change_floor(client, floor, **changes):
    data = {
        "building": floor.building_id,
        "name": floor.name,
        "level": floor.level,
        "width": floor.width,
        "height": floor.height,
        "zones-TOTAL_FORMS": 0,
        "zones-INITIAL_FORMS": 0,
        "zones-MIN_NUM_FORMS": 0,
        "zones-MAX_NUM_FORMS": 1000,
    } | changes
    return client.post(reverse("admin:locations_floor_change", args=[floor.pk]), data)


def test_replacing_the_plan_deletes_the_old_file_once_the_change_commits(
    fm_client, floor_with_plan, django_capture_on_commit_callbacks
):
    old_name = floor_with_plan.plan_image.name

    with django_capture_on_commit_callbacks() as callbacks:
        response = change_floor(
            fm_client, floor_with_plan, plan_image=SimpleUploadedFile("new.png", png((60, 30)))
        )
        assert response.status_code == 302
        # Until the new plan is committed the old one is what the floor shows.
        assert default_storage.exists(old_name)
    for callback in callbacks:
        callback()

    floor = Floor.objects.get(pk=floor_with_plan.pk)
    assert floor.plan_image.name != old_name
    assert default_storage.exists(floor.plan_image.name)
    assert not default_storage.exists(old_name)


def test_clearing_the_plan_deletes_its_file(
    fm_client, floor_with_plan, django_capture_on_commit_callbacks
):
    old_name = floor_with_plan.plan_image.name

    with django_capture_on_commit_callbacks(execute=True):
        change_floor(fm_client, floor_with_plan, **{"plan_image-clear": "on"})

    assert not Floor.objects.get(pk=floor_with_plan.pk).plan_image
    assert not default_storage.exists(old_name)


def test_saving_without_a_new_plan_keeps_the_file(
    fm_client, floor_with_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = change_floor(fm_client, floor_with_plan, name="Renamed")

    assert response.status_code == 302
    assert default_storage.exists(floor_with_plan.plan_image.name)


def test_deleting_a_floor_deletes_its_plan_file(
    fm_client, floor_with_plan, django_capture_on_commit_callbacks
):
    name = floor_with_plan.plan_image.name

    with django_capture_on_commit_callbacks(execute=True):
        fm_client.post(
            reverse("admin:locations_floor_delete", args=[floor_with_plan.pk]), {"post": "yes"}
        )

    assert not Floor.objects.filter(pk=floor_with_plan.pk).exists()
    assert not default_storage.exists(name)


def test_deleting_a_building_deletes_its_floors_plan_files(
    floor_with_plan, django_capture_on_commit_callbacks
):
    name = floor_with_plan.plan_image.name

    with django_capture_on_commit_callbacks(execute=True):
        floor_with_plan.building.delete()

    assert not default_storage.exists(name)


def test_saving_a_floor_whose_plan_file_is_missing_is_a_form_error(fm_client, floor_with_plan):
    default_storage.delete(floor_with_plan.plan_image.name)

    response = change_floor(fm_client, floor_with_plan, name="Renamed")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["plan_image"]
    assert errors == ["The stored floor plan is missing. Upload it again, or clear it."]


def test_a_floor_whose_plan_file_is_missing_can_be_given_a_new_one(fm_client, floor_with_plan):
    default_storage.delete(floor_with_plan.plan_image.name)

    response = change_floor(
        fm_client, floor_with_plan, plan_image=SimpleUploadedFile("new.png", png((60, 30)))
    )

    assert response.status_code == 302
    assert Floor.objects.get(pk=floor_with_plan.pk).width == 60


def test_a_plan_file_missing_from_disk_answers_404(client, employee, floor_with_plan):
    default_storage.delete(floor_with_plan.plan_image.name)
    client.force_login(employee)

    response = client.get(reverse("locations:floor_plan_image", args=[floor_with_plan.pk]))

    assert response.status_code == 404
