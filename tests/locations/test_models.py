import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from locations.models import Building, Floor, Resource
from locations.services import rotate_checkin_token
from tests.factories import FloorFactory, ResourceFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def png(width: int, height: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("plan.png", buffer.getvalue(), content_type="image/png")


def test_a_floor_plan_sets_the_floors_size(building):
    floor = Floor(organization=building.organization, building=building, name="First")
    floor.plan_image = png(1600, 900)
    floor.full_clean()
    assert (floor.width, floor.height) == (1600, 900)


def test_a_file_that_is_not_an_image_is_refused_as_a_plan(building):
    floor = Floor(organization=building.organization, building=building, name="First")
    floor.plan_image = SimpleUploadedFile("plan.png", b"%PDF-1.4 not an image")
    with pytest.raises(ValidationError, match="not an image"):
        floor.full_clean()


def claiming_size(upload: SimpleUploadedFile, width: int, height: int) -> SimpleUploadedFile:
    """Return a copy of a small PNG whose header claims another size, as a bomb does."""
    data = bytearray(upload.read())
    # IHDR is the first chunk: length (4), type (4), then width and height, then its CRC.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return SimpleUploadedFile("plan.png", bytes(data), content_type="image/png")


def test_a_decompression_bomb_is_refused_as_a_plan(building):
    floor = Floor(organization=building.organization, building=building, name="First")
    floor.plan_image = claiming_size(png(10, 10), 50_000, 50_000)
    with pytest.raises(ValidationError, match="too many pixels"):
        floor.full_clean()


def test_a_time_zone_must_exist():
    building = Building(name="Nowhere", time_zone="Europe/Atlantis")
    with pytest.raises(ValidationError) as error:
        building.full_clean(exclude=["organization"])
    assert "time_zone" in error.value.message_dict


def test_every_resource_gets_its_own_unguessable_token(floor):
    first, second = ResourceFactory.create_batch(2, floor=floor)
    assert first.checkin_token != second.checkin_token
    assert len(first.checkin_token) >= 40


def test_rotating_a_token_invalidates_the_old_one(desk):
    old = desk.checkin_token
    rotate_checkin_token(resource=desk)
    assert not Resource.objects.filter(checkin_token=old).exists()
    assert Resource.objects.get(pk=desk.pk).checkin_token != old


def test_a_resource_outside_the_plan_is_refused(floor):
    resource = ResourceFactory.build(floor=floor, organization=floor.organization, x=5000)
    with pytest.raises(ValidationError, match="outside the floor plan"):
        resource.full_clean()


def test_a_zone_of_another_floor_is_refused(floor):
    zone = ZoneFactory(floor=FloorFactory(building=floor.building))
    resource = ResourceFactory.build(floor=floor, organization=floor.organization, zone=zone)
    with pytest.raises(ValidationError, match="same floor"):
        resource.full_clean()


def test_only_meeting_rooms_hold_more_than_one_person(floor):
    resource = ResourceFactory.build(floor=floor, organization=floor.organization, capacity=4)
    with pytest.raises(ValidationError, match="Only meeting rooms"):
        resource.full_clean()
